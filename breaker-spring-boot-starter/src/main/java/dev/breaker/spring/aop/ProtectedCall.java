package dev.breaker.spring.aop;

import dev.breaker.Breaker;
import dev.breaker.CallNotPermittedException;
import dev.breaker.ErrorClassification;
import dev.breaker.Ticker;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import java.lang.reflect.Method;

/**
 * One protected method, resolved once: its breaker, its fallback and the steps every {@link CallAdapter} shares.
 */
public final class ProtectedCall {

    private static final long NOT_TIMED = Long.MIN_VALUE;

    private final Method method;
    private final Breaker breaker;
    private final @Nullable FallbackMethod fallback;
    private final @Nullable CallTimer timer;
    private final Ticker ticker;

    ProtectedCall(Method method, Breaker breaker, @Nullable FallbackMethod fallback, @Nullable CallTimer timer) {
        this.method = method;
        this.breaker = breaker;
        this.fallback = fallback;
        this.timer = timer;
        this.ticker = breaker.config().ticker();
    }

    /** The protected method. */
    public Method method() {
        return method;
    }

    /** The breaker protecting it. */
    public Breaker breaker() {
        return breaker;
    }

    /** Its fallback, or {@code null}. */
    public @Nullable FallbackMethod fallback() {
        return fallback;
    }

    /**
     * A start time for {@link #elapsedSince}, reading the clock only when the breaker or the call timer needs
     * durations.
     */
    public long startTimer() {
        return timer != null || breaker.needsCallDurations() ? ticker.read() : NOT_TIMED;
    }

    /** The nanoseconds since {@code start}, or 0 when the call is not timed. */
    public long elapsedSince(long start) {
        return start == NOT_TIMED ? 0 : ticker.read() - start;
    }

    /** Records the result of a call admitted with {@code permit}. */
    public void succeeded(long permit, long start, @Nullable Object result) {
        long elapsed = elapsedSince(start);
        breaker.recordResult(permit, elapsed, result);
        if (timer != null) {
            timer.record(elapsed, true);
        }
    }

    /**
     * Records {@code error} for a call admitted with {@code permit}.
     *
     * @return whether the fallback answers the call: the error is a recorded failure and the fallback takes it
     */
    public boolean failed(long permit, long start, Throwable error) {
        long elapsed = elapsedSince(start);
        ErrorClassification classification = breaker.recordFailure(permit, elapsed, error);
        if (timer != null) {
            timer.record(elapsed, classification != ErrorClassification.FAILURE);
        }
        return classification == ErrorClassification.FAILURE && fallback != null && fallback.handles(error);
    }

    /**
     * Answers a call the breaker rejected with {@code rejection} (from {@link Breaker#acquirePermit()}): from the
     * fallback if it takes the rejection, else by throwing it.
     */
    public @Nullable Object rejected(MethodInvocation invocation, long rejection) throws Throwable {
        CallNotPermittedException rejected = breaker.rejection(rejection);
        if (fallback != null && fallback.handles(rejected)) {
            return fallback.invoke(invocation.getThis(), invocation.getArguments(), rejected);
        }
        throw rejected;
    }

    /** Answers a call that failed with {@code error} from the fallback, which must {@linkplain #failed take it}. */
    public @Nullable Object fallBack(MethodInvocation invocation, Throwable error) throws Throwable {
        if (fallback == null) {
            throw error;
        }
        return fallback.invoke(invocation.getThis(), invocation.getArguments(), error);
    }

    @Override
    public String toString() {
        return "ProtectedCall{" + method + " by breaker '" + breaker.name() + "'}";
    }
}
