package dev.breaker.spring.actuate;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.breaker.BreakerEvent;
import org.jspecify.annotations.Nullable;

/**
 * One event as the {@code breakerevents} endpoint describes it; fields that do not apply to its type are
 * null.
 *
 * @param breaker the breaker's name
 * @param type the event type
 * @param time when it happened, ISO-8601; for rejections, when the latest of the run was rejected
 * @param fromState the state before a transition
 * @param toState the state after a transition
 * @param reason why a transition happened, which threshold was exceeded or made a recovery fail, why an
 *     emergency was declared ({@code FAILED_RECOVERIES}, {@code PROLONGED_OUTAGE}), or why calls were rejected
 *     ({@code OPEN}, {@code DEPENDENCY_OPEN}, {@code RATE_LIMIT}, ...)
 * @param state the state that rejected calls
 * @param count how many calls were rejected in this run (a stretch of rejections in one state)
 * @param firstTime when the first call of the run was rejected
 * @param durationMillis how long the call took, how long an outage has lasted, or how long a recovery took
 * @param errorType the class of a call's error
 * @param errorMessage the message of a call's error, null unless messages are included (they may carry downstream
 *     response bodies and internal URLs)
 * @param failureRate the failure rate when a threshold was exceeded
 * @param slowCallRate the slow-call rate when a threshold was exceeded
 * @param fromLevel the level before a level change
 * @param toLevel the level after a level change
 * @param ramp how long a recovery's ramp takes at most, ISO-8601
 * @param sharePercent the share of calls let through when a recovery started or failed
 * @param failedRecoveries the failed recoveries in a row that made an emergency
 * @param baseline the inputs of a learned baseline's decision when its threshold was exceeded (reason
 *     {@code BASELINE_EXCEEDED}): the bucket's value, the learned mean and standard deviation, and z
 * @param blockedBy the dependency whose breaker blocked the rejected calls, for reason {@code DEPENDENCY_OPEN}
 * @param source who changed the configuration, for {@code CONFIG_CHANGED}: {@code environment},
 *     {@code endpoint:<user>}, {@code api}...
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record EventDescriptor(
        String breaker,
        String type,
        String time,
        @Nullable String fromState,
        @Nullable String toState,
        @Nullable String reason,
        @Nullable String state,
        @Nullable Long count,
        @Nullable String firstTime,
        @Nullable Double durationMillis,
        @Nullable String errorType,
        @Nullable String errorMessage,
        @Nullable Float failureRate,
        @Nullable Float slowCallRate,
        @Nullable String fromLevel,
        @Nullable String toLevel,
        @Nullable String ramp,
        @Nullable Float sharePercent,
        @Nullable Integer failedRecoveries,
        @Nullable BaselineInputsDescriptor baseline,
        @Nullable String blockedBy,
        @Nullable String source) {

    /**
     * The inputs of a learned baseline's decision: the bucket deviated when {@code value} exceeded
     * {@code max(floor, mean + z * stddev)}.
     *
     * @param signal {@code failure-rate} (percent) or {@code latency} (milliseconds)
     * @param value the bucket's value
     * @param mean the learned mean
     * @param stddev the learned standard deviation
     * @param z the standard deviations above the mean that made a deviation
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record BaselineInputsDescriptor(String signal, double value, double mean, double stddev, double z) {
    }

    static EventDescriptor of(BreakerEventBuffer.RecentEvent recent, boolean includeMessages) {
        BreakerEvent event = recent.event();
        Builder b = new Builder(event, includeMessages);
        if (event instanceof BreakerEvent.StateTransition e) {
            b.fromState = e.from().name();
            b.toState = e.to().name();
            b.reason = e.reason().name();
        } else if (event instanceof BreakerEvent.ThresholdExceeded e) {
            b.reason = e.reason().name();
            b.failureRate = e.failureRate();
            b.slowCallRate = e.slowCallRate();
            BreakerEvent.BaselineInputs inputs = e.baseline();
            if (inputs != null) {
                b.baseline = new BaselineInputsDescriptor(inputs.signal(), inputs.value(), inputs.mean(),
                        inputs.stddev(), inputs.z());
            }
        } else if (event instanceof BreakerEvent.CallNotPermitted e) {
            b.state = e.state().name();
            b.reason = e.reason().name();
            b.blockedBy = e.blockedBy();
            b.count = recent.count();
            b.firstTime = recent.firstAt().toString();
        } else if (event instanceof BreakerEvent.Success e) {
            b.durationMillis = e.elapsed().toNanos() / 1e6;
        } else if (event instanceof BreakerEvent.Failure e) {
            b.durationMillis = e.elapsed().toNanos() / 1e6;
            b.error(e.error());
        } else if (event instanceof BreakerEvent.IgnoredError e) {
            b.durationMillis = e.elapsed().toNanos() / 1e6;
            b.error(e.error());
        } else if (event instanceof BreakerEvent.ProlongedOpen e) {
            b.durationMillis = (double) e.outageDuration().toMillis();
        } else if (event instanceof BreakerEvent.LevelChanged e) {
            b.fromLevel = e.from().name();
            b.toLevel = e.to().name();
        } else if (event instanceof BreakerEvent.RecoveryStarted e) {
            b.ramp = e.ramp().toString();
            b.sharePercent = e.minSharePercent();
        } else if (event instanceof BreakerEvent.RecoveryCompleted e) {
            b.durationMillis = (double) e.took().toMillis();
        } else if (event instanceof BreakerEvent.RecoveryFailed e) {
            b.reason = e.cause().name();
            b.sharePercent = e.sharePercent();
        } else if (event instanceof BreakerEvent.Emergency e) {
            b.reason = e.cause().name();
            b.failedRecoveries = e.failedRecoveries();
            b.durationMillis = (double) e.outageDuration().toMillis();
        } else if (event instanceof BreakerEvent.ConfigChanged e) {
            b.source = e.source();
        }
        return b.build();
    }

    private static final class Builder {
        private final BreakerEvent event;
        private final boolean includeMessages;
        private @Nullable String fromState;
        private @Nullable String toState;
        private @Nullable String reason;
        private @Nullable String state;
        private @Nullable Long count;
        private @Nullable String firstTime;
        private @Nullable Double durationMillis;
        private @Nullable String errorType;
        private @Nullable String errorMessage;
        private @Nullable Float failureRate;
        private @Nullable Float slowCallRate;
        private @Nullable String fromLevel;
        private @Nullable String toLevel;
        private @Nullable String ramp;
        private @Nullable Float sharePercent;
        private @Nullable Integer failedRecoveries;
        private @Nullable BaselineInputsDescriptor baseline;
        private @Nullable String blockedBy;
        private @Nullable String source;

        Builder(BreakerEvent event, boolean includeMessages) {
            this.event = event;
            this.includeMessages = includeMessages;
        }

        void error(@Nullable Throwable error) {
            if (error != null) {
                errorType = error.getClass().getName();
                errorMessage = includeMessages ? error.getMessage() : null;
            }
        }

        EventDescriptor build() {
            return new EventDescriptor(event.breakerName(), event.type().name(), event.at().toString(), fromState,
                    toState, reason, state, count, firstTime, durationMillis, errorType, errorMessage, failureRate,
                    slowCallRate, fromLevel, toLevel, ramp, sharePercent, failedRecoveries, baseline,
                    blockedBy, source);
        }
    }
}
