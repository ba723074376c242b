package dev.breaker.spring.autoconfigure;

import dev.breaker.spring.dependencies.InvalidBreakerDependencyException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains an {@link InvalidBreakerDependencyException} that stopped the application. */
final class InvalidBreakerDependencyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidBreakerDependencyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidBreakerDependencyException cause) {
        return new FailureAnalysis("Invalid breaker dependencies:\n\n    " + cause.getMessage(), cause.action(), cause);
    }
}
