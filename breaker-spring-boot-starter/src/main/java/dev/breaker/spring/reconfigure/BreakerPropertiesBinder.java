package dev.breaker.spring.reconfigure;

import dev.breaker.spring.autoconfigure.BreakerProperties;
import dev.breaker.spring.autoconfigure.BreakerPropertyKeys;
import dev.breaker.spring.reconfigure.InvalidBreakerOptionsException.Problem;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.UnboundElementsSourceFilter;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.env.PropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Binds {@code breaker.*} into a new {@link BreakerProperties}, as the application did at startup (unknown keys are
 * errors), but reports every key that cannot be bound instead of stopping at the first.
 */
final class BreakerPropertiesBinder {

    /** What was bound, and the keys that could not be. */
    record Bound(BreakerProperties properties, List<Problem> problems) {
    }

    private BreakerPropertiesBinder() {
    }

    static Bound bind(Iterable<PropertySource<?>> sources) {
        Map<String, Problem> problems = new LinkedHashMap<>();
        Binder binder = new Binder(ConfigurationPropertySources.from(sources),
                new PropertySourcesPlaceholdersResolver(sources), ApplicationConversionService.getSharedInstance());
        AbstractBindHandler collecting = new AbstractBindHandler() {
            @Override
            public @Nullable Object onFailure(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
                                              Exception error) {
                ConfigurationProperty property = context.getConfigurationProperty();
                problems.putIfAbsent(name.toString(), new Problem(null, name.toString(),
                        property == null ? null : String.valueOf(property.getValue()), reason(target)));
                return null;
            }
        };
        BreakerProperties properties = new BreakerProperties();
        try {
            binder.bind("breaker", Bindable.ofInstance(properties),
                    new NoUnboundElementsBindHandler(collecting, new UnboundElementsSourceFilter()));
        } catch (BindException e) {
            if (!(e.getCause() instanceof UnboundConfigurationPropertiesException unbound)) {
                throw e;
            }
            for (ConfigurationProperty property : unbound.getUnboundProperties()) {
                String key = property.getName().toString();
                problems.putIfAbsent(key, new Problem(null, key, String.valueOf(property.getValue()),
                        BreakerPropertyKeys.noSuchOption(property.getName())));
            }
        }
        return new Bound(properties, new ArrayList<>(problems.values()));
    }

    private static String reason(Bindable<?> target) {
        Class<?> type = target.getType().resolve(Object.class);
        if (type == Duration.class) {
            return "must be a duration such as 500ms, 10s or PT10S";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "must be a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "must be true or false";
        }
        if (type.isEnum()) {
            return "must be one of " + Arrays.stream(type.getEnumConstants())
                    .map(constant -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .collect(Collectors.joining(", "));
        }
        return "cannot be read as a " + type.getSimpleName();
    }
}
