package dev.breaker.spring.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.origin.Origin;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/** Where a property was set (a file and line, an environment variable), as Spring Boot tracks it. */
final class PropertyOrigins {

    private PropertyOrigins() {
    }

    /**
     * The origin of the property {@code key} in the source that wins, such as
     * {@code class path resource [application.yml] - 4:31}; null if no source says, or {@code key} is no property
     * key.
     */
    static @Nullable Origin of(Environment environment, String key) {
        if (!(environment instanceof ConfigurableEnvironment configurable) || key.isEmpty()
                || key.chars().anyMatch(Character::isWhitespace)) {
            return null;
        }
        ConfigurationPropertyName name = ConfigurationPropertyName.adapt(key, '.');
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(configurable)) {
            ConfigurationProperty property = source.getConfigurationProperty(name);
            if (property != null) {
                return property.getOrigin();
            }
        }
        return null;
    }
}
