package dev.breaker.internal;

/**
 * The rate thresholds a window evaluates against, and the rules for computing rates.
 *
 * <p>Rates are computed as {@code count * 100.0f / buffered} and compared with {@code >=}, exactly as
 * Resilience4j does, so that the same counts give the same decision to the last float bit. Optional marks, as
 * fractions of each threshold, tell a rate that approaches its threshold ({@link Verdict#WARNING}) from one that
 * has eased ({@link Verdict#BELOW_THRESHOLDS}) and one in between ({@link Verdict#ELEVATED}).
 *
 * @param minimumCalls the number of buffered calls below which no rate is computed (at least 1)
 * @param failureRateThreshold the failure rate in percent at or above which the window is exceeded
 * @param slowCallRateThreshold the slow-call rate in percent at or above which the window is exceeded
 * @param warningMark the fraction of a threshold at or above which a rate warns; 0 for no marks
 * @param clearingMark the fraction of a threshold below which a rate has eased, at most {@code warningMark}
 */
public record Thresholds(int minimumCalls, float failureRateThreshold, float slowCallRateThreshold, float warningMark,
                         float clearingMark) {

    /** The rate reported while fewer than the minimum calls are buffered. */
    public static final float NOT_ENOUGH_CALLS = -1.0f;

    /** Thresholds without marks. */
    public Thresholds(int minimumCalls, float failureRateThreshold, float slowCallRateThreshold) {
        this(minimumCalls, failureRateThreshold, slowCallRateThreshold, 0, 0);
    }

    /** The same thresholds with another minimum number of calls. */
    public Thresholds withMinimumCalls(int calls) {
        return new Thresholds(calls, failureRateThreshold, slowCallRateThreshold, warningMark, clearingMark);
    }

    /** The same thresholds with marks, as fractions of each threshold. */
    public Thresholds withMarks(float warning, float clearing) {
        return new Thresholds(minimumCalls, failureRateThreshold, slowCallRateThreshold, warning, clearing);
    }

    /** A failure or slow-call rate in percent, or {@link #NOT_ENOUGH_CALLS}. */
    public float rate(long count, long buffered) {
        if (buffered == 0 || buffered < minimumCalls) {
            return NOT_ENOUGH_CALLS;
        }
        return count * 100.0f / buffered;
    }

    /** The verdict for the given window counts. */
    public Verdict evaluate(long buffered, long failed, long slow) {
        return evaluate(buffered, failed, slow, minimumCalls);
    }

    /** The verdict for the given window counts, with {@code minimumCalls} in place of this one's. */
    public Verdict evaluate(long buffered, long failed, long slow, int minimumCalls) {
        if (buffered == 0 || buffered < minimumCalls) {
            return Verdict.BELOW_MINIMUM_CALLS;
        }
        float failureRate = failed * 100.0f / buffered;
        float slowCallRate = slow * 100.0f / buffered;
        boolean failureRateExceeded = failureRate >= failureRateThreshold;
        boolean slowCallRateExceeded = slowCallRate >= slowCallRateThreshold;
        if (failureRateExceeded) {
            return slowCallRateExceeded ? Verdict.BOTH_EXCEEDED : Verdict.FAILURE_RATE_EXCEEDED;
        }
        if (slowCallRateExceeded) {
            return Verdict.SLOW_CALL_RATE_EXCEEDED;
        }
        if (warningMark == 0) {
            return Verdict.BELOW_THRESHOLDS;
        }
        if (failureRate >= failureRateThreshold * warningMark || slowCallRate >= slowCallRateThreshold * warningMark) {
            return Verdict.WARNING;
        }
        if (failureRate >= failureRateThreshold * clearingMark
                || slowCallRate >= slowCallRateThreshold * clearingMark) {
            return Verdict.ELEVATED;
        }
        return Verdict.BELOW_THRESHOLDS;
    }
}
