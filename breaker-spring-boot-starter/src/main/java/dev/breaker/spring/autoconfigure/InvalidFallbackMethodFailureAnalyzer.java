package dev.breaker.spring.autoconfigure;

import dev.breaker.spring.aop.InvalidFallbackMethodException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains an {@link InvalidFallbackMethodException} that stopped the application. */
final class InvalidFallbackMethodFailureAnalyzer extends AbstractFailureAnalyzer<InvalidFallbackMethodException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidFallbackMethodException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Declare a method '" + cause.fallbackMethod() + "' with one of the accepted signatures in "
                        + cause.protectedMethod().getDeclaringClass().getName()
                        + ", or correct fallbackMethod in its @CircuitBreaker.", cause);
    }
}
