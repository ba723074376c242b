package dev.breaker;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.time.Instant;

/** Something that happened to a breaker. Listeners receive these; see {@link BreakerEventListener}. */
public sealed interface BreakerEvent {

    /** The name of the breaker it happened to. */
    String breakerName();

    /** When it happened, by the breaker's wall clock. */
    Instant at();

    /** Its kind. */
    EventType type();

    /**
     * The breaker changed state.
     *
     * @param breakerName the breaker's name
     * @param at when
     * @param from the state before
     * @param to the state after
     * @param reason why
     */
    record StateTransition(String breakerName, Instant at, CircuitState from, CircuitState to,
                           TransitionReason reason) implements BreakerEvent {
        @Override
        public EventType type() {
            return EventType.STATE_TRANSITION;
        }
    }

    /**
     * A threshold was reached; a {@link StateTransition} to {@link CircuitState#OPEN} follows.
     *
     * @param breakerName the breaker's name
     * @param at when
     * @param reason which threshold
     * @param failureRate the failure rate in percent at that moment, -1 if not computed
     * @param slowCallRate the slow-call rate in percent at that moment, -1 if not computed
     * @param consecutiveFailures the failures in a row at that moment
     * @param baseline what the adaptive baseline decided on, for {@link TransitionReason#BASELINE_EXCEEDED}; else null
     */
    record ThresholdExceeded(String breakerName, Instant at, TransitionReason reason, float failureRate,
                             float slowCallRate, int consecutiveFailures, @Nullable BaselineInputs baseline)
            implements BreakerEvent {
        @Override
        public EventType type() {
            return EventType.THRESHOLD_EXCEEDED;
        }
    }

    /**
     * The inputs of an adaptive-baseline decision: the bucket's value of the signal that deviated and the learned
     * normal it was judged against (threshold {@code max(floor, mean + z * stddev)}).
     *
     * @param signal {@code failure-rate} (percent) or {@code latency} (milliseconds)
     * @param value the bucket's value
     * @param mean the learned mean
     * @param stddev the learned standard deviation
     * @param z the standard deviations that made a deviation
     */
    record BaselineInputs(String signal, double value, double mean, double stddev, double z) {
    }

    /**
     * The breaker was reset by hand.
     *
     * @param breakerName the breaker's name
     * @param at when
     */
    record Reset(String breakerName, Instant at) implements BreakerEvent {
        @Override
        public EventType type() {
            return EventType.RESET;
        }
    }

    /**
     * The breaker has been failing (open or half-open) for longer than its alert time; published once per outage.
     *
     * @param breakerName the breaker's name
     * @param at when
     * @param outageDuration how long the outage has lasted so far
     */
    record ProlongedOpen(String breakerName, Instant at, Duration outageDuration) implements BreakerEvent {
        @Override
        public EventType type() {
            return EventType.PROLONGED_OPEN;
        }
    }

    /**
     * The breaker's level changed; published only with escalation configured.
     *
     * @param breakerName the breaker's name
     * @param at when
     * @param from the level before
     * @param to the level after
     */
    record LevelChanged(String breakerName, Instant at, Level from, Level to) implements BreakerEvent {
        @Override
        public EventType type() {
            return EventType.LEVEL_CHANGED;
        }
    }

    /**
     * A successful trial began a gradual recovery.
     *
     * @param breakerName the breaker's name
     * @param at when
     * @param ramp how long the ramp takes at most
     * @param minSharePercent the share of calls admitted from the start
     */
    record RecoveryStarted(String breakerName, Instant at, Duration ramp, float minSharePercent)
            implements BreakerEvent {
        @Override
        public EventType type() {
            return EventType.RECOVERY_STARTED;
        }
    }

    /**
     * A gradual recovery reached the whole traffic; the breaker is closed.
     *
     * @param breakerName the breaker's name
     * @param at when
     * @param took how long the ramp took
     */
    record RecoveryCompleted(String breakerName, Instant at, Duration took) implements BreakerEvent {
        @Override
        public EventType type() {
            return EventType.RECOVERY_COMPLETED;
        }
    }

