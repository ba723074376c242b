package dev.breaker;

/** The kinds of sliding window a breaker evaluates its thresholds over. */
public enum WindowType {
    /** The last N calls. */
    COUNT,
    /** The calls of the last period of time. */
    TIME
}
