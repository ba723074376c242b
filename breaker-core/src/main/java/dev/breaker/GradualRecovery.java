package dev.breaker;

import java.time.Duration;
import java.util.Objects;

/**
 * Gradual recovery: after a successful trial, a breaker lets traffic back in steps instead of all at once, in the
 * {@link CircuitState#RECOVERING} state. Immutable; validated by {@link BreakerConfig.Builder#build()}.
 *
 * <p>In {@link RecoveryMode#TIME} mode the admitted share {@code t} after the ramp began is
 * {@code max(minShare, (t / ramp) ^ (1 / aggression))}; in {@link RecoveryMode#SUCCESS_STEPS} mode it starts at
 * {@code minShare} and grows by {@code stepPercent} for every {@code successesPerStep} successful calls, and the
 * ramp's duration is the longest the recovery may take. Calls over the share are rejected with
 * {@link RejectionReason#RECOVERING}; admission is deterministic (a credit accumulator), so {@code N} calls at a
 * share {@code f} admit {@code floor(N * f)} calls or one more.
 *
 * @param ramp how long the ramp takes (the longest, in success-steps mode); positive
 * @param minSharePercent the share admitted from the start, in (0, 100]; default 10
 * @param aggression the curve's exponent, positive; 1 (the default) is linear, above 1 ramps up faster
 * @param mode how the share grows; default {@link RecoveryMode#TIME}
 * @param stepPercent in success-steps mode, percent added per step, in (0, 100]; default 10
 * @param successesPerStep in success-steps mode, successful calls per step, at least 1; default 10
 */
public record GradualRecovery(Duration ramp, float minSharePercent, double aggression, RecoveryMode mode,
                              float stepPercent, int successesPerStep) {

    public GradualRecovery {
        Objects.requireNonNull(ramp, "ramp");
        Objects.requireNonNull(mode, "mode");
    }

    /** A ramp over {@code ramp}, by time, starting at 10 % and growing linearly. */
    public static GradualRecovery over(Duration ramp) {
        return new GradualRecovery(ramp, 10, 1.0, RecoveryMode.TIME, 10, 10);
    }

    /** The same with another minimum share, in percent. */
    public GradualRecovery withMinShare(float percent) {
        return new GradualRecovery(ramp, percent, aggression, mode, stepPercent, successesPerStep);
    }

    /** The same with another curve exponent. */
    public GradualRecovery withAggression(double exponent) {
        return new GradualRecovery(ramp, minSharePercent, exponent, mode, stepPercent, successesPerStep);
    }

    /** The same, growing by {@code percent} per {@code successes} successful calls; the ramp becomes the longest. */
    public GradualRecovery bySuccessSteps(float percent, int successes) {
        return new GradualRecovery(ramp, minSharePercent, aggression, RecoveryMode.SUCCESS_STEPS, percent, successes);
    }
}
