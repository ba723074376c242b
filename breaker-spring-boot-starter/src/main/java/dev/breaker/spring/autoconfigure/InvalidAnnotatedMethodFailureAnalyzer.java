package dev.breaker.spring.autoconfigure;

import dev.breaker.spring.aop.InvalidAnnotatedMethodException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link InvalidAnnotatedMethodException} that stopped the application: a method no proxy can
 * intercept, a missing or unfit fallback, an invalid timeout or retry.
 */
final class InvalidAnnotatedMethodFailureAnalyzer extends AbstractFailureAnalyzer<InvalidAnnotatedMethodException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidAnnotatedMethodException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
