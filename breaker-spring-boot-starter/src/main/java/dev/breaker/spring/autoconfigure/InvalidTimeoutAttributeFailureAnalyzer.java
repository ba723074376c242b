package dev.breaker.spring.autoconfigure;

import dev.breaker.spring.aop.InvalidTimeoutAttributeException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains an {@link InvalidTimeoutAttributeException} that stopped the application. */
final class InvalidTimeoutAttributeFailureAnalyzer extends AbstractFailureAnalyzer<InvalidTimeoutAttributeException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidTimeoutAttributeException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
