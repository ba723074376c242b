package dev.breaker;

/** How a breaker's configuration treats an error thrown by a call. */
public enum ErrorClassification {
    /** Recorded as a failure; a fallback applies. */
    FAILURE,
    /** Recorded as a success: neither recorded nor ignored by the configuration. */
    SUCCESS,
    /** Not recorded at all, and the call's permit is given back. */
    IGNORED
}
