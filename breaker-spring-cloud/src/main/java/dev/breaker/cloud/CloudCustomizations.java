package dev.breaker.cloud;

import dev.breaker.BreakerConfig;
import dev.breaker.spring.autoconfigure.BreakerConfigCustomizer;
import org.jspecify.annotations.Nullable;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The configurations given to the Spring Cloud factories, applied where every breaker's configuration is made:
 * as a {@link BreakerConfigCustomizer}, after the properties. A configuration for an id applies to the breaker of
 * that name; the default configuration to the other breakers the factories were asked for.
 */
public final class CloudCustomizations implements BreakerConfigCustomizer {

    private final Map<String, BreakerCloudConfig> byId = new ConcurrentHashMap<>();
    private final Set<String> created = ConcurrentHashMap.newKeySet();
    private volatile @Nullable Function<String, BreakerCloudConfig> defaults;

    @Override
    public void customize(String breakerName, BreakerConfig.Builder builder) {
        BreakerCloudConfig config = byId.get(breakerName);
        Function<String, BreakerCloudConfig> fallback = defaults;
        if (config == null && fallback != null && created.contains(breakerName)) {
            config = fallback.apply(breakerName);
        }
        if (config != null) {
            config.adjustments().accept(builder);
        }
    }

    void put(String id, BreakerCloudConfig config) {
        byId.put(id, config);
    }

    void defaults(Function<String, BreakerCloudConfig> configs) {
        defaults = configs;
    }

    boolean hasDefaults() {
        return defaults != null;
    }

    /** Marks {@code id} as asked for through a factory, before its breaker is made; whether it is new. */
    boolean markCreated(String id) {
        return !created.contains(id) && created.add(id);
    }

    /** The ids the factories were asked for. */
    Set<String> created() {
        return Set.copyOf(created);
    }
}
