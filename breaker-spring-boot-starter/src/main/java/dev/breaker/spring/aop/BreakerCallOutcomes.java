package dev.breaker.spring.aop;

import dev.breaker.Breaker;
import dev.breaker.ErrorClassification;
import org.jspecify.annotations.Nullable;

/**
 * The outcomes of calls protected by one {@link Breaker} directly, without a method: a result is judged by the
 * breaker's configuration, an error is recorded as it classifies it.
 */
public class BreakerCallOutcomes implements CallOutcomes {

    private final Breaker breaker;

    public BreakerCallOutcomes(Breaker breaker) {
        this.breaker = breaker;
    }

    /** The breaker. */
    public final Breaker breaker() {
        return breaker;
    }

    @Override
    public final long startTimer() {
        return breaker.startTimer(false);
    }

    @Override
    public void succeeded(long permit, long start, @Nullable Object result) {
        breaker.recordResult(permit, breaker.elapsedNanos(start), result);
    }

    /** @return whether the error is recorded as a failure, which a fallback may answer */
    @Override
    public final boolean failed(long permit, long start, Throwable error) {
        return breaker.recordFailure(permit, breaker.elapsedNanos(start), error) == ErrorClassification.FAILURE;
    }

    @Override
    public final void release(long permit) {
        breaker.release(permit);
    }
}
