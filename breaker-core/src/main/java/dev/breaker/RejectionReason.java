package dev.breaker;

/** Why a breaker rejected a call; carried by {@link CallNotPermittedException#reason()}. */
public enum RejectionReason {
    /** The breaker is open: a threshold was exceeded and the wait in open has not passed. */
    OPEN,
    /** The breaker is half-open and every trial permit is held by a trial call still in flight. */
    TRIAL_CALLS_IN_FLIGHT,
    /** The breaker is recovering and the call is over the share of traffic it admits for now. */
    RECOVERING,
    /** The breaker was forced open by hand. */
    FORCED_OPEN,
    /** A breaker this one depends on, directly or not, is open: the call would fail there anyway. */
    DEPENDENCY_OPEN,
    /** As many calls as the breaker allows at once are in flight. */
    CONCURRENCY_LIMIT,
    /** The breaker's calls per second are used up. */
    RATE_LIMIT,
    /** The call's priority is shed: sheddable calls while the breaker warns, or all but the most critical trials. */
    PRIORITY,
    /** Adaptive throttling sheds the call: the dependency accepts too few of the requests it gets. */
    THROTTLED;

    /** Whether this rejection is the breaker's own verdict on the dependency, rather than admission control. */
    public boolean isBreakerVerdict() {
        return this == OPEN || this == TRIAL_CALLS_IN_FLIGHT || this == RECOVERING || this == FORCED_OPEN;
    }
}
