package dev.breaker.spring.autoconfigure;

import dev.breaker.EventType;
import dev.breaker.Priority;
import dev.breaker.RecoveryMode;
import dev.breaker.WindowType;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.Ordered;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Configuration of breakers under {@code breaker.*}. Options left unset fall back, in order, to the instance's
 * {@code base-config}, to {@code breaker.defaults}, and to the core defaults.
 */
@ConfigurationProperties(prefix = "breaker", ignoreUnknownFields = false)
public class BreakerProperties {

    /** The default order of the breaker advice: outside {@code @Transactional}, which runs last by default. */
    public static final int DEFAULT_ASPECT_ORDER = Ordered.LOWEST_PRECEDENCE - 100;

    /** Whether @CircuitBreaker methods are protected at all. */
    private boolean enabled = true;

    /**
     * Order of the breaker advice among other advisors on the same bean; lower runs outside. The default runs
     * outside @Transactional (whose default order is the lowest precedence).
     */
    private int aspectOrder = DEFAULT_ASPECT_ORDER;

    /** Options every breaker starts from. */
    private final Options defaults = new Options();

    /** Named option templates that instances refer to with base-config. */
    private final Map<String, Options> configs = new LinkedHashMap<>();

    /** Breakers by name. A name used by @CircuitBreaker but not listed here gets the defaults. */
    private final Map<String, Instance> instances = new LinkedHashMap<>();

    /** Web integration. */
    private final Web web = new Web();

    /** Alerts on breakers that stay open. */
    private final Alerts alerts = new Alerts();

    /** The recent-events buffer behind the breakerevents endpoint. */
    private final Events events = new Events();

    /** Micrometer meters. */
    private final Metrics metrics = new Metrics();

    /** The breakers health contributor. */
    private final Health health = new Health();

    /** The live dashboard page. */
    private final Dashboard dashboard = new Dashboard();

    /** The recent history of every breaker, behind the breakerhistory endpoint and the dashboard's charts. */
    private final History history = new History();

    /** One breaker across the instances of the application, coordinated through Redis (needs breaker-redis). */
    private final Cluster cluster = new Cluster();

    /** The priority of the calls a web request makes, read from a request header. */
    private final RequestPriority priority = new RequestPriority();

    /** A breaker per downstream host for the RestClient and WebClient builders Spring Boot provides. */
    private final HttpClient httpClient = new HttpClient();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getAspectOrder() {
        return aspectOrder;
    }

    public void setAspectOrder(int aspectOrder) {
        this.aspectOrder = aspectOrder;
    }

    public Options getDefaults() {
        return defaults;
    }

    public Map<String, Options> getConfigs() {
        return configs;
    }

    public Map<String, Instance> getInstances() {
        return instances;
    }

    public Web getWeb() {
        return web;
    }

    public Alerts getAlerts() {
        return alerts;
    }

