package dev.breaker;

/**
 * How serious a breaker's situation is, beside its state: {@link Breaker#level()}. Levels beyond what the state
 * says ({@link #WARNING}, {@link #EMERGENCY}) are reached only with {@link Escalation} configured.
 */
public enum Level {
    /** Closed and healthy (or disabled by hand). */
    NORMAL,
    /** Closed, but under pressure: a rate near its threshold, or failures in a row near their limit. */
    WARNING,
    /** Open, half-open, recovering, or forced open: the dependency is failing or on probation. */
    CRITICAL,
    /** Recoveries failed again and again, or the outage has lasted longer than its alert: one trial at a time. */
    EMERGENCY
}
