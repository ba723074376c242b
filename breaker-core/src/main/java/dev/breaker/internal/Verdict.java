package dev.breaker.internal;

/** What a window concludes after recording one outcome. */
public enum Verdict {
    /** The window's counts did not change, so the previous verdict (below the thresholds) still holds. */
    UNCHANGED,
    /** Fewer calls than the minimum are buffered; no rate is computed yet. */
    BELOW_MINIMUM_CALLS,
    /** Both rates are below their thresholds. */
    BELOW_THRESHOLDS,
    /** The failure rate reached its threshold. */
    FAILURE_RATE_EXCEEDED,
    /** The slow-call rate reached its threshold. */
    SLOW_CALL_RATE_EXCEEDED,
    /** Both rates reached their thresholds. */
    BOTH_EXCEEDED;

    /** Whether this verdict means the breaker should open. */
    public boolean exceeded() {
        return ordinal() >= FAILURE_RATE_EXCEEDED.ordinal();
    }

    /** Whether this verdict is a complete, passing evaluation. */
    public boolean passed() {
        return this == BELOW_THRESHOLDS;
    }
}
