package dev.breaker.spring.actuate;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.breaker.AdaptiveBaseline;
import dev.breaker.AdaptiveThrottle;
import dev.breaker.AdaptiveTimeout;
import dev.breaker.BaselineSnapshot;
import dev.breaker.Breaker;
import dev.breaker.BreakerConfig;
import dev.breaker.BreakerMetrics;
import dev.breaker.Escalation;
import dev.breaker.GradualRecovery;
import dev.breaker.RecoveryMode;
import dev.breaker.WindowType;
import dev.breaker.spring.alerts.Transition;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One breaker as the {@code breakers} endpoint describes it: figures, timestamps (ISO-8601 or null) and the
 * effective configuration.
 *
 * @param state the state
 * @param level the level: NORMAL, WARNING, CRITICAL or EMERGENCY
 * @param failureRate the failure rate in percent, -1 while under the minimum calls
 * @param slowCallRate the slow-call rate in percent, -1 while under the minimum calls
 * @param bufferedCalls calls in the window
 * @param failedCalls failed calls in the window
 * @param slowCalls slow calls in the window
 * @param successfulCalls successful calls in the window
 * @param notPermittedCalls calls rejected since the breaker was created
 * @param totalCalls calls answered since the breaker was created
 * @param totalSuccesses successful calls since the breaker was created
 * @param totalFailures failed calls since the breaker was created
 * @param totalIgnored calls with ignored errors since the breaker was created
 * @param stateTransitions state changes since the breaker was created
 * @param lastFailureTime when the last failure was recorded
 * @param lastSuccessTime when the last success was recorded
 * @param lastStateChangeTime when the breaker last changed state
 * @param timeInStateMillis milliseconds in the current state
 * @param admittedSharePercent the share of calls let through now, in percent: 100 closed or disabled, the ramp's
 *     share recovering, 0 otherwise (half-open trial calls aside)
 * @param rampRemainingMillis the longest the gradual recovery may still take, 0 when not recovering
 * @param rampHeld whether the ramp holds its share because its calls fail at half a threshold or more
 * @param escalations the escalation count: failed recoveries not yet decayed
 * @param timeoutMillis the time a call may take now (the adaptive limit as of now), null without a timeout
 * @param throttleRejectPercent the share of calls adaptive throttling rejects now, null without throttling
 * @param baseline what the learned baseline knows, null without one
 * @param dependsOn every breaker this one depends on, directly or not
 * @param blockedBy the dependency whose breaker blocks this one's calls now, or null
 * @param notPermittedByReason rejected calls since the breaker was created, by reason (reasons without any left
 *     out), such as {@code OPEN}, {@code DEPENDENCY_OPEN}, {@code CONCURRENCY_LIMIT}, {@code RATE_LIMIT}
 * @param notPermittedByPriority rejected calls by the priority they had, counted once calls carry priorities
 * @param callsInFlight calls in flight now, null without a concurrency limit
 * @param remainingWaitMillis what remains of the wait in open before trial calls are let in, 0 unless open
 * @param lastTransition the last state transition, explained (the rate that decided it against its threshold), null
 *     before the first one
 * @param config the effective configuration
 * @param cluster what the instances of the application share about the breaker, null unless cluster coordination is
 *     on ({@code breaker.cluster.enabled})
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record BreakerDescriptor(
        String state,
        String level,
        float failureRate,
        float slowCallRate,
        long bufferedCalls,
        long failedCalls,
        long slowCalls,
        long successfulCalls,
        long notPermittedCalls,
        long totalCalls,
        long totalSuccesses,
        long totalFailures,
        long totalIgnored,
        long stateTransitions,
        @Nullable String lastFailureTime,
        @Nullable String lastSuccessTime,
        @Nullable String lastStateChangeTime,
        long timeInStateMillis,
        float admittedSharePercent,
        long rampRemainingMillis,
        boolean rampHeld,
        int escalations,
        @Nullable Double timeoutMillis,
        @Nullable Float throttleRejectPercent,
        @Nullable BaselineDescriptor baseline,
        List<String> dependsOn,
        @Nullable String blockedBy,
        Map<String, Long> notPermittedByReason,
        Map<String, Long> notPermittedByPriority,
        @Nullable Integer callsInFlight,
        long remainingWaitMillis,
        @Nullable TransitionDescriptor lastTransition,
        ConfigDescriptor config,
        @Nullable ClusterDescriptor cluster) implements OperationResponseBody {

    static BreakerDescriptor of(Breaker breaker, @Nullable BreakerClusterOperations cluster,
                                @Nullable Transition lastTransition) {
        BreakerMetrics m = breaker.metrics();
        return new BreakerDescriptor(m.state().name(), m.level().name(), m.failureRate(), m.slowCallRate(),
                m.bufferedCalls(), m.failedCalls(), m.slowCalls(), m.successfulCalls(), m.totalNotPermitted(),
                m.totalCalls(), m.totalSuccesses(), m.totalFailures(), m.totalIgnored(), m.stateTransitions(),
                iso(m.lastFailureTime()), iso(m.lastSuccessTime()), iso(m.lastStateChangeTime()),
                m.timeInState().toMillis(), m.admittedSharePercent(), m.rampRemaining().toMillis(), m.rampHeld(),
                m.escalations(), m.timeout() == null ? null : m.timeout().toNanos() / 1e6,
                Float.isNaN(m.throttleRejectPercent()) ? null : m.throttleRejectPercent(),
                m.baseline() == null ? null : BaselineDescriptor.of(m.baseline()),
                breaker.dependencies(), m.blockedBy(), byName(m.notPermittedByReason()),
                byName(m.notPermittedByPriority()), m.callsInFlight() < 0 ? null : m.callsInFlight(),
                breaker.remainingWait().toMillis(),
                lastTransition == null ? null : TransitionDescriptor.of(lastTransition),
                ConfigDescriptor.of(breaker.config()),
                cluster == null ? null : cluster.describe(breaker.name()));
    }

    /** The counts by the constant's name, in the constants' order. */
    private static <E extends Enum<E>> Map<String, Long> byName(Map<E, Long> counts) {
        Map<String, Long> named = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(count -> named.put(count.getKey().name(), count.getValue()));
        return named;
    }

    private static @Nullable String iso(@Nullable Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /**
     * A state transition, explained.
     *
     * @param time when it happened, ISO-8601
     * @param from the state before
     * @param to the state after
     * @param reason why, such as {@code SLOW_CALL_RATE_EXCEEDED}
     * @param failureRate the failure rate in percent of the window that decided it, null when not known
     * @param slowCallRate the slow-call rate in percent of that window, null when not known
     * @param failureRateThreshold the failure-rate threshold in percent
     * @param slowCallRateThreshold the slow-call-rate threshold in percent
     * @param consecutiveFailures the failures in a row that opened it, for {@code CONSECUTIVE_FAILURES}; else null
     * @param summary the transition in a sentence, such as "Opened: slow-call rate 80 % ≥ 50 %"
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record TransitionDescriptor(String time, String from, String to, String reason,
                                       @Nullable Float failureRate, @Nullable Float slowCallRate,
                                       float failureRateThreshold, float slowCallRateThreshold,
                                       @Nullable Integer consecutiveFailures, String summary) {

        static TransitionDescriptor of(Transition t) {
            return new TransitionDescriptor(t.at().toString(), t.from().name(), t.to().name(), t.reason().name(),
                    t.failureRate(), t.slowCallRate(), t.failureRateThreshold(), t.slowCallRateThreshold(),
                    t.consecutiveFailures() > 0 ? t.consecutiveFailures() : null, t.summary());
        }
    }

    /**
     * A breaker's effective configuration; durations as ISO-8601 ({@code PT1M}), absent options as null.
     *
     * @param failureRateThreshold percent at or above which it opens
     * @param slowCallRateThreshold percent of slow calls at or above which it opens
     * @param slowCallDuration duration above which a call is slow, null if slow-call detection is off
     * @param slidingWindowType {@code count} or {@code time}
     * @param slidingWindowSize calls (count) or ISO-8601 duration (time)
     * @param minimumCalls calls before rates are computed
     * @param consecutiveFailures failures in a row that open it, 0 if off
     * @param waitInOpen wait before trial calls
     * @param waitInOpenMultiplier backoff factor of the wait
     * @param maxWaitInOpen longest backed-off wait
     * @param halfOpenCalls trial calls
     * @param maxWaitInHalfOpen longest wait for trial calls, PT0S if unlimited
     * @param recordExceptions exceptions recorded as failures, empty for all
     * @param ignoreExceptions exceptions ignored
     * @param prolongedOpenAlert outage length that raises the alert, null if off
     * @param gradualRecovery the gradual recovery, null if off
     * @param escalation the escalation, null if off
     * @param timeout the fixed timeout, null if none or adaptive
     * @param adaptiveTimeout the adaptive timeout, null if none or fixed
     * @param timeoutInterrupt whether blocking calls are interrupted when their timeout passes
     * @param mode how the thresholds are judged: {@code static}, {@code throttle} or {@code baseline}
     * @param throttle the adaptive throttling, null unless the mode is {@code throttle}
     * @param baseline the learned baseline's configuration, null unless the mode is {@code baseline}
     * @param dependsOn the breakers it depends on directly
     * @param maxConcurrentCalls calls in flight at most, 0 if unlimited
     * @param maxCallsPerSecond calls per second at most, 0 if unlimited
     * @param rateLimitBurst calls the rate limit admits at once after an idle time, null without a rate limit
     * @param reservedForCriticalPercent percent of the limits kept for critical calls
     * @param defaultPriority the priority of calls that carry none, such as {@code CRITICAL}
     * @param shedOnWarning whether sheddable calls are rejected at the WARNING level
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ConfigDescriptor(
            float failureRateThreshold,
            float slowCallRateThreshold,
            @Nullable String slowCallDuration,
            String slidingWindowType,
            String slidingWindowSize,
            int minimumCalls,
            int consecutiveFailures,
            String waitInOpen,
            double waitInOpenMultiplier,
            String maxWaitInOpen,
            int halfOpenCalls,
            String maxWaitInHalfOpen,
            List<String> recordExceptions,
            List<String> ignoreExceptions,
            @Nullable String prolongedOpenAlert,
            @Nullable RecoveryDescriptor gradualRecovery,
            @Nullable EscalationDescriptor escalation,
            @Nullable String timeout,
            @Nullable AdaptiveTimeoutDescriptor adaptiveTimeout,
            boolean timeoutInterrupt,
            String mode,
            @Nullable ThrottleDescriptor throttle,
            @Nullable BaselineConfigDescriptor baseline,
            List<String> dependsOn,
            int maxConcurrentCalls,
            double maxCallsPerSecond,
            @Nullable Integer rateLimitBurst,
            float reservedForCriticalPercent,
            String defaultPriority,
            boolean shedOnWarning) {

        static ConfigDescriptor of(BreakerConfig c) {
            boolean count = c.windowType() == WindowType.COUNT;
            return new ConfigDescriptor(c.failureRateThreshold(), c.slowCallRateThreshold(),
                    c.slowCallDuration().map(Duration::toString).orElse(null), count ? "count" : "time",
                    count ? Integer.toString(c.countWindowSize()) : c.timeWindowSize().toString(), c.minimumCalls(),
                    c.consecutiveFailures(), c.waitInOpen().toString(), c.waitInOpenMultiplier(),
                    c.maxWaitInOpen().toString(), c.halfOpenCalls(), c.maxWaitInHalfOpen().toString(),
                    c.recordExceptions().stream().map(Class::getName).toList(),
                    c.ignoreExceptions().stream().map(Class::getName).toList(),
                    c.prolongedOpenAlert().map(Duration::toString).orElse(null),
                    c.gradualRecovery().map(RecoveryDescriptor::of).orElse(null),
                    c.escalation().map(EscalationDescriptor::of).orElse(null),
                    c.timeout().map(Duration::toString).orElse(null),
                    c.adaptiveTimeout().map(AdaptiveTimeoutDescriptor::of).orElse(null), c.timeoutInterrupt(),
                    c.adaptiveThrottle().isPresent() ? "throttle" : c.adaptiveBaseline().isPresent() ? "baseline"
                            : "static",
                    c.adaptiveThrottle().map(ThrottleDescriptor::of).orElse(null),
                    c.adaptiveBaseline().map(BaselineConfigDescriptor::of).orElse(null), c.dependsOn(),
                    c.maxConcurrentCalls(), c.maxCallsPerSecond(),
                    c.maxCallsPerSecond() > 0 ? c.rateLimitBurst() : null, c.reservedForCriticalPercent(),
                    c.defaultPriority().name(), c.shedOnWarning());
        }
    }

    /**
     * A gradual recovery's configuration.
     *
     * @param ramp how long the ramp takes (the longest, in success-steps mode), ISO-8601
     * @param minSharePercent the share let through from the start
     * @param aggression the curve's exponent, 1 for linear
     * @param mode {@code time} or {@code success-steps}
     * @param stepPercent percent added per step, null unless in success-steps mode
     * @param successesPerStep successful calls per step, null unless in success-steps mode
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record RecoveryDescriptor(String ramp, float minSharePercent, double aggression, String mode,
                                     @Nullable Float stepPercent, @Nullable Integer successesPerStep) {

        static RecoveryDescriptor of(GradualRecovery r) {
            boolean steps = r.mode() == RecoveryMode.SUCCESS_STEPS;
            return new RecoveryDescriptor(r.ramp().toString(), r.minSharePercent(), r.aggression(),
                    steps ? "success-steps" : "time", steps ? r.stepPercent() : null,
                    steps ? r.successesPerStep() : null);
        }
    }

    /**
     * An escalation's configuration.
     *
     * @param warningAtPercent percent of a threshold at which a closed breaker warns
     * @param warningClearAtPercent percent of a threshold below which the warning clears
     * @param emergencyAfter failed recoveries in a row that make an emergency
     * @param stablePeriod time closed and normal that takes one off the escalation count, ISO-8601
     * @param jitter the fraction by which the wait in open varies either way
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record EscalationDescriptor(float warningAtPercent, float warningClearAtPercent, int emergencyAfter,
                                       String stablePeriod, double jitter) {

        static EscalationDescriptor of(Escalation e) {
            return new EscalationDescriptor(e.warningAtPercent(), e.warningClearAtPercent(), e.emergencyAfter(),
                    e.stablePeriod().toString(), e.jitter());
        }
    }

    /**
     * An adaptive timeout's configuration.
     *
     * @param percentile the percentile of successful call durations it follows
     * @param factor what the percentile is multiplied by
     * @param min the shortest timeout, ISO-8601
     * @param max the longest timeout, and the timeout while too few calls are known, ISO-8601
     * @param window how far back call durations count, ISO-8601
     * @param minimumCalls the successes the window needs before the percentile is used
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record AdaptiveTimeoutDescriptor(double percentile, double factor, String min, String max, String window,
                                            int minimumCalls) {

        static AdaptiveTimeoutDescriptor of(AdaptiveTimeout a) {
            return new AdaptiveTimeoutDescriptor(a.percentile(), a.factor(), a.min().toString(), a.max().toString(),
                    a.window().toString(), a.minimumCalls());
        }
    }

    /**
     * Adaptive throttling's configuration.
     *
     * @param window how far back requests and accepts count, ISO-8601
     * @param k the requests per accepted call tolerated before shedding
     * @param maxRejectPercent the largest share ever shed
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ThrottleDescriptor(String window, double k, float maxRejectPercent) {

        static ThrottleDescriptor of(AdaptiveThrottle t) {
            return new ThrottleDescriptor(t.window().toString(), t.k(), t.maxRejectPercent());
        }
    }

    /**
     * A learned baseline's configuration.
     *
     * @param bucket the length of one bucket, ISO-8601
     * @param halfLife how fast the learned normal follows the traffic, ISO-8601
     * @param z the standard deviations above the mean that make a deviation
     * @param confirm the buckets in a row that must deviate
     * @param warmUpBuckets the buckets learned before deviations are judged
     * @param failureRateFloorPercent a failure rate at or below which a bucket never deviates
     * @param latencyFloor a mean latency at or below which a bucket never deviates, ISO-8601; PT0S learns none
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record BaselineConfigDescriptor(String bucket, String halfLife, double z, int confirm, int warmUpBuckets,
                                           float failureRateFloorPercent, String latencyFloor) {

        static BaselineConfigDescriptor of(AdaptiveBaseline b) {
            return new BaselineConfigDescriptor(b.bucket().toString(), b.halfLife().toString(), b.z(), b.confirm(),
                    b.warmUpBuckets(), b.failureRateFloorPercent(), b.latencyFloor().toString());
        }
    }

    /**
     * What a learned baseline knows now.
     *
     * @param learnedBuckets the buckets learned so far
     * @param warmedUp whether deviations are judged yet
     * @param failureRateMean the learned mean failure rate per bucket, in percent
     * @param failureRateStddev its standard deviation
     * @param latencyMeanMillis the learned mean latency per bucket, null when latency is not learned
     * @param latencyStddevMillis its standard deviation, null when latency is not learned
     * @param deviationsInARow the buckets in a row that deviated, up to the last one judged
     * @param lastDeviation the signal of the last deviation ({@code failure-rate} or {@code latency}), or null
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record BaselineDescriptor(int learnedBuckets, boolean warmedUp, double failureRateMean,
                                     double failureRateStddev, @Nullable Double latencyMeanMillis,
                                     @Nullable Double latencyStddevMillis, int deviationsInARow,
                                     @Nullable String lastDeviation) {

        static BaselineDescriptor of(BaselineSnapshot b) {
            boolean latency = !Double.isNaN(b.latencyMeanMillis());
            return new BaselineDescriptor(b.learnedBuckets(), b.warmedUp(), b.failureRateMean(),
                    b.failureRateStddev(), latency ? b.latencyMeanMillis() : null,
                    latency ? b.latencyStddevMillis() : null, b.deviationsInARow(), b.lastDeviation());
        }
    }
}
