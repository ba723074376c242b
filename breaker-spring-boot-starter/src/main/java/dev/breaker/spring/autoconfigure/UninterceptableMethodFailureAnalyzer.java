package dev.breaker.spring.autoconfigure;

import dev.breaker.spring.aop.UninterceptableMethodException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains an {@link UninterceptableMethodException} that stopped the application. */
final class UninterceptableMethodFailureAnalyzer extends AbstractFailureAnalyzer<UninterceptableMethodException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UninterceptableMethodException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
