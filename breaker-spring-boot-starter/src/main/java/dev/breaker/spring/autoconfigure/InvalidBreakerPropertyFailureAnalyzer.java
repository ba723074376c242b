package dev.breaker.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains an {@link InvalidBreakerPropertyException} that stopped the application. */
final class InvalidBreakerPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidBreakerPropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidBreakerPropertyException cause) {
        String description = "Invalid breaker configuration:\n\n"
                + "    Property: " + cause.property() + "\n"
                + "    Value: " + cause.value() + "\n"
                + "    Reason: it " + cause.reason();
        return new FailureAnalysis(description, cause.action(), cause);
    }
}
