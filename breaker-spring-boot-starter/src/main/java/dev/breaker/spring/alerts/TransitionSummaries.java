package dev.breaker.spring.alerts;

import dev.breaker.BreakerEvent;
import dev.breaker.TransitionReason;
import dev.breaker.spring.states.BreakerStates;
import org.jspecify.annotations.Nullable;

import java.util.Locale;

/** Puts a transition into a sentence: what the breaker did ({@link BreakerStates}), then why, with figures. */
final class TransitionSummaries {

    private TransitionSummaries() {
    }

    /**
     * @param rates the failure and slow-call rates of the deciding window, or null when not known
     * @param baseline the adaptive baseline's inputs, for {@link TransitionReason#BASELINE_EXCEEDED}
     */
    static String summarize(BreakerEvent.StateTransition transition, float @Nullable [] rates,
                            float failureRateThreshold, float slowCallRateThreshold, int consecutiveFailures,
                            BreakerEvent.@Nullable BaselineInputs baseline) {
        String done = BreakerStates.of(transition.to()).verb();
        if (transition.reason().isManual()) {
            return transition.reason() == TransitionReason.RESET ? done + ": reset by hand" : done + " by hand";
        }
        String why = switch (transition.reason()) {
            case FAILURE_RATE_EXCEEDED -> failureRate(rates, failureRateThreshold);
            case SLOW_CALL_RATE_EXCEEDED -> slowCallRate(rates, slowCallRateThreshold);
            case FAILURE_AND_SLOW_CALL_RATES_EXCEEDED -> failureRate(rates, failureRateThreshold) + ", "
                    + slowCallRate(rates, slowCallRateThreshold);
            case CONSECUTIVE_FAILURES -> consecutiveFailures + (consecutiveFailures == 1 ? " failure" : " failures")
                    + " in a row";
            case BASELINE_EXCEEDED -> baseline == null ? "deviated from the learned normal"
                    : baseline.signal() + " " + number(baseline.value()) + " above the learned normal "
                            + number(baseline.mean()) + " ± " + number(baseline.stddev()) + " (z "
                            + number(baseline.z()) + ")";
            case WAIT_IN_OPEN_ELAPSED -> "the wait in open passed, trial calls let through";
            case TRIAL_CALLS_SUCCEEDED -> "the trial calls succeeded";
            case TRIAL_CALLS_FAILED -> "the trial calls failed" + ratesInParentheses(rates, failureRateThreshold,
                    slowCallRateThreshold);
            case TRIAL_CALLS_TIMED_OUT -> "the trial calls did not complete in time";
            case RECOVERY_COMPLETED -> "the recovery reached the whole traffic";
            case RECOVERY_FAILED -> "the recovery's calls failed" + ratesInParentheses(rates, failureRateThreshold,
                    slowCallRateThreshold);
            case RESET, MANUAL_CLOSE, MANUAL_FORCE_OPEN, MANUAL_DISABLE -> "by hand";
            case RECONFIGURED -> "reconfigured";
            case CLUSTER_OPENED -> "another instance of the cluster opened it";
            case CLUSTER_RECOVERED -> "the instance that probed for the cluster reported a successful trial";
        };
        return done + ": " + why;
    }

    private static String failureRate(float @Nullable [] rates, float threshold) {
        return rates == null || rates[0] < 0 ? "failure rate ≥ " + number(threshold) + " %"
                : "failure rate " + number(rates[0]) + " % ≥ " + number(threshold) + " %";
    }

    private static String slowCallRate(float @Nullable [] rates, float threshold) {
        return rates == null || rates[1] < 0 ? "slow-call rate ≥ " + number(threshold) + " %"
                : "slow-call rate " + number(rates[1]) + " % ≥ " + number(threshold) + " %";
    }

    /** The rate that reached its threshold, as " (failure rate 100 % ≥ 50 %)", or nothing. */
    private static String ratesInParentheses(float @Nullable [] rates, float failureRateThreshold,
                                             float slowCallRateThreshold) {
        if (rates == null) {
            return "";
        }
        if (rates[0] >= failureRateThreshold) {
            return " (" + failureRate(rates, failureRateThreshold) + ")";
        }
        if (rates[1] >= slowCallRateThreshold) {
            return " (" + slowCallRate(rates, slowCallRateThreshold) + ")";
        }
        return "";
    }

    /** Whole numbers without decimals, others with one: 80, 12.5. */
    static String number(double value) {
        return value == Math.rint(value) || Math.abs(value) >= 100 ? Long.toString(Math.round(value))
                : String.format(Locale.ROOT, "%.1f", value);
    }
}
