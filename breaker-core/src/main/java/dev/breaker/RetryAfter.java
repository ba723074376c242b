package dev.breaker;

/** When a rejected call may be tried again, worked out when someone asks. */
@FunctionalInterface
interface RetryAfter {

    /** What {@link #nanosFromNow()} answers for a breaker that waits for someone to close it. */
    long UNTIL_CLOSED = -1;

    /** A rejection that may be retried at once. */
    RetryAfter NOW = () -> 0;

    /** A rejection that lasts until someone closes the breaker. */
    RetryAfter NOT_BY_ITSELF = () -> UNTIL_CLOSED;

    /** Nanoseconds from now, or {@link #UNTIL_CLOSED}. */
    long nanosFromNow();

    /** Until ticker reading {@code deadline}. */
    static RetryAfter until(long deadline, Ticker ticker) {
        return () -> Math.max(0, deadline - ticker.read());
    }

    /** Always {@code nanos}. */
    static RetryAfter fixed(long nanos) {
        return () -> nanos;
    }
}
