package dev.breaker;

/** The states of a breaker. */
public enum CircuitState {
    /** Calls flow; outcomes are recorded and the thresholds evaluated. */
    CLOSED,
    /** Calls are rejected until the wait in open has passed. */
    OPEN,
    /** A limited number of trial calls decide whether the breaker closes (or recovers) or opens again. */
    HALF_OPEN,
    /**
     * The trial succeeded and traffic comes back gradually: a growing share of calls is let through and judged on
     * the ramp's own window; the breaker closes when the ramp is over, or opens again if the calls fail.
     */
    RECOVERING,
    /** Calls are rejected until the breaker is closed or reset by hand. */
    FORCED_OPEN,
    /** Calls flow and nothing is evaluated until the breaker is closed or reset by hand. */
    DISABLED;

    /** Whether a breaker in this state rejects calls (apart from half-open trial limits). */
    public boolean rejectsCalls() {
        return this == OPEN || this == FORCED_OPEN;
    }
}