    public Events getEvents() {
        return events;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    public Health getHealth() {
        return health;
    }

    public Dashboard getDashboard() {
        return dashboard;
    }

    public History getHistory() {
        return history;
    }

    public Cluster getCluster() {
        return cluster;
    }

    public RequestPriority getPriority() {
        return priority;
    }

    public HttpClient getHttpClient() {
        return httpClient;
    }

    /** The options of a breaker; every one is optional. */
    public static class Options {

        /** Failure rate in percent, in (0, 100], at or above which the breaker opens. Core default 50. */
        private @Nullable Float failureRateThreshold;

        /** Slow-call rate in percent, in (0, 100], at or above which the breaker opens. Core default 100. */
        private @Nullable Float slowCallRateThreshold;

        /** Duration above which a call is slow; setting it turns slow-call detection on. Core default: off. */
        private @Nullable Duration slowCallDuration;

        /** The sliding window the rates are computed over. Core default: the last 100 calls. */
        private final SlidingWindow slidingWindow = new SlidingWindow();

        /** Calls the window must hold before rates are computed, at least 1. Core default 20. */
        private @Nullable Integer minimumCalls;

        /** Failures in a row that open the breaker whatever the rates; 0 turns it off. Core default 0. */
        private @Nullable Integer consecutiveFailures;

        /** How long the breaker stays open before trial calls, at least 1ms. Core default 60s. */
        private @Nullable Duration waitInOpen;

        /** Factor the wait in open grows by each time trial calls fail again, at least 1. Core default 1. */
        private @Nullable Double waitInOpenMultiplier;

        /** Longest wait in open the multiplier can reach. Core default: the wait in open. */
        private @Nullable Duration maxWaitInOpen;

        /** Trial calls in half-open, at least 1. Core default 3. */
        private @Nullable Integer halfOpenCalls;

        /** How long trial calls may take before the breaker opens again; 0 waits indefinitely. Core default 0. */
        private @Nullable Duration maxWaitInHalfOpen;

        /** Exceptions (fully qualified class names, subclasses included) recorded as failures. Default: all. */
        private @Nullable List<String> recordExceptions;

        /** Exceptions (fully qualified class names, subclasses included) neither recorded nor answered by a fallback. */
        private @Nullable List<String> ignoreExceptions;

        /** Whether rejections carry a stack trace. Core default false. */
        private @Nullable Boolean writableStackTrace;

        /** Gradual recovery after a successful trial, turned on by recovery.ramp. Core default: off. */
        private final Recovery recovery = new Recovery();

        /** Multi-level escalation, turned on by escalation.enabled. Core default: off. */
        private final Escalation escalation = new Escalation();

        /** What the instances of the application share about this breaker, when breaker.cluster.enabled is true. */
        private final BreakerCluster cluster = new BreakerCluster();

        /**
         * The time a call may take: a duration such as 2s, or 'adaptive' for a limit that follows recent call
         * durations (see adaptive-timeout); 0 turns it off. A call that takes longer fails with a
         * CallTimeoutException, recorded as a failure whatever record-exceptions says, and answered by the fallback.
         * Wins over the timeout of an annotation. Core default: off.
         */
        private @Nullable String timeout;

        /**
         * Whether a blocking call that outlives its timeout has its thread interrupted when the timeout passes; the
         * interrupt is cleared when the call has ended. Asynchronous calls are cancelled instead. Core default false.
         */
        private @Nullable Boolean timeoutInterrupt;

        /** The adaptive timeout, which timeout: adaptive turns on. */
        private final AdaptiveTimeout adaptiveTimeout = new AdaptiveTimeout();

        /**
         * How the breaker judges its dependency: 'static' (the rate thresholds as set), 'throttle' (client-side
         * adaptive throttling sheds a share of the calls instead of opening on rates) or 'baseline' (opens when
         * the traffic deviates from what it learned is normal; the static thresholds stay a ceiling). Core default
         * 'static'.
         */
        private @Nullable Mode mode;

        /** Client-side adaptive throttling, which mode: throttle turns on. */
        private final Throttle throttle = new Throttle();

        /** The learned baseline, which mode: baseline turns on. */
        private final Baseline baseline = new Baseline();

        /**
         * Breakers this one depends on, each under breaker.instances or named by a @CircuitBreaker. While one of them
         * (or one they depend on) is open, forced open or in an emergency, calls are rejected without calling, with
         * reason DEPENDENCY_OPEN and the dependency's retry-after, and answered by the fallback; the breaker's own
         * window and state are left alone. Core default: none.
         */
        private @Nullable List<String> dependsOn;

        /**
         * Calls in flight at once at most: a call over it is rejected at once (reason CONCURRENCY_LIMIT), never
         * queued; 0 turns the limit off. Core default: off.
         */
        private @Nullable Integer maxConcurrentCalls;

        /**
         * Calls per second at most, as a token bucket: a call over it is rejected at once (reason RATE_LIMIT) with
         * the time until the next token as its retry-after; 0 turns the limit off. Core default: off.
         */
        private @Nullable Double maxCallsPerSecond;

        /**
         * Calls the rate limit admits at once after an idle time, at least 1. Core default: a tenth of
         * max-calls-per-second, at least 1.
         */
        private @Nullable Integer rateLimitBurst;

        /**
         * Percent of the concurrency and rate limits kept for critical calls, in [0, 100): sheddable calls cannot
         * take it. Core default 0.
         */
        private @Nullable Float reservedForCritical;

        /**
         * Priority of the calls that carry none of their own (from a scope, a request header or the annotation).
         * Core default: critical.
         */
        private @Nullable Priority defaultPriority;

        /**
         * Whether sheddable calls (priority sheddable) are rejected, reason PRIORITY, while the breaker is at the
         * WARNING level: load is shed before the breaker has to open. Needs escalation.enabled. Core default false.
         */
        private @Nullable Boolean shedOnWarning;

        public @Nullable Float getFailureRateThreshold() {
            return failureRateThreshold;
        }

        public void setFailureRateThreshold(@Nullable Float failureRateThreshold) {
            this.failureRateThreshold = failureRateThreshold;
        }

        public @Nullable Float getSlowCallRateThreshold() {
            return slowCallRateThreshold;
        }

        public void setSlowCallRateThreshold(@Nullable Float slowCallRateThreshold) {
            this.slowCallRateThreshold = slowCallRateThreshold;
        }

        public @Nullable Duration getSlowCallDuration() {
            return slowCallDuration;
        }

        public void setSlowCallDuration(@Nullable Duration slowCallDuration) {
            this.slowCallDuration = slowCallDuration;
        }

        public SlidingWindow getSlidingWindow() {
            return slidingWindow;
        }

        public @Nullable Integer getMinimumCalls() {
            return minimumCalls;
        }

        public void setMinimumCalls(@Nullable Integer minimumCalls) {
            this.minimumCalls = minimumCalls;
        }

        public @Nullable Integer getConsecutiveFailures() {
            return consecutiveFailures;
        }

        public void setConsecutiveFailures(@Nullable Integer consecutiveFailures) {
            this.consecutiveFailures = consecutiveFailures;
        }

        public @Nullable Duration getWaitInOpen() {
            return waitInOpen;
        }

        public void setWaitInOpen(@Nullable Duration waitInOpen) {
            this.waitInOpen = waitInOpen;
        }

        public @Nullable Double getWaitInOpenMultiplier() {
            return waitInOpenMultiplier;
        }

        public void setWaitInOpenMultiplier(@Nullable Double waitInOpenMultiplier) {
            this.waitInOpenMultiplier = waitInOpenMultiplier;
        }

        public @Nullable Duration getMaxWaitInOpen() {
            return maxWaitInOpen;
        }

        public void setMaxWaitInOpen(@Nullable Duration maxWaitInOpen) {
            this.maxWaitInOpen = maxWaitInOpen;
        }

        public @Nullable Integer getHalfOpenCalls() {
            return halfOpenCalls;
        }

        public void setHalfOpenCalls(@Nullable Integer halfOpenCalls) {
            this.halfOpenCalls = halfOpenCalls;
        }

        public @Nullable Duration getMaxWaitInHalfOpen() {
            return maxWaitInHalfOpen;
        }

        public void setMaxWaitInHalfOpen(@Nullable Duration maxWaitInHalfOpen) {
            this.maxWaitInHalfOpen = maxWaitInHalfOpen;
        }

        public @Nullable List<String> getRecordExceptions() {
            return recordExceptions;
        }

        public void setRecordExceptions(@Nullable List<String> recordExceptions) {
            this.recordExceptions = recordExceptions;
        }

        public @Nullable List<String> getIgnoreExceptions() {
            return ignoreExceptions;
        }

        public void setIgnoreExceptions(@Nullable List<String> ignoreExceptions) {
            this.ignoreExceptions = ignoreExceptions;
        }

        public @Nullable Boolean getWritableStackTrace() {
            return writableStackTrace;
        }

        public void setWritableStackTrace(@Nullable Boolean writableStackTrace) {
            this.writableStackTrace = writableStackTrace;
        }

        public Recovery getRecovery() {
            return recovery;
        }

        public Escalation getEscalation() {
            return escalation;
        }

        public BreakerCluster getCluster() {
            return cluster;
        }

        public @Nullable String getTimeout() {
            return timeout;
        }

        public void setTimeout(@Nullable String timeout) {
            this.timeout = timeout;
        }

        public @Nullable Boolean getTimeoutInterrupt() {
            return timeoutInterrupt;
        }

        public void setTimeoutInterrupt(@Nullable Boolean timeoutInterrupt) {
            this.timeoutInterrupt = timeoutInterrupt;
        }

        public AdaptiveTimeout getAdaptiveTimeout() {
            return adaptiveTimeout;
        }

        public @Nullable Mode getMode() {
            return mode;
        }

        public void setMode(@Nullable Mode mode) {
            this.mode = mode;
        }

        public Throttle getThrottle() {
            return throttle;
        }

        public Baseline getBaseline() {
            return baseline;
        }

        public @Nullable List<String> getDependsOn() {
            return dependsOn;
        }

        public void setDependsOn(@Nullable List<String> dependsOn) {
            this.dependsOn = dependsOn;
        }

        public @Nullable Integer getMaxConcurrentCalls() {
            return maxConcurrentCalls;
        }

        public void setMaxConcurrentCalls(@Nullable Integer maxConcurrentCalls) {
            this.maxConcurrentCalls = maxConcurrentCalls;
        }

        public @Nullable Double getMaxCallsPerSecond() {
            return maxCallsPerSecond;
        }

        public void setMaxCallsPerSecond(@Nullable Double maxCallsPerSecond) {
            this.maxCallsPerSecond = maxCallsPerSecond;
        }

        public @Nullable Integer getRateLimitBurst() {
            return rateLimitBurst;
        }

        public void setRateLimitBurst(@Nullable Integer rateLimitBurst) {
            this.rateLimitBurst = rateLimitBurst;
        }

        public @Nullable Float getReservedForCritical() {
            return reservedForCritical;
        }

        public void setReservedForCritical(@Nullable Float reservedForCritical) {
            this.reservedForCritical = reservedForCritical;
        }

        public @Nullable Priority getDefaultPriority() {
            return defaultPriority;
        }

        public void setDefaultPriority(@Nullable Priority defaultPriority) {
            this.defaultPriority = defaultPriority;
        }

        public @Nullable Boolean getShedOnWarning() {
            return shedOnWarning;
        }

        public void setShedOnWarning(@Nullable Boolean shedOnWarning) {
            this.shedOnWarning = shedOnWarning;
        }
    }

    /** A breaker's options, optionally starting from a named template. */
    public static class Instance extends Options {

        /** Name of a template under breaker.configs this instance starts from instead of the defaults. */
        private @Nullable String baseConfig;

        public @Nullable String getBaseConfig() {
            return baseConfig;
        }

        public void setBaseConfig(@Nullable String baseConfig) {
            this.baseConfig = baseConfig;
        }
    }

    /** The sliding window: the last N calls, or the calls of the last period of time. */
    public static class SlidingWindow {

        /** Kind of window: 'count' (the last N calls) or 'time' (the calls of the last period). Core default 'count'. */
        private @Nullable WindowType type;

        /** Size: a number of calls for a count window (core default 100), a duration such as 60s for a time window. */
        private @Nullable String size;

        /** Buckets a time window is divided into, each at least 100ms. Core default 10. */
        private @Nullable Integer buckets;

        public @Nullable WindowType getType() {
            return type;
        }

        public void setType(@Nullable WindowType type) {
            this.type = type;
        }

        public @Nullable String getSize() {
            return size;
        }

        public void setSize(@Nullable String size) {
            this.size = size;
        }

        public @Nullable Integer getBuckets() {
            return buckets;
        }

        public void setBuckets(@Nullable Integer buckets) {
            this.buckets = buckets;
        }
    }

    /**
     * Gradual recovery: after a successful trial the breaker is RECOVERING and lets a growing share of the calls
     * through instead of all of them at once; it closes when the share reaches the whole traffic, and opens again if
     * the calls fail.
     */
    public static class Recovery {

        /**
         * How long the share takes to grow from min-share to the whole traffic (in success-steps mode, the longest
         * the recovery may take). Setting it turns gradual recovery on; 0 turns it off. Core default: off.
         */
        private @Nullable Duration ramp;

        /** Share of the calls let through from the start of the ramp, in percent, in (0, 100]. Core default 10. */
        private @Nullable Float minShare;

        /**
         * Exponent of the ramp's curve, positive: 1 grows the share linearly with time, 2 grows it faster early
         * (the square root of the time elapsed), 0.5 slower. Core default 1.
         */
        private @Nullable Double aggression;

        /**
         * How the share grows: 'time' (along the ramp) or 'success-steps' (by step percent for every
         * successes-per-step successful calls, for services with little traffic). Core default 'time'.
         */
        private @Nullable RecoveryMode mode;

        /** In success-steps mode, percent added to the share per step, in (0, 100]. Core default 10. */
        private @Nullable Float step;

        /** In success-steps mode, successful calls per step, at least 1. Core default 10. */
        private @Nullable Integer successesPerStep;

        public @Nullable Duration getRamp() {
            return ramp;
        }

        public void setRamp(@Nullable Duration ramp) {
            this.ramp = ramp;
        }

        public @Nullable Float getMinShare() {
            return minShare;
        }

        public void setMinShare(@Nullable Float minShare) {
            this.minShare = minShare;
        }

        public @Nullable Double getAggression() {
            return aggression;
        }

        public void setAggression(@Nullable Double aggression) {
            this.aggression = aggression;
        }

        public @Nullable RecoveryMode getMode() {
            return mode;
        }

        public void setMode(@Nullable RecoveryMode mode) {
            this.mode = mode;
        }

        public @Nullable Float getStep() {
            return step;
        }

        public void setStep(@Nullable Float step) {
            this.step = step;
        }

        public @Nullable Integer getSuccessesPerStep() {
            return successesPerStep;
        }

        public void setSuccessesPerStep(@Nullable Integer successesPerStep) {
            this.successesPerStep = successesPerStep;
        }
    }

    /**
     * Multi-level escalation: a level beside the state (NORMAL, WARNING, CRITICAL, EMERGENCY), and waits in open
     * that grow with repeated outages (with wait-in-open-multiplier) and shrink again only slowly.
     */
    public static class Escalation {

        /**
         * Whether the breaker escalates: WARNING while closed near a threshold, EMERGENCY after repeated failed
         * recoveries or a prolonged outage (then one trial call at a time), and an escalation count that keeps the
         * wait in open long after a failed recovery. Default false.
         */
        private @Nullable Boolean enabled;

        /** Percent of each threshold at which a closed breaker is at the WARNING level, in (0, 100]. Default 50. */
        private @Nullable Float warningAt;

        /** Percent of each threshold below which the warning clears, in [0, warning-at]. Default 25. */
        private @Nullable Float warningClearAt;

        /** Failed recoveries in a row that make an EMERGENCY, at least 1. Default 3. */
        private @Nullable Integer emergencyAfter;

        /** Time closed at the NORMAL level that takes one off the escalation count, positive. Default 10m. */
        private @Nullable Duration stablePeriod;

        /**
         * Fraction by which the wait in open varies either way, the same for the same breaker and opening, in
         * [0, 1): 0.1 spreads a 60s wait over 54s to 66s so that instances do not probe all at once. Default 0.
         */
        private @Nullable Double jitter;

        public @Nullable Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(@Nullable Boolean enabled) {
            this.enabled = enabled;
        }

        public @Nullable Float getWarningAt() {
            return warningAt;
        }

        public void setWarningAt(@Nullable Float warningAt) {
            this.warningAt = warningAt;
        }

        public @Nullable Float getWarningClearAt() {
            return warningClearAt;
        }

        public void setWarningClearAt(@Nullable Float warningClearAt) {
            this.warningClearAt = warningClearAt;
        }

        public @Nullable Integer getEmergencyAfter() {
            return emergencyAfter;
        }

        public void setEmergencyAfter(@Nullable Integer emergencyAfter) {
            this.emergencyAfter = emergencyAfter;
        }

        public @Nullable Duration getStablePeriod() {
            return stablePeriod;
        }

        public void setStablePeriod(@Nullable Duration stablePeriod) {
            this.stablePeriod = stablePeriod;
        }

        public @Nullable Double getJitter() {
            return jitter;
        }

        public void setJitter(@Nullable Double jitter) {
            this.jitter = jitter;
        }
    }

    /**
     * A timeout that follows a high percentile of recent successful call durations: percentile times factor,
     * between min and max; max applies while fewer than minimum-calls successes are known.
     */
    public static class AdaptiveTimeout {

        /** Percentile of the successful call durations of the window, in (0, 100). Core default 99. */
        private @Nullable Double percentile;

        /** What the percentile is multiplied by, at least 1. Core default 2. */
        private @Nullable Double factor;

        /** The shortest timeout, positive. Core default 10ms. */
        private @Nullable Duration min;

        /** The longest timeout, and the timeout while too few calls are known, at least min. Core default 10s. */
        private @Nullable Duration max;

        /** How far back call durations count, at least 1s. Core default 60s. */
        private @Nullable Duration window;

        /** Successful calls the window must hold before the percentile is used, at least 1. Core default 100. */
        private @Nullable Integer minimumCalls;

        public @Nullable Double getPercentile() {
            return percentile;
        }

        public void setPercentile(@Nullable Double percentile) {
            this.percentile = percentile;
        }

        public @Nullable Double getFactor() {
            return factor;
        }

        public void setFactor(@Nullable Double factor) {
            this.factor = factor;
        }

        public @Nullable Duration getMin() {
            return min;
        }

        public void setMin(@Nullable Duration min) {
            this.min = min;
        }

        public @Nullable Duration getMax() {
            return max;
        }

        public void setMax(@Nullable Duration max) {
            this.max = max;
        }

        public @Nullable Duration getWindow() {
            return window;
        }

        public void setWindow(@Nullable Duration window) {
            this.window = window;
        }

        public @Nullable Integer getMinimumCalls() {
            return minimumCalls;
        }

        public void setMinimumCalls(@Nullable Integer minimumCalls) {
            this.minimumCalls = minimumCalls;
        }
    }

    /** How a breaker judges its dependency. */
    public enum Mode {
        /** The rate thresholds as configured. */
        STATIC,
        /** Client-side adaptive throttling: a share of the calls is shed as the dependency accepts fewer. */
        THROTTLE,
        /** Thresholds learned from normal traffic, the static ones a ceiling. */
        BASELINE
    }

    /**
     * Client-side adaptive throttling (Google SRE): over the window the breaker counts the calls asked for and the
     * calls that succeeded, and rejects the share max(0, (requests - k * accepts) / (requests + 1)), at most
     * max-reject, the least important priorities first. The rate thresholds no longer open the breaker.
     */
    public static class Throttle {

        /** How far back requests and accepts count, at least 1s. Core default 30s. */
        private @Nullable Duration window;

        /** Requests per accepted call tolerated before shedding, at least 1; lower sheds earlier. Core default 2. */
        private @Nullable Double k;

        /** The largest share of calls ever shed, in percent, in (0, 100]. Core default 80. */
        private @Nullable Float maxReject;

        public @Nullable Duration getWindow() {
            return window;
        }

        public void setWindow(@Nullable Duration window) {
            this.window = window;
        }

        public @Nullable Double getK() {
            return k;
        }

        public void setK(@Nullable Double k) {
            this.k = k;
        }

        public @Nullable Float getMaxReject() {
            return maxReject;
        }

        public void setMaxReject(@Nullable Float maxReject) {
            this.maxReject = maxReject;
        }
    }

    /**
     * A learned baseline: per bucket the breaker measures the failure rate and the mean latency, learns their
     * exponentially weighted mean and standard deviation, and opens when confirm buckets in a row exceed
     * max(floor, mean + z * stddev). Learning stops while the breaker is not closed or deviates; the static
     * thresholds stay a ceiling and alone decide during the warm-up.
     */
    public static class Baseline {

        /** The length of one bucket, at least 1s. Core default 10s. */
        private @Nullable Duration bucket;

        /** How fast the learned normal follows the traffic, at least one bucket. Core default 10m. */
        private @Nullable Duration halfLife;

        /** Standard deviations above the mean that make a deviation, positive. Core default 3. */
        private @Nullable Double z;

        /** Buckets in a row that must deviate before the breaker opens, at least 1. Core default 3. */
        private @Nullable Integer confirm;

        /** Buckets learned before deviations are judged, at least 1. Core default 30. */
        private @Nullable Integer warmUpBuckets;

        /** A failure rate in percent at or below which a bucket never deviates, in [0, 100]. Core default 5. */
        private @Nullable Float failureRateFloor;

        /** A mean latency at or below which a bucket never deviates; 0 learns no latency. Core default 100ms. */
        private @Nullable Duration latencyFloor;

        public @Nullable Duration getBucket() {
            return bucket;
        }

        public void setBucket(@Nullable Duration bucket) {
            this.bucket = bucket;
        }

        public @Nullable Duration getHalfLife() {
            return halfLife;
        }

        public void setHalfLife(@Nullable Duration halfLife) {
            this.halfLife = halfLife;
        }

        public @Nullable Double getZ() {
            return z;
        }

        public void setZ(@Nullable Double z) {
            this.z = z;
        }

        public @Nullable Integer getConfirm() {
            return confirm;
        }

        public void setConfirm(@Nullable Integer confirm) {
            this.confirm = confirm;
        }

        public @Nullable Integer getWarmUpBuckets() {
            return warmUpBuckets;
        }

        public void setWarmUpBuckets(@Nullable Integer warmUpBuckets) {
            this.warmUpBuckets = warmUpBuckets;
        }

        public @Nullable Float getFailureRateFloor() {
            return failureRateFloor;
        }

        public void setFailureRateFloor(@Nullable Float failureRateFloor) {
            this.failureRateFloor = failureRateFloor;
        }

        public @Nullable Duration getLatencyFloor() {
            return latencyFloor;
        }

        public void setLatencyFloor(@Nullable Duration latencyFloor) {
            this.latencyFloor = latencyFloor;
        }
    }

    /** Web integration. */
    public static class Web {

        /**
         * Whether a rejected call that reaches Spring MVC or WebFlux becomes HTTP 503 with a Retry-After header and
         * an RFC 9457 problem detail.
         */
        private boolean problemDetails = true;

        public boolean isProblemDetails() {
            return problemDetails;
        }

        public void setProblemDetails(boolean problemDetails) {
            this.problemDetails = problemDetails;
        }
    }

    /** Alerts on breakers that stay open. */
    public static class Alerts {

        /**
         * How long an outage (open or half-open since the breaker last closed) may last before one PROLONGED_OPEN
         * event, a WARN log line and a count in breaker.prolonged.open; 0 turns the alert off.
         */
        private @Nullable Duration prolongedOpen = Duration.ofMinutes(5);

        /** How often one shared background task checks breakers that see no traffic. */
        private Duration checkInterval = Duration.ofSeconds(10);

        /**
         * Recent alerts kept for the breakers endpoint's alerts section and the dashboard, all breakers together,
         * the oldest leaving first.
         */
        private int kept = 100;

        public int getKept() {
            return kept;
        }

        public void setKept(int kept) {
            this.kept = kept;
        }

        public @Nullable Duration getProlongedOpen() {
            return prolongedOpen;
        }

        public void setProlongedOpen(@Nullable Duration prolongedOpen) {
            this.prolongedOpen = prolongedOpen;
        }

        public Duration getCheckInterval() {
            return checkInterval;
        }

        public void setCheckInterval(Duration checkInterval) {
            this.checkInterval = checkInterval;
        }
    }

    /** The recent-events buffer behind the breakerevents endpoint. */
    public static class Events {

        /**
         * Events kept per breaker and event type, the oldest leaving first, so that per-call events never push
         * out a transition. Rejections are counted in runs (one entry per stretch of rejections in one state), of
         * which as many are kept.
         */
        private int bufferSize = 100;

        /**
         * Event types kept. SUCCESS is left out by default: it would cost an event object on every successful
         * call.
         */
        private List<EventType> types = Arrays.stream(EventType.values()).filter(type -> type != EventType.SUCCESS)
                .toList();

        /**
         * Whether events show their error's message besides its class. Off by default: messages may carry
         * downstream response bodies and internal URLs, and the events endpoint is often readable by anyone.
         */
        private boolean includeMessages;

        public int getBufferSize() {
            return bufferSize;
        }

        public void setBufferSize(int bufferSize) {
            this.bufferSize = bufferSize;
        }

        public List<EventType> getTypes() {
            return types;
        }

        public void setTypes(List<EventType> types) {
            this.types = types;
        }

        public boolean isIncludeMessages() {
            return includeMessages;
        }

        public void setIncludeMessages(boolean includeMessages) {
            this.includeMessages = includeMessages;
        }
    }

    /** Micrometer meters. */
    public static class Metrics {

        /** Whether breakers are bound to Micrometer. */
        private boolean enabled = true;

        /** Tags added to every breaker meter, besides name. */
        private Map<String, String> tags = new LinkedHashMap<>();

        /**
         * Whether protected calls are timed in breaker.call.duration. Off by default: it reads the clock twice
         * and records a timer on every call, about 120 ns per call on a 2-core machine, more than the rest of
         * the annotated path.
         */
        private boolean callDuration;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Map<String, String> getTags() {
            return tags;
        }

        public void setTags(Map<String, String> tags) {
            this.tags = tags;
        }

        public boolean isCallDuration() {
            return callDuration;
        }

        public void setCallDuration(boolean callDuration) {
            this.callDuration = callDuration;
        }
    }

    /** The breakers health contributor (turn it off with management.health.breakers.enabled). */
    public static class Health {

        /**
         * Health status of an OPEN or FORCED_OPEN breaker. CIRCUIT_OPEN is answered with HTTP 200 and ordered
         * between DOWN and UP; DOWN makes the health endpoint answer 503.
         */
        private String openStatus = "CIRCUIT_OPEN";

        /** Health status of a HALF_OPEN breaker: degraded but up. */
        private String halfOpenStatus = "CIRCUIT_HALF_OPEN";

        /** Per-breaker overrides. */
        private final Map<String, HealthInstance> instances = new LinkedHashMap<>();

        public String getOpenStatus() {
            return openStatus;
        }

        public void setOpenStatus(String openStatus) {
            this.openStatus = openStatus;
        }

        public String getHalfOpenStatus() {
            return halfOpenStatus;
        }

        public void setHalfOpenStatus(String halfOpenStatus) {
            this.halfOpenStatus = halfOpenStatus;
        }

        public Map<String, HealthInstance> getInstances() {
            return instances;
        }
    }

    /** Health options of one breaker. */
    public static class HealthInstance {

        /** Whether the breaker is part of the health contributor. */
        private boolean enabled = true;

        /** Health status of this breaker while OPEN or FORCED_OPEN; defaults to breaker.health.open-status. */
        private @Nullable String openStatus;

        /** Health status of this breaker while HALF_OPEN; defaults to breaker.health.half-open-status. */
        private @Nullable String halfOpenStatus;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public @Nullable String getOpenStatus() {
            return openStatus;
        }

        public void setOpenStatus(@Nullable String openStatus) {
            this.openStatus = openStatus;
        }

        public @Nullable String getHalfOpenStatus() {
            return halfOpenStatus;
        }

        public void setHalfOpenStatus(@Nullable String halfOpenStatus) {
            this.halfOpenStatus = halfOpenStatus;
        }
    }

    /** The live dashboard page. */
    public static class Dashboard {

        /** Whether the dashboard page is served. */
        private boolean enabled;

        /** The path the dashboard page is served at. */
        private String path = "/breakers";

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }
    }

