package dev.breaker;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Thrown when a breaker rejects a call. Names the state that rejected it, the breaker's level, the reason (and the
 * dependency that blocked it), and when a call may be let through again. Without a stack trace unless the
 * breaker's configuration asks for one, so that rejecting is cheap; without one, the breaker may hand the same
 * instance to every call its state rejects for the same reason at the same level.
 */
public final class CallNotPermittedException extends RuntimeException {

    private static final long serialVersionUID = 3L;

    private final String breakerName;
    private final CircuitState state;
    private final Level level;
    private final RejectionReason reason;
    private final @Nullable String blockedBy;
    private final transient @Nullable RetryAfter retryAfter;
    private final int trialCalls;

    CallNotPermittedException(String breakerName, CircuitState state, Level level, RejectionReason reason,
                              @Nullable String blockedBy, RetryAfter retryAfter, int trialCalls,
                              boolean writableStackTrace) {
        super(null, null, false, writableStackTrace);
        this.breakerName = breakerName;
        this.state = state;
        this.level = level;
        this.reason = reason;
        this.blockedBy = blockedBy;
        this.retryAfter = retryAfter;
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

    /** The dependency whose breaker blocked the call, for {@link RejectionReason#DEPENDENCY_OPEN}. */
    public Optional<String> blockedBy() {
        return Optional.ofNullable(blockedBy);
    }

    /**
     * How long from now until the breaker (or the dependency that blocks it) lets a call through again: the rest of
     * the wait in open, zero while half-open trial calls are in flight, a second while recovering, the time until
     * the next token of a rate limit, and empty for a breaker forced open by hand.
     */
    public Optional<Duration> retryAfter() {
        long nanos = retryAfterNanos();
        return nanos == RetryAfter.UNTIL_CLOSED ? Optional.empty() : Optional.of(Duration.ofNanos(nanos));
    }

    private long retryAfterNanos() {
        return retryAfter == null ? 0 : retryAfter.nanosFromNow();
    }

    @Override
    public String getMessage() {
        String prefix = "Breaker '" + breakerName + "' is " + state + (level == Level.EMERGENCY ? " (EMERGENCY)" : "");
        return switch (reason) {
            case OPEN -> prefix + " and permits no calls for another " + seconds(retryAfterNanos());
            case TRIAL_CALLS_IN_FLIGHT -> prefix + " and permits no calls until its " + trialCalls
                    + " trial call" + (trialCalls == 1 ? "" : "s") + " complete";
            case RECOVERING -> prefix + " and lets only part of the calls through while the dependency recovers";
            case FORCED_OPEN -> prefix + " and permits no calls until it is closed or reset";
            case DEPENDENCY_OPEN -> "Breaker '" + breakerName + "' permits no calls while its dependency '"
                    + blockedBy + "' is open" + (retryAfterNanos() == RetryAfter.UNTIL_CLOSED ? ""
                    : ", for another " + seconds(retryAfterNanos()));
            case CONCURRENCY_LIMIT -> "Breaker '" + breakerName + "' permits no more calls in flight at once";
            case RATE_LIMIT -> "Breaker '" + breakerName + "' permits no more calls per second for another "
                    + seconds(retryAfterNanos());
            case PRIORITY -> prefix + " and sheds calls of this priority";
            case THROTTLED -> "Breaker '" + breakerName + "' sheds part of its calls: the dependency accepts too few";
        };
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1fs", Math.max(0, nanos) / 1e9);
    }
}
