package dev.breaker;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Thrown when a breaker rejects a call. Without a stack trace unless the breaker's configuration asks for one,
 * so that rejecting is cheap.
 */
public final class CallNotPermittedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String breakerName;
    private final CircuitState state;
    private final long retryAfterNanos;
    private final int halfOpenCalls;

    CallNotPermittedException(String breakerName, CircuitState state, long retryAfterNanos, int halfOpenCalls,
                              boolean writableStackTrace) {
        super(null, null, false, writableStackTrace);
        this.breakerName = breakerName;
        this.state = state;
        this.retryAfterNanos = retryAfterNanos;
        this.halfOpenCalls = halfOpenCalls;
    }

    /** The name of the breaker that rejected the call. */
    public String breakerName() {
        return breakerName;
    }

    /** The state the breaker was in. */
    public CircuitState state() {
        return state;
    }

    /**
     * How long until the breaker lets a call through again: the rest of the wait in open, zero while half-open
     * trial calls are in flight, and empty for a breaker forced open by hand.
     */
    public Optional<Duration> retryAfter() {
        return retryAfterNanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(retryAfterNanos));
    }

    @Override
    public String getMessage() {
        String prefix = "Breaker '" + breakerName + "' is " + state;
        return switch (state) {
            case OPEN -> prefix + " and permits no calls for another "
                    + String.format(Locale.ROOT, "%.1fs", retryAfterNanos / 1e9);
            case HALF_OPEN -> prefix + " and permits no calls until its " + halfOpenCalls + " trial calls complete";
            default -> prefix + " and permits no calls until it is closed or reset";
        };
    }
}