    /**
     * The recent history of every breaker: one sample per interval, taken by one background task while the
     * breakerhistory endpoint is available. Each sample takes 30 bytes: about 21 KiB per breaker with the defaults.
     */
    public static class History {

        /** How often every breaker is sampled. */
        private Duration interval = Duration.ofSeconds(5);

        /** Samples kept per breaker, the oldest leaving first: 720 at one per 5 s is an hour. */
        private int samples = 720;

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public int getSamples() {
            return samples;
        }

        public void setSamples(int samples) {
            this.samples = samples;
        }
    }

    /** What the instances of the application share about one breaker. */
    public static class BreakerCluster {

        /**
         * 'local' (nothing: the breaker works as without a cluster), 'share-open' (an instance that opens by its own
         * thresholds opens it on every instance) or 'quorum' (it opens on every instance when a quorum of instances
         * is open, or the instances' windows together reach its thresholds). Default 'local'.
         */
        private @Nullable Policy policy;

        /**
         * For 'quorum': live instances that must be open by their own thresholds, as a count (2) or a percentage of
         * the live instances (50%, rounded up). Default 50%.
         */
        private @Nullable String quorum;

        /**
         * For 'quorum': calls the instances' windows must hold together before their aggregated rates count.
         * Default: the breaker's minimum-calls.
         */
        private @Nullable Integer minimumCalls;

