package dev.breaker.internal;

/**
 * The rate thresholds a window evaluates against, and the rules for computing rates.
 *
 * <p>Rates are computed as {@code count * 100.0f / buffered} and compared with {@code >=}, exactly as
 * Resilience4j does, so that the same counts give the same decision to the last float bit.
 *
 * @param minimumCalls the number of buffered calls below which no rate is computed (at least 1)
 * @param failureRateThreshold the failure rate in percent at or above which the window is exceeded
 * @param slowCallRateThreshold the slow-call rate in percent at or above which the window is exceeded
 */
public record Thresholds(int minimumCalls, float failureRateThreshold, float slowCallRateThreshold) {

    /** The rate reported while fewer than the minimum calls are buffered. */
    public static final float NOT_ENOUGH_CALLS = -1.0f;

    /** A failure or slow-call rate in percent, or {@link #NOT_ENOUGH_CALLS}. */
    public float rate(long count, long buffered) {
        if (buffered == 0 || buffered < minimumCalls) {
            return NOT_ENOUGH_CALLS;
        }
        return count * 100.0f / buffered;
    }

    /** The verdict for the given window counts. */
    public Verdict evaluate(long buffered, long failed, long slow) {
        if (buffered == 0 || buffered < minimumCalls) {
            return Verdict.BELOW_MINIMUM_CALLS;
        }
        boolean failureRateExceeded = failed * 100.0f / buffered >= failureRateThreshold;
        boolean slowCallRateExceeded = slow * 100.0f / buffered >= slowCallRateThreshold;
        if (failureRateExceeded) {
            return slowCallRateExceeded ? Verdict.BOTH_EXCEEDED : Verdict.FAILURE_RATE_EXCEEDED;
        }
        return slowCallRateExceeded ? Verdict.SLOW_CALL_RATE_EXCEEDED : Verdict.BELOW_THRESHOLDS;
    }
}
