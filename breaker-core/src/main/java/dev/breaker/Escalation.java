package dev.breaker;

import java.time.Duration;
import java.util.Objects;

/**
 * Multi-level escalation: a {@link Level} beside the state, and waits in open that grow with repeated outages.
 * Immutable; validated by {@link BreakerConfig.Builder#build()}.
 *
 * <p>A closed breaker is at {@link Level#WARNING} once a rate reaches {@code warningAtPercent} of its threshold
 * (or the failures in a row half their limit), and back at {@link Level#NORMAL} only once the rates are below
 * {@code warningClearAtPercent} of their thresholds and the failures in a row below a quarter of their limit.
 * Every failed recovery (a trial or a ramp that fails, or a trial that times out) adds one to the escalation count
 * {@code k}; the wait in open is {@code min(waitInOpen * multiplier^k, maxWaitInOpen)}, spread by {@code jitter}.
 * {@code k} drops by one for every {@code stablePeriod} spent closed at {@link Level#NORMAL}, so a dependency that
 * flaps keeps escalating. {@code emergencyAfter} failed recoveries in a row, or an outage longer than the
 * prolonged-open alert, is an {@link Level#EMERGENCY}: one trial call at a time.
 *
 * @param warningAtPercent percent of a threshold at which a closed breaker warns, in (0, 100]; default 50
 * @param warningClearAtPercent percent of a threshold below which the warning clears, in [0, warningAtPercent];
 *     default 25
 * @param emergencyAfter failed recoveries in a row that make an emergency, at least 1; default 3
 * @param stablePeriod time closed and normal that takes one off the escalation count, positive; default 10 min
 * @param jitter the wait in open varies by up to this fraction either way, deterministically per breaker and
 *     opening, in [0, 1); default 0
 */
public record Escalation(float warningAtPercent, float warningClearAtPercent, int emergencyAfter,
                         Duration stablePeriod, double jitter) {

    public Escalation {
        Objects.requireNonNull(stablePeriod, "stablePeriod");
    }

    /** The defaults: warn at 50 %, clear below 25 %, emergency after 3, decay per 10 minutes, no jitter. */
    public static Escalation defaults() {
        return new Escalation(50, 25, 3, Duration.ofMinutes(10), 0);
    }

    /** The same with other warning marks, in percent of each threshold. */
    public Escalation withWarning(float atPercent, float clearAtPercent) {
        return new Escalation(atPercent, clearAtPercent, emergencyAfter, stablePeriod, jitter);
    }

    /** The same with another number of failed recoveries in a row that make an emergency. */
    public Escalation withEmergencyAfter(int failedRecoveries) {
        return new Escalation(warningAtPercent, warningClearAtPercent, failedRecoveries, stablePeriod, jitter);
    }

    /** The same with another time that takes one off the escalation count. */
    public Escalation withStablePeriod(Duration period) {
        return new Escalation(warningAtPercent, warningClearAtPercent, emergencyAfter, period, jitter);
    }

    /** The same with another jitter fraction. */
    public Escalation withJitter(double fraction) {
        return new Escalation(warningAtPercent, warningClearAtPercent, emergencyAfter, stablePeriod, fraction);
    }
}
