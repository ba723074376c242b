package dev.breaker.cloud;

import dev.breaker.Breaker;
import dev.breaker.BreakerRegistry;
import dev.breaker.spring.reconfigure.BreakerRefresher;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What both factories share: the breaker of an id, from the registry (configured by the properties, the
 * customizers and the Spring Cloud configurations), and configurations applied to the breakers that exist.
 */
final class CloudBreakers {

    /** The source of reconfigurations by Spring Cloud configurations, as their events show it. */
    static final String SOURCE = "spring-cloud";

    private final BreakerRegistry registry;
    private final BreakerRefresher refresher;
    private final CloudCustomizations customizations;

    CloudBreakers(BreakerRegistry registry, BreakerRefresher refresher, CloudCustomizations customizations) {
        this.registry = registry;
        this.refresher = refresher;
        this.customizations = customizations;
    }

    Breaker breaker(String id) {
        if (customizations.markCreated(id) && customizations.hasDefaults()) {
            // A breaker made before (for an annotated method) now takes the factories' default configuration too.
            refresher.rebuild(id, SOURCE);
        }
        return registry.breaker(id);
    }

    void configure(Consumer<BreakerCloudConfig.Builder> consumer, String... ids) {
        for (String id : ids) {
            BreakerCloudConfig.Builder builder = new BreakerCloudConfig.Builder();
            consumer.accept(builder);
            customizations.put(id, builder.build());
            refresher.rebuild(id, SOURCE);
        }
    }

    void configureDefault(Function<String, BreakerCloudConfig> configs) {
        customizations.defaults(configs);
        customizations.created().forEach(id -> refresher.rebuild(id, SOURCE));
    }
}