        /** What the instances share about a breaker. */
        public enum Policy {
            /** Nothing: the breaker works as without a cluster. */
            LOCAL,
            /** An instance that opens by its own thresholds opens the breaker on every instance. */
            SHARE_OPEN,
            /** The breaker opens on every instance when a quorum of instances is open, or their windows say so. */
            QUORUM
        }

        public @Nullable Policy getPolicy() {
            return policy;
        }

        public void setPolicy(@Nullable Policy policy) {
            this.policy = policy;
        }

        public @Nullable String getQuorum() {
            return quorum;
        }

        public void setQuorum(@Nullable String quorum) {
            this.quorum = quorum;
        }

        public @Nullable Integer getMinimumCalls() {
            return minimumCalls;
        }

        public void setMinimumCalls(@Nullable Integer minimumCalls) {
            this.minimumCalls = minimumCalls;
        }
    }

    /** One breaker across the instances of the application, coordinated through Redis. */
    public static class Cluster {

        /**
         * Whether breakers are coordinated across the instances of the application through Redis: needs breaker-redis
         * and Spring Data Redis (Lettuce) on the class path, and uses the application's RedisConnectionFactory
         * (spring.data.redis.*). Each breaker's breaker.*.cluster.policy says what is shared.
         */
        private boolean enabled;

