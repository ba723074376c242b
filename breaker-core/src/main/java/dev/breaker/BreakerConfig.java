package dev.breaker;

import dev.breaker.internal.CountWindow;
import dev.breaker.internal.Thresholds;
import dev.breaker.internal.TimeWindow;
import org.jspecify.annotations.Nullable;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The immutable configuration of a breaker. Create one with {@link #builder()}; every value is validated once, by
 * {@link Builder#build()}.
 *
 * <p>The defaults suit a typical HTTP dependency: a window of the last 100 calls, evaluated once 20 calls are
 * buffered, opening at a 50 % failure rate, waiting 60 s in open and then letting 3 trial calls through.
 * Slow-call detection, the consecutive-failure threshold, the open-wait backoff, the half-open time limit, the
 * prolonged-open alert, gradual recovery and escalation are off unless configured, so a breaker configured only with
 * the options Resilience4j also has behaves as Resilience4j does.
 */
public final class BreakerConfig {

    private static final BreakerConfig DEFAULTS = new Builder().build();

    private final float failureRateThreshold;
    private final float slowCallRateThreshold;
    private final @Nullable Duration slowCallDuration;
    private final WindowType windowType;
    private final int countWindowSize;
    private final Duration timeWindowSize;
    private final int timeWindowBuckets;
    private final int minimumCalls;
    private final int consecutiveFailures;
    private final Duration waitInOpen;
    private final double waitInOpenMultiplier;
    private final Duration maxWaitInOpen;
    private final int halfOpenCalls;
    private final Duration maxWaitInHalfOpen;
    private final List<Class<? extends Throwable>> recordExceptions;
    private final List<Class<? extends Throwable>> ignoreExceptions;
    private final @Nullable Predicate<Throwable> failurePredicate;
    private final @Nullable Predicate<Object> failureResultPredicate;
    private final @Nullable Duration prolongedOpenAlert;
    private final @Nullable GradualRecovery gradualRecovery;
    private final @Nullable Escalation escalation;
    private final List<String> dependsOn;
    private final int maxConcurrentCalls;
    private final double maxCallsPerSecond;
    private final int rateLimitBurst;
    private final float reservedForCriticalPercent;
    private final Priority defaultPriority;
    private final boolean shedOnWarning;
    private final @Nullable Duration timeout;
    private final @Nullable AdaptiveTimeout adaptiveTimeout;
    private final boolean timeoutInterrupt;
    private final @Nullable AdaptiveThrottle adaptiveThrottle;
    private final @Nullable AdaptiveBaseline adaptiveBaseline;
    private final boolean writableStackTrace;
    private final Ticker ticker;
    private final Clock clock;

    // Derived once for the hot path.
    final long slowCallNanos;
    final long waitInOpenNanos;
    final long maxWaitInOpenNanos;
    final long maxWaitInHalfOpenNanos;
    final long prolongedOpenNanos;
    final Thresholds thresholds;
    /** The thresholds of the closed window: with the warning marks when escalation is on. */
    final Thresholds closedThresholds;
    /** The thresholds of a recovery ramp's window: marks at half of each threshold hold the share. */
    final Thresholds rampThresholds;
    /** The settings of its breakers when they can share them; made on first use. */
    private volatile @Nullable Settings sharedSettings;
    /** The exception lists as arrays: iterating a List on the failure path would allocate an iterator. */
    private final Class<?>[] recordTypes;
    private final Class<?>[] ignoreTypes;

    private BreakerConfig(Builder b) {
        this.failureRateThreshold = b.failureRateThreshold;
        this.slowCallRateThreshold = b.slowCallRateThreshold;
        this.slowCallDuration = b.slowCallDuration;
        this.windowType = b.windowType;
        this.countWindowSize = b.countWindowSize;
        this.timeWindowSize = b.timeWindowSize;
        this.timeWindowBuckets = b.timeWindowBuckets;
        this.minimumCalls = b.minimumCalls;
        this.consecutiveFailures = b.consecutiveFailures;
        this.waitInOpen = b.waitInOpen;
        this.waitInOpenMultiplier = b.waitInOpenMultiplier;
        this.maxWaitInOpen = b.maxWaitInOpen == null ? b.waitInOpen : b.maxWaitInOpen;
        this.halfOpenCalls = b.halfOpenCalls;
        this.maxWaitInHalfOpen = b.maxWaitInHalfOpen;
        this.recordExceptions = List.copyOf(b.recordExceptions);
        this.ignoreExceptions = List.copyOf(b.ignoreExceptions);
        this.failurePredicate = b.failurePredicate;
        this.failureResultPredicate = b.failureResultPredicate;
        this.prolongedOpenAlert = b.prolongedOpenAlert;
        this.gradualRecovery = b.gradualRecovery;
        this.escalation = b.escalation;
        this.dependsOn = List.copyOf(b.dependsOn);
        this.maxConcurrentCalls = b.maxConcurrentCalls;
        this.maxCallsPerSecond = b.maxCallsPerSecond;
        this.rateLimitBurst = b.rateLimitBurst > 0 ? b.rateLimitBurst
                : (int) Math.max(1, Math.ceil(b.maxCallsPerSecond / 10));
        this.reservedForCriticalPercent = b.reservedForCriticalPercent;
        this.defaultPriority = b.defaultPriority;
        this.shedOnWarning = b.shedOnWarning;
        this.timeout = b.timeout;
        this.adaptiveTimeout = b.adaptiveTimeout;
        this.timeoutInterrupt = b.timeoutInterrupt;
        this.adaptiveThrottle = b.adaptiveThrottle;
        this.adaptiveBaseline = b.adaptiveBaseline;
        this.writableStackTrace = b.writableStackTrace;
        this.ticker = b.ticker;
        this.clock = b.clock;

        this.slowCallNanos = slowCallDuration == null ? Long.MAX_VALUE : slowCallDuration.toNanos();
        this.waitInOpenNanos = waitInOpen.toNanos();
        this.maxWaitInOpenNanos = maxWaitInOpen.toNanos();
        this.maxWaitInHalfOpenNanos = maxWaitInHalfOpen.toNanos();
        this.prolongedOpenNanos = prolongedOpenAlert == null ? Long.MAX_VALUE : prolongedOpenAlert.toNanos();
        this.thresholds = new Thresholds(minimumCalls, failureRateThreshold, slowCallRateThreshold);
        this.closedThresholds = escalation == null ? thresholds
                : thresholds.withMarks(escalation.warningAtPercent() / 100, escalation.warningClearAtPercent() / 100);
        this.rampThresholds = thresholds.withMarks(0.5f, 0.5f);
        this.recordTypes = recordExceptions.toArray(new Class<?>[0]);
        this.ignoreTypes = ignoreExceptions.toArray(new Class<?>[0]);
    }

    /** The configuration with every default. */
    public static BreakerConfig ofDefaults() {
        return DEFAULTS;
    }

    /** A builder that starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this configuration's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The failure rate in percent at or above which the breaker opens. Default 50. */
    public float failureRateThreshold() {
        return failureRateThreshold;
    }

    /** The slow-call rate in percent at or above which the breaker opens. Default 100. */
    public float slowCallRateThreshold() {
        return slowCallRateThreshold;
    }

    /** The duration above which a call counts as slow; empty (the default) turns slow-call detection off. */
    public Optional<Duration> slowCallDuration() {
        return Optional.ofNullable(slowCallDuration);
    }

    /** The kind of sliding window. Default {@link WindowType#COUNT}. */
    public WindowType windowType() {
        return windowType;
    }

    /** The number of calls in a count window. Default 100. */
    public int countWindowSize() {
        return countWindowSize;
    }

    /** The length of a time window. Default 60 s (used only with {@link WindowType#TIME}). */
    public Duration timeWindowSize() {
        return timeWindowSize;
    }

    /** The number of buckets a time window is divided into. Default 10. */
    public int timeWindowBuckets() {
        return timeWindowBuckets;
    }

    /**
     * The number of calls the window must hold before rates are computed. Default 20. A count window clamps it to
     * its size, and the half-open trial to the number of trial calls.
     */
    public int minimumCalls() {
        return minimumCalls;
    }

    /** The number of failures in a row that opens the breaker; 0 (the default) turns this threshold off. */
    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** How long the breaker stays open before it lets trial calls through. Default 60 s. */
    public Duration waitInOpen() {
        return waitInOpen;
    }

    /**
     * The factor the wait in open grows by each time the trial calls fail again. Default 1 (no backoff); the
     * wait returns to {@link #waitInOpen()} when the breaker closes.
     */
    public double waitInOpenMultiplier() {
        return waitInOpenMultiplier;
    }

    /** The longest wait in open the backoff can reach. Default: {@link #waitInOpen()}. */
    public Duration maxWaitInOpen() {
        return maxWaitInOpen;
    }

    /** The number of trial calls in half-open. Default 3. */
    public int halfOpenCalls() {
        return halfOpenCalls;
    }

    /**
     * How long the breaker may stay half-open waiting for its trial calls before it opens again; zero (the
     * default) waits indefinitely.
     */
    public Duration maxWaitInHalfOpen() {
        return maxWaitInHalfOpen;
    }

    /** The errors recorded as failures (with subclasses); empty (the default) records every error. */
    public List<Class<? extends Throwable>> recordExceptions() {
        return recordExceptions;
    }

    /** The errors ignored (with subclasses): neither success nor failure. Default: none. */
    public List<Class<? extends Throwable>> ignoreExceptions() {
        return ignoreExceptions;
    }

    /** An extra test that records an error as a failure, or empty (the default). */
    public Optional<Predicate<Throwable>> failurePredicate() {
        return Optional.ofNullable(failurePredicate);
    }

    /** A test that records a call's result as a failure, or empty (the default): results are successes. */
    public Optional<Predicate<Object>> failureResultPredicate() {
        return Optional.ofNullable(failureResultPredicate);
    }

    /**
     * How long an outage (open or half-open since the breaker last closed) may last before the breaker publishes a
     * {@link BreakerEvent.ProlongedOpen} event; empty (the default) turns the alert off.
     */
    public Optional<Duration> prolongedOpenAlert() {
        return Optional.ofNullable(prolongedOpenAlert);
    }

    /**
     * Gradual recovery after a successful trial, through {@link CircuitState#RECOVERING}; empty (the default) closes
     * the breaker at once.
     */
    public Optional<GradualRecovery> gradualRecovery() {
        return Optional.ofNullable(gradualRecovery);
    }

    /** Multi-level escalation; empty (the default) keeps levels to what the state says and resets backoff on close. */
    public Optional<Escalation> escalation() {
        return Optional.ofNullable(escalation);
    }

    /**
     * The breakers this one depends on: while any of them (or one they depend on) is open, forced open or in an
     * emergency, this breaker rejects calls with {@link RejectionReason#DEPENDENCY_OPEN}. Resolved by a
     * {@link BreakerRegistry}. Default: none.
     */
    public List<String> dependsOn() {
        return dependsOn;
    }

    /** The calls in flight at once through this breaker at most; 0 (the default) is unlimited. */
    public int maxConcurrentCalls() {
        return maxConcurrentCalls;
    }

    /** The calls per second this breaker admits at most; 0 (the default) is unlimited. */
    public double maxCallsPerSecond() {
        return maxCallsPerSecond;
    }

    /** The calls the rate limit admits at once after an idle time. Default: a tenth of a second's worth, at least 1. */
    public int rateLimitBurst() {
        return rateLimitBurst;
    }

    /**
     * The share of the concurrency and rate limits, in percent, kept for critical calls: sheddable calls cannot take
     * it. Default 0.
     */
    public float reservedForCriticalPercent() {
        return reservedForCriticalPercent;
    }

    /** The priority of calls that carry none of their own. Default {@link Priority#CRITICAL}. */
    public Priority defaultPriority() {
        return defaultPriority;
    }

    /** Whether {@link Priority#SHEDDABLE} calls are rejected while the level is {@link Level#WARNING}. Default false. */
    public boolean shedOnWarning() {
        return shedOnWarning;
    }

    /**
     * The time a call may take: a call that takes longer is a failure with a {@link CallTimeoutException}; empty
     * (the default) when there is no timeout or it is {@linkplain #adaptiveTimeout() adaptive}.
     */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** A timeout that follows recent call durations; empty (the default) for none. */
    public Optional<AdaptiveTimeout> adaptiveTimeout() {
        return Optional.ofNullable(adaptiveTimeout);
    }

    /**
     * Whether a blocking call that outlives its timeout has its thread interrupted when the timeout passes (the
     * interrupt is cleared once the call has ended). Default false: the call is judged when it returns.
     */
    public boolean timeoutInterrupt() {
        return timeoutInterrupt;
    }

    /** Client-side adaptive throttling in place of the rate thresholds; empty (the default) for none. */
    public Optional<AdaptiveThrottle> adaptiveThrottle() {
        return Optional.ofNullable(adaptiveThrottle);
    }

    /** Thresholds learned from the dependency's normal behaviour; empty (the default) for none. */
    public Optional<AdaptiveBaseline> adaptiveBaseline() {
        return Optional.ofNullable(adaptiveBaseline);
    }

    /** Whether every breaker of this configuration can share its settings: no per-breaker runtime objects. */
    boolean isStateless() {
        return !hasAdmissionControl() && adaptiveTimeout == null && adaptiveThrottle == null
                && adaptiveBaseline == null;
    }

    /** The settings shared by the breakers of this configuration, made once by {@code factory}. */
    Settings sharedSettings(Supplier<Settings> factory) {
        Settings shared = sharedSettings;
        if (shared == null) {
            shared = factory.get();
            sharedSettings = shared;
        }
        return shared;
    }

    /** Whether calls pass admission control (dependencies, limits) before the breaker's own state. */
    boolean hasAdmissionControl() {
        return !dependsOn.isEmpty() || maxConcurrentCalls > 0 || maxCallsPerSecond > 0;
    }

    /** Whether {@link CallNotPermittedException}s carry a stack trace. Default false: rejecting stays cheap. */
    public boolean writableStackTrace() {
        return writableStackTrace;
    }

    /** The monotonic time source for every time the breaker measures. Default {@link Ticker#system()}. */
    public Ticker ticker() {
        return ticker;
    }

    /** The wall clock for reported timestamps. Default {@link Clock#systemUTC()}. */
    public Clock clock() {
        return clock;
    }

    /**
     * How the configuration treats an error. A {@code CompletionException} or {@code ExecutionException} is judged
     * by its cause. Ignored errors win over recorded ones; an error that is neither is a success.
     */
    public ErrorClassification classify(Throwable error) {
        Throwable cause = CallErrors.unwrap(error);
        if (isInstanceOfAny(ignoreTypes, cause)) {
            return ErrorClassification.IGNORED;
        }
        if (recordTypes.length == 0 && failurePredicate == null) {
            return ErrorClassification.FAILURE;
        }
        if (isInstanceOfAny(recordTypes, cause) || (failurePredicate != null && failurePredicate.test(cause))) {
            return ErrorClassification.FAILURE;
        }
        return ErrorClassification.SUCCESS;
    }

    /** Whether the configuration records this result of a call as a failure. */
    public boolean isFailureResult(@Nullable Object result) {
        return failureResultPredicate != null && result != null && failureResultPredicate.test(result);
    }

    private static boolean isInstanceOfAny(Class<?>[] types, Throwable error) {
        for (int i = 0; i < types.length; i++) {
            if (types[i].isInstance(error)) {
                return true;
            }
        }
        return false;
    }

    /** Whether calls must be timed to apply this configuration. */
    boolean needsDuration() {
        return slowCallDuration != null || timeout != null || adaptiveTimeout != null
                || (adaptiveBaseline != null && !adaptiveBaseline.latencyFloor().isZero());
    }

    /** The gradual recovery, or {@code null}. */
    @Nullable GradualRecovery recovery() {
        return gradualRecovery;
    }

    /** The escalation, or {@code null}. */
    @Nullable Escalation escalationOrNull() {
        return escalation;
    }

    /**
     * The wait in open after {@code escalations} failed recoveries: {@code min(waitInOpen * multiplier^k, max)},
     * spread by the escalation's jitter, deterministically for {@code seed}.
     */
    long waitInOpenNanos(int escalations, long seed) {
        long wait;
        if (waitInOpenMultiplier == 1.0 || escalations <= 0) {
            wait = waitInOpenNanos;
        } else {
            double grown = waitInOpenNanos * Math.pow(waitInOpenMultiplier, escalations);
            wait = grown >= maxWaitInOpenNanos ? maxWaitInOpenNanos : (long) grown;
        }
        if (escalation == null || escalation.jitter() == 0) {
            return wait;
        }
        double spread = escalation.jitter() * (2 * unitInterval(seed) - 1);
        return Math.max(1, (long) (wait * (1 + spread)));
    }

    /** A number in [0, 1) that depends only on {@code seed} (SplitMix64's finaliser). */
    private static double unitInterval(long seed) {
        long z = seed + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }

    @Override
    public String toString() {
        return "BreakerConfig{failureRateThreshold=" + failureRateThreshold
                + ", slowCallRateThreshold=" + slowCallRateThreshold
                + ", slowCallDuration=" + slowCallDuration
                + ", window=" + (windowType == WindowType.COUNT ? countWindowSize + " calls"
                        : timeWindowSize + " in " + timeWindowBuckets + " buckets")
                + ", minimumCalls=" + minimumCalls
                + ", consecutiveFailures=" + consecutiveFailures
                + ", waitInOpen=" + waitInOpen
                + ", waitInOpenMultiplier=" + waitInOpenMultiplier
                + ", maxWaitInOpen=" + maxWaitInOpen
                + ", halfOpenCalls=" + halfOpenCalls
                + ", maxWaitInHalfOpen=" + maxWaitInHalfOpen
                + ", recordExceptions=" + recordExceptions
                + ", ignoreExceptions=" + ignoreExceptions
                + ", prolongedOpenAlert=" + prolongedOpenAlert
                + ", gradualRecovery=" + gradualRecovery
                + ", escalation=" + escalation
                + ", dependsOn=" + dependsOn
                + ", maxConcurrentCalls=" + maxConcurrentCalls
                + ", maxCallsPerSecond=" + maxCallsPerSecond
                + ", rateLimitBurst=" + rateLimitBurst
                + ", reservedForCriticalPercent=" + reservedForCriticalPercent
                + ", defaultPriority=" + defaultPriority
                + ", shedOnWarning=" + shedOnWarning
                + ", timeout=" + timeout
                + ", adaptiveTimeout=" + adaptiveTimeout
                + ", timeoutInterrupt=" + timeoutInterrupt
                + ", adaptiveThrottle=" + adaptiveThrottle
                + ", adaptiveBaseline=" + adaptiveBaseline + '}';
    }

    /** Builds a {@link BreakerConfig}; copies its values on {@link #build()}, so it can be reused. */
    public static final class Builder {

        private float failureRateThreshold = 50;
        private float slowCallRateThreshold = 100;
        private @Nullable Duration slowCallDuration;
        private WindowType windowType = WindowType.COUNT;
        private int countWindowSize = 100;
        private Duration timeWindowSize = Duration.ofSeconds(60);
        private int timeWindowBuckets = 10;
        private int minimumCalls = 20;
        private int consecutiveFailures;
        private Duration waitInOpen = Duration.ofSeconds(60);
        private double waitInOpenMultiplier = 1.0;
        private @Nullable Duration maxWaitInOpen;
        private int halfOpenCalls = 3;
        private Duration maxWaitInHalfOpen = Duration.ZERO;
        private List<Class<? extends Throwable>> recordExceptions = List.of();
        private List<Class<? extends Throwable>> ignoreExceptions = List.of();
        private @Nullable Predicate<Throwable> failurePredicate;
        private @Nullable Predicate<Object> failureResultPredicate;
        private @Nullable Duration prolongedOpenAlert;
        private @Nullable GradualRecovery gradualRecovery;
        private @Nullable Escalation escalation;
        private List<String> dependsOn = List.of();
        private int maxConcurrentCalls;
        private double maxCallsPerSecond;
        private int rateLimitBurst;
        private float reservedForCriticalPercent;
        private Priority defaultPriority = Priority.CRITICAL;
        private boolean shedOnWarning;
        private @Nullable Duration timeout;
        private @Nullable AdaptiveTimeout adaptiveTimeout;
        private boolean timeoutInterrupt;
        private @Nullable AdaptiveThrottle adaptiveThrottle;
        private @Nullable AdaptiveBaseline adaptiveBaseline;
        private boolean writableStackTrace;
        private Ticker ticker = Ticker.system();
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        private Builder(BreakerConfig c) {
            failureRateThreshold = c.failureRateThreshold;
            slowCallRateThreshold = c.slowCallRateThreshold;
            slowCallDuration = c.slowCallDuration;
            windowType = c.windowType;
            countWindowSize = c.countWindowSize;
            timeWindowSize = c.timeWindowSize;
            timeWindowBuckets = c.timeWindowBuckets;
            minimumCalls = c.minimumCalls;
            consecutiveFailures = c.consecutiveFailures;
            waitInOpen = c.waitInOpen;
            waitInOpenMultiplier = c.waitInOpenMultiplier;
            maxWaitInOpen = c.maxWaitInOpen;
            halfOpenCalls = c.halfOpenCalls;
            maxWaitInHalfOpen = c.maxWaitInHalfOpen;
            recordExceptions = c.recordExceptions;
            ignoreExceptions = c.ignoreExceptions;
            failurePredicate = c.failurePredicate;
            failureResultPredicate = c.failureResultPredicate;
            prolongedOpenAlert = c.prolongedOpenAlert;
            gradualRecovery = c.gradualRecovery;
            escalation = c.escalation;
            dependsOn = c.dependsOn;
            maxConcurrentCalls = c.maxConcurrentCalls;
            maxCallsPerSecond = c.maxCallsPerSecond;
            rateLimitBurst = c.rateLimitBurst;
            reservedForCriticalPercent = c.reservedForCriticalPercent;
            defaultPriority = c.defaultPriority;
            shedOnWarning = c.shedOnWarning;
            timeout = c.timeout;
            adaptiveTimeout = c.adaptiveTimeout;
            timeoutInterrupt = c.timeoutInterrupt;
            adaptiveThrottle = c.adaptiveThrottle;
            adaptiveBaseline = c.adaptiveBaseline;
            writableStackTrace = c.writableStackTrace;
            ticker = c.ticker;
            clock = c.clock;
        }

        /** The failure rate in percent, in (0, 100], at or above which the breaker opens. Default 50. */
        public Builder failureRateThreshold(float percent) {
            this.failureRateThreshold = percent;
            return this;
        }

        /** The slow-call rate in percent, in (0, 100], at or above which the breaker opens. Default 100. */
        public Builder slowCallRateThreshold(float percent) {
            this.slowCallRateThreshold = percent;
            return this;
        }

        /**
         * Turns slow-call detection on: a call that takes strictly longer than this (positive) duration is slow.
         * Off by default; {@code null} turns it off again.
         */
        public Builder slowCallDuration(@Nullable Duration duration) {
            this.slowCallDuration = duration;
            return this;
        }

        /** Evaluates the last {@code calls} calls, in [1, 1048576]. The default window: 100 calls. */
        public Builder countWindow(int calls) {
            this.windowType = WindowType.COUNT;
            this.countWindowSize = calls;
            return this;
        }

        /** Evaluates the calls of the last {@code size} (at least 1 s), kept in 10 buckets. */
        public Builder timeWindow(Duration size) {
            return timeWindow(size, 10);
        }

        /**
         * Evaluates the calls of the last {@code size}, kept in {@code buckets} buckets of at least 100 ms each. An
         * outcome counts for at least {@code size - size / buckets} and at most {@code size}.
         */
        public Builder timeWindow(Duration size, int buckets) {
            this.windowType = WindowType.TIME;
            this.timeWindowSize = Objects.requireNonNull(size, "timeWindow size");
            this.timeWindowBuckets = buckets;
            return this;
        }

        /** The number of buffered calls, at least 1, before rates are computed. Default 20. */
        public Builder minimumCalls(int calls) {
            this.minimumCalls = calls;
            return this;
        }

        /** Opens the breaker after this many failures in a row, whatever the rates; 0 (the default) is off. */
        public Builder consecutiveFailures(int failures) {
            this.consecutiveFailures = failures;
            return this;
        }

        /** How long (at least 1 ms) the breaker stays open before trial calls. Default 60 s. */
        public Builder waitInOpen(Duration wait) {
            this.waitInOpen = Objects.requireNonNull(wait, "waitInOpen");
            return this;
        }

        /**
         * Grows the wait in open by {@code multiplier} (at least 1) each time the trial calls fail again, up to
         * {@code max} (at least the wait in open). Back to the first wait once the breaker closes. Off by default.
         */
        public Builder waitInOpenBackoff(double multiplier, Duration max) {
            this.waitInOpenMultiplier = multiplier;
            this.maxWaitInOpen = Objects.requireNonNull(max, "maxWaitInOpen");
            return this;
        }

        /** The number of trial calls in half-open, in [1, 1048576]. Default 3. */
        public Builder halfOpenCalls(int calls) {
            this.halfOpenCalls = calls;
            return this;
        }

        /**
         * Opens the breaker again when its trial calls have not completed within this time, so that probes that
         * never finish cannot wedge it. Zero (the default) waits indefinitely.
         */
        public Builder maxWaitInHalfOpen(Duration wait) {
            this.maxWaitInHalfOpen = Objects.requireNonNull(wait, "maxWaitInHalfOpen");
            return this;
        }

        /** Records only these errors (and subclasses) as failures; others count as successes. Default: all. */
        @SafeVarargs
        public final Builder recordExceptions(Class<? extends Throwable>... types) {
            return recordExceptions(List.of(types));
        }

        /** Records only these errors (and subclasses) as failures; others count as successes. Default: all. */
        public Builder recordExceptions(List<Class<? extends Throwable>> types) {
            this.recordExceptions = List.copyOf(types);
            return this;
        }

        /** Ignores these errors (and subclasses): not recorded, the permit given back. Default: none. */
        @SafeVarargs
        public final Builder ignoreExceptions(Class<? extends Throwable>... types) {
            return ignoreExceptions(List.of(types));
        }

        /** Ignores these errors (and subclasses): not recorded, the permit given back. Default: none. */
        public Builder ignoreExceptions(List<Class<? extends Throwable>> types) {
            this.ignoreExceptions = List.copyOf(types);
            return this;
        }

        /** Also records an error as a failure when this test accepts it; {@code null} removes the test. */
        public Builder failurePredicate(@Nullable Predicate<Throwable> predicate) {
            this.failurePredicate = predicate;
            return this;
        }

        /** Records a call's non-null result as a failure when this test accepts it; {@code null} removes it. */
        public Builder failureResultPredicate(@Nullable Predicate<Object> predicate) {
            this.failureResultPredicate = predicate;
            return this;
        }

        /**
         * Publishes one {@link BreakerEvent.ProlongedOpen} event per outage that lasts longer than this positive
         * duration; {@code null} (the default) turns the alert off.
         */
        public Builder prolongedOpenAlert(@Nullable Duration after) {
            this.prolongedOpenAlert = after;
            return this;
        }

        /**
         * After a successful trial, lets traffic back gradually, in {@link CircuitState#RECOVERING}, instead of
         * closing at once; {@code null} (the default) turns it off.
         */
        public Builder gradualRecovery(@Nullable GradualRecovery recovery) {
            this.gradualRecovery = recovery;
            return this;
        }

        /**
         * Turns on multi-level escalation: warning levels, emergencies and escalating waits that decay slowly;
         * {@code null} (the default) turns it off.
         */
        public Builder escalation(@Nullable Escalation escalation) {
            this.escalation = escalation;
            return this;
        }

        /**
         * The breakers this one depends on, by name: while any of them is open this one rejects without calling.
         * A {@link BreakerRegistry} resolves the names, refusing unknown ones and cycles.
         */
        public Builder dependsOn(String... breakerNames) {
            return dependsOn(List.of(breakerNames));
        }

        /** The breakers this one depends on, by name; see {@link #dependsOn(String...)}. */
        public Builder dependsOn(List<String> breakerNames) {
            this.dependsOn = List.copyOf(breakerNames);
            return this;
        }

        /** At most this many calls in flight at once; over it a call is rejected at once. 0 (the default) is off. */
        public Builder maxConcurrentCalls(int calls) {
            this.maxConcurrentCalls = calls;
            return this;
        }

        /**
         * At most this many calls per second, with a burst of a tenth of a second's worth; over it a call is
         * rejected at once. 0 (the default) is off.
         */
        public Builder maxCallsPerSecond(double callsPerSecond) {
            return maxCallsPerSecond(callsPerSecond, 0);
        }

        /** At most this many calls per second, admitting up to {@code burst} at once after an idle time. */
        public Builder maxCallsPerSecond(double callsPerSecond, int burst) {
            this.maxCallsPerSecond = callsPerSecond;
            this.rateLimitBurst = burst;
            return this;
        }

        /** Keeps this share (percent, in [0, 100)) of the limits for critical calls. Default 0. */
        public Builder reservedForCritical(float percent) {
            this.reservedForCriticalPercent = percent;
            return this;
        }

        /** The priority of calls that carry none of their own. Default {@link Priority#CRITICAL}. */
        public Builder defaultPriority(Priority priority) {
            this.defaultPriority = Objects.requireNonNull(priority, "defaultPriority");
            return this;
        }

        /**
         * Rejects {@link Priority#SHEDDABLE} calls while the level is {@link Level#WARNING}, shedding load before
         * the breaker has to open. Needs {@link #escalation(Escalation)}. Default false.
         */
        public Builder shedOnWarning(boolean shed) {
            this.shedOnWarning = shed;
            return this;
        }

        /**
         * A call that takes longer than this (positive) duration fails with a {@link CallTimeoutException};
         * {@code null} (the default) for none. Replaces an adaptive timeout.
         */
        public Builder timeout(@Nullable Duration timeout) {
            this.timeout = timeout;
            if (timeout != null) {
                this.adaptiveTimeout = null;
            }
            return this;
        }

        /** A timeout that follows recent call durations; {@code null} for none. Replaces a fixed timeout. */
        public Builder adaptiveTimeout(@Nullable AdaptiveTimeout adaptive) {
            this.adaptiveTimeout = adaptive;
            if (adaptive != null) {
                this.timeout = null;
            }
            return this;
        }

        /** Whether blocking calls are interrupted when their timeout passes. Default false. */
        public Builder timeoutInterrupt(boolean interrupt) {
            this.timeoutInterrupt = interrupt;
            return this;
        }

        /** Client-side adaptive throttling in place of the rate thresholds; {@code null} (the default) for none. */
        public Builder adaptiveThrottle(@Nullable AdaptiveThrottle throttle) {
            this.adaptiveThrottle = throttle;
            return this;
        }

        /** Thresholds learned from the dependency's normal behaviour; {@code null} (the default) for none. */
        public Builder adaptiveBaseline(@Nullable AdaptiveBaseline baseline) {
            this.adaptiveBaseline = baseline;
            return this;
        }

        /** Whether {@link CallNotPermittedException}s carry a stack trace. Default false. */
        public Builder writableStackTrace(boolean writable) {
            this.writableStackTrace = writable;
            return this;
        }

        /** The monotonic time source. Default {@link Ticker#system()}. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** The wall clock for reported timestamps. Default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Validates the values and builds the configuration.
         *
         * @throws InvalidConfigException naming the first option whose value breaks its rule
         */
        public BreakerConfig build() {
            check("failureRateThreshold", failureRateThreshold > 0 && failureRateThreshold <= 100,
                    "must be in (0, 100]", failureRateThreshold);
            check("slowCallRateThreshold", slowCallRateThreshold > 0 && slowCallRateThreshold <= 100,
                    "must be in (0, 100]", slowCallRateThreshold);
            check("slowCallDuration", slowCallDuration == null || isPositive(slowCallDuration),
                    "must be positive", slowCallDuration);
            check("countWindow", countWindowSize >= 1 && countWindowSize <= CountWindow.MAX_SIZE,
                    "must be in [1, " + CountWindow.MAX_SIZE + "]", countWindowSize);
            check("timeWindow", timeWindowSize.compareTo(Duration.ofSeconds(1)) >= 0,
                    "must be at least 1s", timeWindowSize);
            check("timeWindowBuckets", timeWindowBuckets >= 1
                            && timeWindowSize.toNanos() / timeWindowBuckets >= TimeWindow.MIN_BUCKET_NANOS,
                    "must be at least 1 and leave buckets of at least 100ms in a window of " + timeWindowSize,
                    timeWindowBuckets);
            check("minimumCalls", minimumCalls >= 1, "must be at least 1", minimumCalls);
            check("consecutiveFailures", consecutiveFailures >= 0, "must be 0 (off) or more", consecutiveFailures);
            check("waitInOpen", waitInOpen.compareTo(Duration.ofMillis(1)) >= 0, "must be at least 1ms", waitInOpen);
            check("waitInOpenMultiplier", waitInOpenMultiplier >= 1.0 && Double.isFinite(waitInOpenMultiplier),
                    "must be at least 1.0", waitInOpenMultiplier);
            check("maxWaitInOpen", maxWaitInOpen == null || maxWaitInOpen.compareTo(waitInOpen) >= 0,
                    "must be at least waitInOpen (" + waitInOpen + ")", maxWaitInOpen);
            check("halfOpenCalls", halfOpenCalls >= 1 && halfOpenCalls <= CountWindow.MAX_SIZE,
                    "must be in [1, " + CountWindow.MAX_SIZE + "]", halfOpenCalls);
            check("maxWaitInHalfOpen", !maxWaitInHalfOpen.isNegative(), "must be zero (off) or positive",
                    maxWaitInHalfOpen);
            check("prolongedOpenAlert", prolongedOpenAlert == null || isPositive(prolongedOpenAlert),
                    "must be positive", prolongedOpenAlert);
            if (gradualRecovery != null) {
                checkRecovery(gradualRecovery);
            }
            if (escalation != null) {
                checkEscalation(escalation);
            }
            checkAdmission();
            checkTimeouts();
            checkAdaptiveModes();
            return new BreakerConfig(this);
        }

        private void checkTimeouts() {
            check("timeout", timeout == null || isPositive(timeout), "must be positive", timeout);
            if (timeout != null && slowCallDuration != null) {
                check("slowCallDuration", slowCallDuration.compareTo(timeout) < 0,
                        "must be shorter than the timeout (" + timeout + "): a call times out before it is slow",
                        slowCallDuration);
            }
            AdaptiveTimeout a = adaptiveTimeout;
            if (a == null) {
                return;
            }
            check("adaptiveTimeout.percentile", a.percentile() > 0 && a.percentile() < 100, "must be in (0, 100)",
                    a.percentile());
            check("adaptiveTimeout.factor", a.factor() >= 1 && Double.isFinite(a.factor()), "must be at least 1",
                    a.factor());
            check("adaptiveTimeout.min", isPositive(a.min()), "must be positive", a.min());
            check("adaptiveTimeout.max", a.max().compareTo(a.min()) >= 0,
                    "must be at least adaptiveTimeout.min (" + a.min() + ")", a.max());
            check("adaptiveTimeout.window", a.window().compareTo(Duration.ofSeconds(1)) >= 0, "must be at least 1s",
                    a.window());
            check("adaptiveTimeout.minimumCalls", a.minimumCalls() >= 1, "must be at least 1", a.minimumCalls());
            if (slowCallDuration != null) {
                check("slowCallDuration", slowCallDuration.compareTo(a.max()) < 0,
                        "must be shorter than adaptiveTimeout.max (" + a.max() + ")", slowCallDuration);
            }
        }

        private void checkAdaptiveModes() {
            check("adaptiveThrottle", adaptiveThrottle == null || adaptiveBaseline == null,
                    "and adaptiveBaseline are two modes: choose one", "both");
            AdaptiveThrottle t = adaptiveThrottle;
            if (t != null) {
                check("adaptiveThrottle.window", t.window().compareTo(Duration.ofSeconds(1)) >= 0,
                        "must be at least 1s", t.window());
                check("adaptiveThrottle.k", t.k() >= 1 && Double.isFinite(t.k()), "must be at least 1", t.k());
                check("adaptiveThrottle.maxReject", t.maxRejectPercent() > 0 && t.maxRejectPercent() <= 100,
                        "must be in (0, 100]", t.maxRejectPercent());
            }
            AdaptiveBaseline b = adaptiveBaseline;
            if (b != null) {
                check("adaptiveBaseline.bucket", b.bucket().compareTo(Duration.ofSeconds(1)) >= 0,
                        "must be at least 1s", b.bucket());
                check("adaptiveBaseline.halfLife", b.halfLife().compareTo(b.bucket()) >= 0,
                        "must be at least adaptiveBaseline.bucket (" + b.bucket() + ")", b.halfLife());
                check("adaptiveBaseline.z", b.z() > 0 && Double.isFinite(b.z()), "must be positive", b.z());
                check("adaptiveBaseline.confirm", b.confirm() >= 1, "must be at least 1", b.confirm());
                check("adaptiveBaseline.warmUpBuckets", b.warmUpBuckets() >= 1, "must be at least 1",
                        b.warmUpBuckets());
                check("adaptiveBaseline.failureRateFloor", b.failureRateFloorPercent() >= 0
                        && b.failureRateFloorPercent() <= 100, "must be in [0, 100]", b.failureRateFloorPercent());
                check("adaptiveBaseline.latencyFloor", !b.latencyFloor().isNegative(), "must be zero or positive",
                        b.latencyFloor());
            }
        }

        private void checkAdmission() {
            for (String name : dependsOn) {
                check("dependsOn", name != null && !name.isBlank(), "must name breakers, not blank", dependsOn);
            }
            check("dependsOn", dependsOn.size() <= State.MAX_DETAIL, "must name at most " + State.MAX_DETAIL
                    + " breakers", dependsOn.size());
            check("maxConcurrentCalls", maxConcurrentCalls >= 0, "must be 0 (off) or more", maxConcurrentCalls);
            check("maxCallsPerSecond", maxCallsPerSecond >= 0 && Double.isFinite(maxCallsPerSecond),
                    "must be 0 (off) or more", maxCallsPerSecond);
            check("rateLimitBurst", rateLimitBurst >= 0, "must be 0 (a tenth of the rate) or more", rateLimitBurst);
            check("reservedForCritical", reservedForCriticalPercent >= 0 && reservedForCriticalPercent < 100,
                    "must be in [0, 100)", reservedForCriticalPercent);
            check("shedOnWarning", !shedOnWarning || escalation != null,
                    "needs escalation, which sets the warning level", shedOnWarning);
        }

        private static void checkRecovery(GradualRecovery r) {
            check("gradualRecovery.ramp", isPositive(r.ramp()), "must be positive", r.ramp());
            check("gradualRecovery.minShare", r.minSharePercent() > 0 && r.minSharePercent() <= 100,
                    "must be in (0, 100]", r.minSharePercent());
            check("gradualRecovery.aggression", r.aggression() > 0 && Double.isFinite(r.aggression()),
                    "must be positive", r.aggression());
            check("gradualRecovery.step", r.stepPercent() > 0 && r.stepPercent() <= 100, "must be in (0, 100]",
                    r.stepPercent());
            check("gradualRecovery.successesPerStep", r.successesPerStep() >= 1, "must be at least 1",
                    r.successesPerStep());
        }

        private static void checkEscalation(Escalation e) {
            check("escalation.warningAt", e.warningAtPercent() > 0 && e.warningAtPercent() <= 100,
                    "must be in (0, 100]", e.warningAtPercent());
            check("escalation.warningClearAt", e.warningClearAtPercent() >= 0
                            && e.warningClearAtPercent() <= e.warningAtPercent(),
                    "must be in [0, escalation.warningAt (" + e.warningAtPercent() + ")]", e.warningClearAtPercent());
            check("escalation.emergencyAfter", e.emergencyAfter() >= 1, "must be at least 1", e.emergencyAfter());
            check("escalation.stablePeriod", isPositive(e.stablePeriod()), "must be positive", e.stablePeriod());
            check("escalation.jitter", e.jitter() >= 0 && e.jitter() < 1, "must be in [0, 1)", e.jitter());
        }

        private static boolean isPositive(Duration duration) {
            return !duration.isNegative() && !duration.isZero();
        }

        private static void check(String option, boolean valid, String rule, @Nullable Object value) {
            if (!valid) {
                throw new InvalidConfigException(option, rule, value);
            }
        }
    }
}
