package dev.breaker.spring.aop;

import dev.breaker.CallTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Records the outcome of one call a breaker admitted, ending its permit: {@link ProtectedCall} for annotated
 * methods, and the integrations that protect calls of their own (HTTP clients, Spring Cloud CircuitBreaker). Each
 * permit is ended exactly once, by one of {@link #succeeded}, {@link #failed} or {@link #release}.
 */
public interface CallOutcomes {

    /** A start time for the outcome; reads the clock only when someone needs durations. */
    long startTimer();

    /** A start time for a call that may take {@code timeoutNanos} (0: no limit): with a limit, reads the clock. */
    long startTimer(long timeoutNanos);

    /** The error of a call that took longer than {@code timeoutNanos}, naming the breaker and the limit. */
    CallTimeoutException timeoutOf(long timeoutNanos);

    /**
     * Records that the call admitted with {@code permit} and started at {@code start} took longer than its timeout:
     * a failure with {@code timeout}, whatever the configuration records or ignores.
     *
     * @return whether a fallback answers the call
     */
    boolean timedOut(long permit, long start, CallTimeoutException timeout);

    /** Records the result of the call admitted with {@code permit} and started at {@code start}. */
    void succeeded(long permit, long start, @Nullable Object result);

    /**
     * Records {@code error} for the call admitted with {@code permit} and started at {@code start}.
     *
     * @return whether a fallback answers the call: the error is a recorded failure (and, for a method, its fallback
     *     takes it)
     */
    boolean failed(long permit, long start, Throwable error);

    /** Gives back {@code permit} unrecorded: the call was cancelled, or ended without an outcome of its own. */
    void release(long permit);
}