        /**
         * The namespace of the Redis keys and channel, which the instances of one application share. Default:
         * spring.application.name, else 'application'.
         */
        private @Nullable String namespace;

        /**
         * This instance's id in the cluster, unique among the instances. Default: host name, process id and a random
         * suffix.
         */
        private @Nullable String instanceId;

        /**
         * How often each instance reports its breakers' states and windows and marks itself live; what it reports
         * lives three times as long in Redis, and so does a probe lease whose holder stopped.
         */
        private Duration publishInterval = Duration.ofSeconds(1);

        /**
         * How long a Redis command may take before it counts as failed; two in a row make the instance local-only
         * until Redis answers again. Never spent by a protected call: all Redis I/O is in the background.
         */
        private Duration commandTimeout = Duration.ofMillis(100);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public @Nullable String getNamespace() {
            return namespace;
        }

        public void setNamespace(@Nullable String namespace) {
            this.namespace = namespace;
        }

        public @Nullable String getInstanceId() {
            return instanceId;
        }

        public void setInstanceId(@Nullable String instanceId) {
            this.instanceId = instanceId;
        }

        public Duration getPublishInterval() {
            return publishInterval;
        }

        public void setPublishInterval(Duration publishInterval) {
            this.publishInterval = publishInterval;
        }

        public Duration getCommandTimeout() {
            return commandTimeout;
        }

