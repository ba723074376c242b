package dev.breaker;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Thrown when a breaker rejects a call. Names the state that rejected it, the breaker's level, the reason, and when
 * a call may be let through again. Without a stack trace unless the breaker's configuration asks for one, so that
 * rejecting is cheap; without one, the breaker may hand the same instance to every call its state rejects for the
 * same reason at the same level.
 */
public final class CallNotPermittedException extends RuntimeException {

    private static final long serialVersionUID = 2L;
    /** {@code retryAt} of a rejection that lasts until someone closes the breaker. */
    static final long UNTIL_CLOSED = Long.MIN_VALUE;

    private final String breakerName;
    private final CircuitState state;
    private final Level level;
    private final RejectionReason reason;
    private final long retryAt;
    private final long retryAfterNanos;
    private final transient @Nullable Ticker ticker;
    private final int trialCalls;

    /**
     * @param retryAt the ticker reading from which a call may be let through, or {@link #UNTIL_CLOSED}; ignored when
     *     {@code retryAfterNanos} is not negative
     * @param retryAfterNanos a retry-after that does not depend on when it is asked, or -1
     * @param trialCalls the trial calls of the rejecting half-open state
     */
    CallNotPermittedException(String breakerName, CircuitState state, Level level, RejectionReason reason,
                              long retryAt, long retryAfterNanos, Ticker ticker, int trialCalls,
                              boolean writableStackTrace) {
        super(null, null, false, writableStackTrace);
        this.breakerName = breakerName;
        this.state = state;
        this.level = level;
        this.reason = reason;
        this.retryAt = retryAt;
        this.retryAfterNanos = retryAfterNanos;
        this.ticker = ticker;
        this.trialCalls = trialCalls;
    }

    /** The name of the breaker that rejected the call. */
    public String breakerName() {
        return breakerName;
    }

    /** The state of the breaker when it rejected the call. */
    public CircuitState state() {
        return state;
    }

    /** The breaker's level when it rejected the call: a fallback may answer an emergency differently. */
    public Level level() {
        return level;
    }

    /** Why the call was rejected. */
    public RejectionReason reason() {
        return reason;
    }

    /**
     * How long from now until the breaker lets a call through again: the rest of the wait in open, zero while
     * half-open trial calls are in flight, a second while recovering, and empty for a breaker forced open by hand.
     */
    public Optional<Duration> retryAfter() {
        if (retryAfterNanos < 0 && retryAt == UNTIL_CLOSED) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(retryAfterNanos()));
    }

    private long retryAfterNanos() {
        if (retryAfterNanos >= 0) {
            return retryAfterNanos;
        }
        return ticker == null ? 0 : Math.max(0, retryAt - ticker.read());
    }

    @Override
    public String getMessage() {
        String prefix = "Breaker '" + breakerName + "' is " + state + (level == Level.EMERGENCY ? " (EMERGENCY)" : "");
        return switch (reason) {
            case OPEN -> prefix + " and permits no calls for another "
                    + String.format(Locale.ROOT, "%.1fs", retryAfterNanos() / 1e9);
            case TRIAL_CALLS_IN_FLIGHT -> prefix + " and permits no calls until its " + trialCalls
                    + " trial call" + (trialCalls == 1 ? "" : "s") + " complete";
            case RECOVERING -> prefix + " and lets only part of the calls through while the dependency recovers";
            case FORCED_OPEN -> prefix + " and permits no calls until it is closed or reset";
        };
    }
}
