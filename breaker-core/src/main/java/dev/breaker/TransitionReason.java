package dev.breaker;

/** Why a breaker changed state. */
public enum TransitionReason {
    /** The failure rate reached its threshold. */
    FAILURE_RATE_EXCEEDED,
    /** The slow-call rate reached its threshold. */
    SLOW_CALL_RATE_EXCEEDED,
    /** Both the failure rate and the slow-call rate reached their thresholds. */
    FAILURE_AND_SLOW_CALL_RATES_EXCEEDED,
    /** The configured number of consecutive failures was reached. */
    CONSECUTIVE_FAILURES,
    /** Buckets in a row deviated from the learned normal (adaptive baseline). */
    BASELINE_EXCEEDED,
    /** The wait in open passed and a call asked for permission. */
    WAIT_IN_OPEN_ELAPSED,
    /** The half-open trial calls stayed below the thresholds. */
    TRIAL_CALLS_SUCCEEDED,
    /** The gradual recovery's ramp reached the whole traffic. */
    RECOVERY_COMPLETED,
    /** The calls of a gradual recovery's ramp reached a threshold. */
    RECOVERY_FAILED,
    /** The half-open trial calls reached a threshold. */
    TRIAL_CALLS_FAILED,
    /** The half-open trial calls did not complete within the maximum wait in half-open. */
    TRIAL_CALLS_TIMED_OUT,
    /** {@link Breaker#reset()} was called. */
    RESET,
    /** {@link Breaker#close()} was called. */
    MANUAL_CLOSE,
    /** {@link Breaker#forceOpen()} was called. */
    MANUAL_FORCE_OPEN,
    /** {@link Breaker#disable()} was called. */
    MANUAL_DISABLE,
    /** The breaker's configuration changed; its state stays (published as {@link BreakerEvent.ConfigChanged}). */
    RECONFIGURED,
    /** Another instance of the cluster opened the breaker: {@link Breaker#openByCluster}. */
    CLUSTER_OPENED,
    /** The instance that probed for the cluster reported a successful trial: {@link Breaker#recoverByCluster}. */
    CLUSTER_RECOVERED;

    /** Whether someone set the state by hand. */
    public boolean isManual() {
        return this == RESET || this == MANUAL_CLOSE || this == MANUAL_FORCE_OPEN || this == MANUAL_DISABLE;
    }
}