    /**
     * The calls of a gradual recovery failed; the breaker is open again and counts a failed recovery.
     *
     * @param breakerName the breaker's name
     * @param at when
     * @param cause the threshold the ramp's calls reached
     * @param sharePercent the share of calls admitted when it failed
     */
    record RecoveryFailed(String breakerName, Instant at, TransitionReason cause, float sharePercent)
            implements BreakerEvent {
        @Override
        public EventType type() {
            return EventType.RECOVERY_FAILED;
        }
    }

    /**
     * The breaker reached the {@link Level#EMERGENCY} level: from now on one trial call at a time.
     *
     * @param breakerName the breaker's name
     * @param at when
     * @param cause why
     * @param failedRecoveries failed recoveries in a row in this outage
     * @param outageDuration how long the outage has lasted
     */
    record Emergency(String breakerName, Instant at, EmergencyCause cause, int failedRecoveries,
                     Duration outageDuration) implements BreakerEvent {
        @Override
        public EventType type() {
            return EventType.EMERGENCY;
        }
    }

    /** Why a breaker reached the emergency level. */
    enum EmergencyCause {
        /** As many recoveries in a row failed as the escalation allows. */
        FAILED_RECOVERIES,
        /** The outage lasted longer than the prolonged-open alert. */
        PROLONGED_OUTAGE
    }

    /**
     * The breaker's configuration changed while it ran; its state, window (when the window kind and size are the
     * same) and totals carried on.
     *
     * @param breakerName the breaker's name
     * @param at when
     * @param from the configuration before
     * @param to the configuration after
     * @param source who changed it (for example {@code endpoint}, {@code environment}, {@code api})
     */
    record ConfigChanged(String breakerName, Instant at, BreakerConfig from, BreakerConfig to, String source)
            implements BreakerEvent {
        @Override
        public EventType type() {
            return EventType.CONFIG_CHANGED;
        }
    }

    /**
     * A call was rejected.
     *
     * @param breakerName the breaker's name
     * @param at when
     * @param state the state of the breaker that rejected it
     * @param reason why
     * @param blockedBy the dependency whose breaker blocked the call, for {@link RejectionReason#DEPENDENCY_OPEN};
     *     else {@code null}
     */
    record CallNotPermitted(String breakerName, Instant at, CircuitState state, RejectionReason reason,
                            @Nullable String blockedBy) implements BreakerEvent {

        /** A rejection for a reason other than {@link RejectionReason#DEPENDENCY_OPEN}. */
        public CallNotPermitted(String breakerName, Instant at, CircuitState state, RejectionReason reason) {
            this(breakerName, at, state, reason, null);
        }

        @Override
        public EventType type() {
            return EventType.CALL_NOT_PERMITTED;
        }
    }

    /**
     * A call succeeded.
     *
     * @param breakerName the breaker's name
     * @param at when
     * @param elapsed how long the call took, zero when it was not timed
     */
    record Success(String breakerName, Instant at, Duration elapsed) implements BreakerEvent {
        @Override
        public EventType type() {
            return EventType.SUCCESS;
        }
    }

    /**
     * A call failed and the failure was recorded.
     *
     * @param breakerName the breaker's name
     * @param at when
     * @param elapsed how long the call took, zero when it was not timed
     * @param error the error, or {@code null} when a result was recorded as a failure
     */
    record Failure(String breakerName, Instant at, Duration elapsed, @Nullable Throwable error)
            implements BreakerEvent {
        @Override
        public EventType type() {
            return EventType.FAILURE;
        }
    }

    /**
     * A call failed with an error the configuration ignores; it was not recorded.
     *
     * @param breakerName the breaker's name
     * @param at when
     * @param elapsed how long the call took, zero when it was not timed
     * @param error the error
     */
    record IgnoredError(String breakerName, Instant at, Duration elapsed, Throwable error) implements BreakerEvent {
        @Override
        public EventType type() {
            return EventType.IGNORED_ERROR;
        }
    }
}