        public void setCommandTimeout(Duration commandTimeout) {
            this.commandTimeout = commandTimeout;
        }
    }

    /**
     * The priority of the calls a web request makes, read by a servlet filter (Spring MVC) or a web filter (WebFlux)
     * from a request header.
     */
    public static class RequestPriority {

        /**
         * Whether a request header sets the priority of the calls the request makes: for the request's thread in
         * Spring MVC, in the Reactor context in WebFlux.
         */
        private boolean enabled;

        /**
         * The request header that carries the priority: critical-plus, critical, sheddable-plus or sheddable (any
         * case, '-' or '_'). A value that is none of these is ignored, logged at DEBUG.
         */
        private String header = "Breaker-Priority";

        /**
         * Whether a request may raise its priority to critical-plus (and name critical). Off by default: a request
         * may only lower its priority, to sheddable-plus or sheddable. Turn it on only where every request comes
         * through a gateway that sets or removes the header.
         */
        private boolean allowRaise;

        /**
         * Whether calls made through the application's RestClient and WebClient builders carry the priority of the
         * request (or scope) they are made in, in the same header.
         */
        private boolean propagate;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getHeader() {
            return header;
        }

        public void setHeader(String header) {
            this.header = header;
        }

        public boolean isAllowRaise() {
            return allowRaise;
        }

