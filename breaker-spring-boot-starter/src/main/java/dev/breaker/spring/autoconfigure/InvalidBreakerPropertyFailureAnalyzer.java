package dev.breaker.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.env.Environment;

/**
 * Explains an {@link InvalidBreakerPropertyException} that stopped the application, with where the value was set
 * (file and line) when the environment knows.
 */
final class InvalidBreakerPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidBreakerPropertyException> {

    private final Environment environment;

    InvalidBreakerPropertyFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidBreakerPropertyException cause) {
        Origin origin = PropertyOrigins.of(environment, cause.property());
        String description = "Invalid breaker configuration:\n\n"
                + "    Property: " + cause.property() + "\n"
                + "    Value: " + cause.value() + "\n"
                + (origin == null ? "" : "    Origin: " + origin + "\n")
                + "    Reason: it " + cause.reason();
        return new FailureAnalysis(description, cause.action(), cause);
    }
}
