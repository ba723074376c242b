package dev.breaker.internal;

/** What a window concludes after recording one outcome. */
public enum Verdict {
    /** The window's counts did not change, so the previous verdict (below the thresholds) still holds. */
    UNCHANGED,
    /** The window holds no failure and no slow call: both rates are 0 (or would be, with enough calls). */
    CLEAN,
    /** Fewer calls than the minimum are buffered; no rate is computed yet. */
    BELOW_MINIMUM_CALLS,
    /** Both rates are below their thresholds, and below the clearing mark when there are marks. */
    BELOW_THRESHOLDS,
    /** Both rates are below their thresholds, at least one between the clearing and the warning mark. */
    ELEVATED,
    /** Both rates are below their thresholds, at least one at or above the warning mark. */
    WARNING,
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

    /** Whether this verdict is a complete evaluation below the thresholds. */
    public boolean passed() {
        return this == BELOW_THRESHOLDS || this == ELEVATED || this == WARNING;
    }
}