        public void setAllowRaise(boolean allowRaise) {
            this.allowRaise = allowRaise;
        }

        public boolean isPropagate() {
            return propagate;
        }

        public void setPropagate(boolean propagate) {
            this.propagate = propagate;
        }
    }

    /**
     * A breaker per downstream host for outgoing requests of the {@code RestClient} and {@code WebClient} builders
     * Spring Boot provides.
     */
    public static class HttpClient {

        /** Whether each request of Boot's RestClient and WebClient builders is protected by its host's breaker. */
        private boolean enabled;

        /** Name of a host's breaker; {host} stands for the host, in lower case. */
        private String namePattern = "http:{host}";

        /**
         * Most breakers created for hosts not listed under hosts; requests to further hosts share the overflow
         * breaker until idle ones are evicted.
         */
        private int maxBreakers = 100;

        /** Name of the breaker shared by the hosts beyond max-breakers. */
        private String overflowBreaker = "http:other";

        /** How long a host's breaker may go without a request before it is removed, with its meters; 0 keeps them. */
        private Duration idleEviction = Duration.ofMinutes(10);

        /**
         * Response statuses recorded as failures: codes such as 429, or classes such as 5xx. Other responses are
         * successes; I/O errors are always failures.
         */
        private List<String> failureStatuses = List.of("5xx");

        /**
         * Breaker options per host, such as hosts[api.example.com].failure-rate-threshold (brackets keep the dots).
         * They come after breaker.instances of the breaker's name and before breaker.defaults; a listed host always
         * has a breaker of its own, never evicted.
         */
        private final Map<String, Instance> hosts = new LinkedHashMap<>();

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getNamePattern() {
            return namePattern;
        }

        public void setNamePattern(String namePattern) {
            this.namePattern = namePattern;
        }

        public int getMaxBreakers() {
            return maxBreakers;
        }

        public void setMaxBreakers(int maxBreakers) {
            this.maxBreakers = maxBreakers;
        }

        public String getOverflowBreaker() {
            return overflowBreaker;
        }

        public void setOverflowBreaker(String overflowBreaker) {
            this.overflowBreaker = overflowBreaker;
        }

        public Duration getIdleEviction() {
            return idleEviction;
        }

        public void setIdleEviction(Duration idleEviction) {
            this.idleEviction = idleEviction;
        }

        public List<String> getFailureStatuses() {
            return failureStatuses;
        }

        public void setFailureStatuses(List<String> failureStatuses) {
            this.failureStatuses = failureStatuses;
        }

        public Map<String, Instance> getHosts() {
            return hosts;
        }
    }
}
