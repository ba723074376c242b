package dev.breaker.spring.aop;

import dev.breaker.Breaker;

/** Records how long protected calls of one breaker take; resolved once per protected method. */
@FunctionalInterface
public interface CallTimer {

    /** Records one call's duration and whether it succeeded. */
    void record(long durationNanos, boolean success);

    /** Creates the {@link CallTimer} of each breaker. */
    @FunctionalInterface
    interface Factory {

        /** The timer of {@code breaker}. */
        CallTimer forBreaker(Breaker breaker);
    }
}
