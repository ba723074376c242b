package dev.breaker;

/** The kinds of {@link BreakerEvent}. */
public enum EventType {
    /** The breaker changed state: {@link BreakerEvent.StateTransition}. */
    STATE_TRANSITION(false),
    /** A threshold was reached and the breaker is opening: {@link BreakerEvent.ThresholdExceeded}. */
    THRESHOLD_EXCEEDED(false),
    /** The breaker was reset by hand: {@link BreakerEvent.Reset}. */
    RESET(false),
    /** An outage lasted longer than the configured alert time: {@link BreakerEvent.ProlongedOpen}. */
    PROLONGED_OPEN(false),
    /** The breaker's level changed: {@link BreakerEvent.LevelChanged}. */
    LEVEL_CHANGED(false),
    /** A gradual recovery began: {@link BreakerEvent.RecoveryStarted}. */
    RECOVERY_STARTED(false),
    /** A gradual recovery reached the whole traffic: {@link BreakerEvent.RecoveryCompleted}. */
    RECOVERY_COMPLETED(false),
    /** A gradual recovery failed and the breaker opened again: {@link BreakerEvent.RecoveryFailed}. */
    RECOVERY_FAILED(false),
    /** The breaker reached the emergency level: {@link BreakerEvent.Emergency}. */
    EMERGENCY(false),
    /** The breaker's configuration changed while it ran: {@link BreakerEvent.ConfigChanged}. */
    CONFIG_CHANGED(false),
    /** A call was rejected: {@link BreakerEvent.CallNotPermitted}. */
    CALL_NOT_PERMITTED(true),
    /** A call succeeded: {@link BreakerEvent.Success}. */
    SUCCESS(true),
    /** A call failed and the failure was recorded: {@link BreakerEvent.Failure}. */
    FAILURE(true),
    /** A call failed with an error the configuration ignores: {@link BreakerEvent.IgnoredError}. */
    IGNORED_ERROR(true);

    private final boolean perCall;

    EventType(boolean perCall) {
        this.perCall = perCall;
    }

    /**
     * Whether events of this type can occur on every call. Listening to them costs an event object per call;
     * breakers create none while nobody listens.
     */
    public boolean isPerCall() {
        return perCall;
    }

    int bit() {
        return 1 << ordinal();
    }
}
