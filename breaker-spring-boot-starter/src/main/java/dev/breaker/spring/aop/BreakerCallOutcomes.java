package dev.breaker.spring.aop;

import dev.breaker.Breaker;
import dev.breaker.CallTimeoutException;
import dev.breaker.ErrorClassification;
import org.jspecify.annotations.Nullable;

import java.time.Duration;

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
    public final long startTimer(long timeoutNanos) {
        return breaker.startTimer(timeoutNanos > 0);
    }

    @Override
    public final CallTimeoutException timeoutOf(long timeoutNanos) {
        return new CallTimeoutException(breaker.name(), Duration.ofNanos(timeoutNanos));
    }

    @Override
    public final boolean timedOut(long permit, long start, CallTimeoutException timeout) {
        breaker.recordTimeout(permit, breaker.elapsedNanos(start), timeout);
        return true;
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
