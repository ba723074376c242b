package dev.breaker.spring.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Explains keys under {@code breaker.} that no option has (a misspelling, most often): each with its value, where it
 * was set and the closest valid key. Runs before Spring Boot's own analysis of unbound properties, which would name
 * the keys but not what was meant; keys of other prefixes are left to it.
 */
final class UnknownBreakerPropertyFailureAnalyzer
        extends AbstractFailureAnalyzer<UnboundConfigurationPropertiesException> implements Ordered {

    private static final ConfigurationPropertyName BREAKER = ConfigurationPropertyName.of("breaker");

    @Override
    protected @Nullable FailureAnalysis analyze(Throwable rootFailure, UnboundConfigurationPropertiesException cause) {
        if (cause.getUnboundProperties().isEmpty() || !cause.getUnboundProperties().stream()
                .allMatch(property -> BREAKER.isAncestorOf(property.getName()))) {
            return null;
        }
        StringBuilder description = new StringBuilder("Unknown breaker properties:\n");
        for (ConfigurationProperty property : cause.getUnboundProperties()) {
            description.append("\n    Property: ").append(property.getName())
                    .append("\n    Value: \"").append(property.getValue()).append('"');
            if (property.getOrigin() != null) {
                description.append("\n    Origin: ").append(property.getOrigin());
            }
            description.append("\n    Reason: it ")
                    .append(BreakerPropertyKeys.noSuchOption(property.getName())).append('\n');
        }
        return new FailureAnalysis(description.toString(), "Correct the spelling of each key, or remove it. Your IDE"
                + " completes the valid keys from the configuration metadata, and the README lists them.", cause);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
