package dev.breaker.spring.aop;

import org.jspecify.annotations.Nullable;

/**
 * Records the outcome of one call a breaker admitted, ending its permit: {@link ProtectedCall} for annotated
 * methods, and the integrations that protect calls of their own (HTTP clients, Spring Cloud CircuitBreaker). Each
 * permit is ended exactly once, by one of {@link #succeeded}, {@link #failed} or {@link #release}.
 */
public interface CallOutcomes {

    /** A start time for the outcome; reads the clock only when someone needs durations. */
    long startTimer();

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
