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
    FORCED_OPEN
}
