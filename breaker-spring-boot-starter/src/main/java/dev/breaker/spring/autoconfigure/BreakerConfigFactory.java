package dev.breaker.spring.autoconfigure;

import dev.breaker.AdaptiveBaseline;
import dev.breaker.AdaptiveThrottle;
import dev.breaker.AdaptiveTimeout;
import dev.breaker.BreakerConfig;
import dev.breaker.Escalation;
import dev.breaker.GradualRecovery;
import dev.breaker.InvalidConfigException;
import dev.breaker.RecoveryMode;
import dev.breaker.WindowType;
import dev.breaker.spring.autoconfigure.BreakerProperties.Mode;
import dev.breaker.spring.aop.AnnotatedBreakers;
import dev.breaker.spring.autoconfigure.BreakerProperties.Options;
import dev.breaker.spring.dependencies.DependencyGraph;
import dev.breaker.spring.http.HostBreakerNames;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.ClassUtils;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns the {@code breaker.*} properties into core {@link BreakerConfig}s: the one place where properties meet the
 * core. Each option is taken from the first level that sets it (the instance, its base config, the defaults); an
 * invalid value is reported with the full key of the level it came from.
 */
public final class BreakerConfigFactory {

    private static final String PREFIX = "breaker.";
    private static final String INSTANCES = PREFIX + "instances";
    private static final String CONFIGS = PREFIX + "configs";
    private static final String ADAPTIVE = "adaptive";

    /** One level of the resolution chain. */
    private record Level(String prefix, Options options) {
    }

    /** A value and the property it came from: the prefix of its level and the option's suffix. */
    record Origin<T>(T value, String prefix, String suffix) {

        String key() {
            return prefix + "." + suffix;
        }

        /** The key of another option of the same level. */
        String beside(String otherSuffix) {
            return prefix + "." + otherSuffix;
        }

        boolean fromAnInstance() {
            return prefix.startsWith(INSTANCES);
        }
    }

    /** Replaced as a whole by {@link #replaceProperties}, never changed in place by this class. */
    private volatile BreakerProperties properties;
    private final List<BreakerConfigCustomizer> customizers;
    private final ClassLoader classLoader;
    private final AnnotatedBreakers annotated;

    BreakerConfigFactory(BreakerProperties properties, List<BreakerConfigCustomizer> customizers,
                         ClassLoader classLoader) {
        this(properties, customizers, classLoader, AnnotatedBreakers.none());
    }

    /**
     * @param annotated the breakers {@code @CircuitBreaker} annotations name, whose dependencies join the ones the
     *     properties give
     */
    BreakerConfigFactory(BreakerProperties properties, List<BreakerConfigCustomizer> customizers,
                         ClassLoader classLoader, AnnotatedBreakers annotated) {
        this.properties = properties;
        this.customizers = List.copyOf(customizers);
        this.classLoader = classLoader;
        this.annotated = annotated;
    }

    /** The configuration of breakers not listed under {@code breaker.instances}, before customizers. */
    public BreakerConfig defaults() {
        BreakerProperties current = properties;
        return build(current, null, List.of(new Level(PREFIX + "defaults", current.getDefaults())));
    }

    /**
     * The configuration of the breaker called {@code name}: its instance options if listed, then the options of its
     * host if it is an HTTP client's breaker ({@code breaker.http-client.hosts}), then the defaults.
     */
    public BreakerConfig configFor(String name) {
        BreakerProperties current = properties;
        return build(current, name, chainFor(current, name));
    }

    /**
     * Whether the application declares a breaker called {@code name}: under {@code breaker.instances} or on a
     * {@code @CircuitBreaker}. Only such breakers may be dependencies.
     */
    public boolean declares(String name) {
        return properties.getInstances().containsKey(name) || annotated.names().contains(name);
    }

    /**
     * Checks the defaults, every named config, every instance and every HTTP client host, and the dependencies of
     * every declared breaker.
     *
     * @throws InvalidBreakerPropertyException for the first invalid value, naming its full key
     * @throws dev.breaker.spring.dependencies.InvalidBreakerDependencyException for a dependency that is no declared
     *     breaker, or a cycle, naming the keys and annotated methods that declare them
     */
    public void validate() {
        BreakerProperties current = properties;
        defaults();
        current.getConfigs().forEach((configName, options) -> build(current, null,
                List.of(new Level(entry(CONFIGS, configName), options),
                        new Level(PREFIX + "defaults", current.getDefaults()))));
        current.getInstances().keySet().forEach(this::configFor);
        HostBreakerNames names = hostNames(current);
        current.getHttpClient().getHosts().keySet().forEach(host -> configFor(names.nameFor(host)));
        validateDependencies(current);
    }

    /** A factory with the same customizers and annotations that builds configurations from {@code other} properties. */
    public BreakerConfigFactory withProperties(BreakerProperties other) {
        return new BreakerConfigFactory(other, customizers, classLoader, annotated);
    }

    /**
     * Builds every configuration from {@code fresh} properties from now on, once they {@linkplain #validate()
     * validate}; breakers that exist keep their configuration until they are reconfigured.
     *
     * @throws InvalidBreakerPropertyException for the first invalid value, and then nothing changes
     */
    public void replaceProperties(BreakerProperties fresh) {
        withProperties(fresh).validate();
        this.properties = fresh;
    }

    private void validateDependencies(BreakerProperties current) {
        Set<String> declared = new LinkedHashSet<>(current.getInstances().keySet());
        declared.addAll(annotated.names());
        DependencyGraph graph = new DependencyGraph();
        for (String name : declared) {
            List<Level> chain = chainFor(current, name);
            Origin<List<String>> fromProperties = pick(chain, Options::getDependsOn, "depends-on");
            List<DependencyGraph.Edge> edges = new ArrayList<>();
            for (String dependency : build(current, name, chain).dependsOn()) {
                edges.add(new DependencyGraph.Edge(dependency, declarationOf(name, dependency, fromProperties)));
            }
            graph.declare(name, edges);
        }
        graph.validate();
    }

    /** Where the dependency of breaker {@code name} on {@code dependency} was declared, for error messages. */
    private String declarationOf(String name, String dependency, @Nullable Origin<List<String>> fromProperties) {
        if (fromProperties != null) {
            int index = trimmed(fromProperties.value()).indexOf(dependency);
            if (index >= 0) {
                return fromProperties.key() + "[" + index + "]";
            }
        }
        String method = annotated.declaredBy(name);
        if (method != null && annotated.dependsOn(name).contains(dependency)) {
            return "@CircuitBreaker(name = \"" + name + "\", dependsOn = ...) on " + method;
        }
        return "A BreakerConfigCustomizer of breaker '" + name + "'";
    }

    /**
     * The option {@code getter} reads for the breaker called {@code name}, from the first level that sets it (the
     * instance, its base config, the defaults), with its full key ({@code suffix} under the level); null if no level
     * does. For options that are not the core's, such as what a cluster shares.
     */
    <T> @Nullable Origin<T> option(String name, Function<Options, @Nullable T> getter, String suffix) {
        return pick(chainFor(properties, name), getter, suffix);
    }

    /** Every value of the option {@code getter} reads, at every level that sets it, with its full key. */
    <T> List<Origin<T>> everyValue(Function<Options, @Nullable T> getter, String suffix) {
        BreakerProperties current = properties;
        List<Level> levels = new ArrayList<>();
        levels.add(new Level(PREFIX + "defaults", current.getDefaults()));
        current.getConfigs().forEach((configName, options) -> levels.add(new Level(entry(CONFIGS, configName),
                options)));
        current.getInstances().forEach((name, options) -> levels.add(new Level(entry(INSTANCES, name),
                options)));
        List<Origin<T>> values = new ArrayList<>();
        for (Level level : levels) {
            T value = getter.apply(level.options());
            if (value != null) {
                values.add(new Origin<>(value, level.prefix(), suffix));
            }
        }
        return values;
    }

    /**
     * The key of the entry {@code name} of the map at {@code map}, as it is written: in brackets if the name holds a
     * dot ({@code breaker.http-client.hosts[api.example.com]}).
     */
    static String entry(String map, String name) {
        return name.indexOf('.') >= 0 ? map + "[" + name + "]" : map + "." + name;
    }

    private static List<Level> chainFor(BreakerProperties properties, String name) {
        List<Level> chain = new ArrayList<>();
        String baseConfigKey = null;
        String baseConfig = null;
        BreakerProperties.Instance instance = properties.getInstances().get(name);
        if (instance != null) {
            String prefix = entry(INSTANCES, name);
            chain.add(new Level(prefix, instance));
            baseConfig = instance.getBaseConfig();
            baseConfigKey = prefix + ".base-config";
        }
        Map.Entry<String, BreakerProperties.Instance> host = hostOptions(properties, name);
        if (host != null) {
            String prefix = entry(PREFIX + "http-client.hosts", host.getKey());
            chain.add(new Level(prefix, host.getValue()));
            if (baseConfig == null) {
                baseConfig = host.getValue().getBaseConfig();
                baseConfigKey = prefix + ".base-config";
            }
        }
        if (baseConfig != null) {
            Options template = properties.getConfigs().get(baseConfig);
            if (template == null) {
                throw new InvalidBreakerPropertyException(baseConfigKey, baseConfig,
                        "names no config under breaker.configs (known: " + properties.getConfigs().keySet() + ")",
                        "Set " + baseConfigKey + " to one of " + properties.getConfigs().keySet()
                                + ", or define " + entry(CONFIGS, baseConfig) + ".");
            }
            chain.add(new Level(entry(CONFIGS, baseConfig), template));
        }
        chain.add(new Level(PREFIX + "defaults", properties.getDefaults()));
        return chain;
    }

    /** The options under {@code breaker.http-client.hosts} of the host whose breaker is {@code name}, if any. */
    private static Map.@Nullable Entry<String, BreakerProperties.Instance> hostOptions(BreakerProperties properties,
                                                                                   String name) {
        String host = hostNames(properties).hostOf(name);
        if (host == null) {
            return null;
        }
        for (Map.Entry<String, BreakerProperties.Instance> listed : properties.getHttpClient().getHosts().entrySet()) {
            if (listed.getKey().equalsIgnoreCase(host)) {
                return listed;
            }
        }
        return null;
    }

    private static HostBreakerNames hostNames(BreakerProperties properties) {
        String pattern = properties.getHttpClient().getNamePattern();
        try {
            return HostBreakerNames.of(pattern);
        } catch (IllegalArgumentException e) {
            throw new InvalidBreakerPropertyException(PREFIX + "http-client.name-pattern", pattern,
                    "must contain " + HostBreakerNames.HOST + " once",
                    "Set " + PREFIX + "http-client.name-pattern to a name such as http:" + HostBreakerNames.HOST
                            + ".");
        }
    }

    private BreakerConfig build(BreakerProperties properties, @Nullable String name, List<Level> chain) {
        BreakerConfig.Builder builder = BreakerConfig.builder();
        Map<String, String> keysByOption = new HashMap<>();
        apply(chain, Options::getFailureRateThreshold, "failure-rate-threshold", "failureRateThreshold",
                keysByOption, builder::failureRateThreshold);
        apply(chain, Options::getSlowCallRateThreshold, "slow-call-rate-threshold", "slowCallRateThreshold",
                keysByOption, builder::slowCallRateThreshold);
        apply(chain, Options::getSlowCallDuration, "slow-call-duration", "slowCallDuration", keysByOption,
                builder::slowCallDuration);
        apply(chain, Options::getMinimumCalls, "minimum-calls", "minimumCalls", keysByOption, builder::minimumCalls);
        apply(chain, Options::getConsecutiveFailures, "consecutive-failures", "consecutiveFailures", keysByOption,
                builder::consecutiveFailures);
        apply(chain, Options::getWaitInOpen, "wait-in-open", "waitInOpen", keysByOption, builder::waitInOpen);
        apply(chain, Options::getHalfOpenCalls, "half-open-calls", "halfOpenCalls", keysByOption,
                builder::halfOpenCalls);
        apply(chain, Options::getMaxWaitInHalfOpen, "max-wait-in-half-open", "maxWaitInHalfOpen", keysByOption,
                builder::maxWaitInHalfOpen);
        apply(chain, Options::getWritableStackTrace, "writable-stack-trace", "writableStackTrace", keysByOption,
                builder::writableStackTrace);
        applyBackoff(chain, builder, keysByOption);
        applyWindow(chain, builder, keysByOption);
        applyRecovery(chain, builder, keysByOption);
        applyEscalation(chain, builder, keysByOption);
        applyTimeout(chain, builder, keysByOption);
        applyMode(chain, builder, keysByOption);
        applyAdmission(chain, builder, keysByOption);
        if (name != null) {
            applyDependencies(name, chain, builder, keysByOption);
        }
        Origin<List<String>> record = pick(chain, Options::getRecordExceptions, "record-exceptions");
        if (record != null) {
            builder.recordExceptions(exceptionClasses(record));
        }
        Origin<List<String>> ignore = pick(chain, Options::getIgnoreExceptions, "ignore-exceptions");
        if (ignore != null) {
            builder.ignoreExceptions(exceptionClasses(ignore));
        }
        Duration prolongedOpen = properties.getAlerts().getProlongedOpen();
        if (prolongedOpen != null && !prolongedOpen.isZero()) {
            keysByOption.put("prolongedOpenAlert", PREFIX + "alerts.prolonged-open");
            builder.prolongedOpenAlert(prolongedOpen);
        }
        if (name != null) {
            customizers.forEach(customizer -> customizer.customize(name, builder));
        }
        try {
            return builder.build();
        } catch (InvalidConfigException e) {
            throw invalid(name, e, keysByOption);
        }
    }

    private static InvalidBreakerPropertyException invalid(@Nullable String name, InvalidConfigException e,
                                                           Map<String, String> keysByOption) {
        String key = keysByOption.get(e.option());
        if (key == null) {
            return new InvalidBreakerPropertyException("BreakerConfigCustomizer option " + e.option()
                    + " of breaker '" + name + "'", e.value(), e.rule(),
                    "Change the BreakerConfigCustomizer bean that sets " + e.option() + " for '" + name + "'.");
        }
        // A rule that names another option ("must be at least waitInOpen (PT1M)") names its property instead.
        String rule = e.rule();
        for (Map.Entry<String, String> other : keysByOption.entrySet()) {
            rule = rule.replaceAll("(?<![\\w.])" + Pattern.quote(other.getKey()) + "(?![\\w.])",
                    Matcher.quoteReplacement(other.getValue()));
        }
        return new InvalidBreakerPropertyException(key, e.value(), rule,
                "Set " + key + " to a value that " + rule.replaceFirst("^must be", "is") + ".");
    }

    private static <T> void apply(List<Level> chain, Function<Options, @Nullable T> getter, String suffix,
                                  String option, Map<String, String> keysByOption, Consumer<T> setter) {
        Origin<T> origin = pick(chain, getter, suffix);
        if (origin != null) {
            keysByOption.put(option, origin.key());
            setter.accept(origin.value());
        }
    }

    private static <T> @Nullable Origin<T> pick(List<Level> chain, Function<Options, @Nullable T> getter,
                                                String suffix) {
        for (Level level : chain) {
            T value = getter.apply(level.options());
            if (value != null) {
                return new Origin<>(value, level.prefix(), suffix);
            }
        }
        return null;
    }

    private static void applyBackoff(List<Level> chain, BreakerConfig.Builder builder,
                                     Map<String, String> keysByOption) {
        Origin<Double> multiplier = pick(chain, Options::getWaitInOpenMultiplier, "wait-in-open-multiplier");
        Origin<Duration> max = pick(chain, Options::getMaxWaitInOpen, "max-wait-in-open");
        if (multiplier == null && max == null) {
            return;
        }
        if (max == null && multiplier.value() == 1.0) {
            // The core default written out: the wait never grows, so it needs no longest wait.
            return;
        }
        if (max == null) {
            throw new InvalidBreakerPropertyException(multiplier.key(), multiplier.value(),
                    "needs max-wait-in-open, the longest wait the backoff may reach",
                    "Set max-wait-in-open beside " + multiplier.key() + ".");
        }
        keysByOption.put("maxWaitInOpen", max.key());
        if (multiplier != null) {
            keysByOption.put("waitInOpenMultiplier", multiplier.key());
        }
        builder.waitInOpenBackoff(multiplier == null ? 1.0 : multiplier.value(), max.value());
    }

    private static void applyWindow(List<Level> chain, BreakerConfig.Builder builder,
                                    Map<String, String> keysByOption) {
        Origin<WindowType> type = pick(chain, options -> options.getSlidingWindow().getType(),
                "sliding-window.type");
        WindowType kind = type == null ? WindowType.COUNT : type.value();
        // A size is taken from the first level whose window is of the same kind (or does not say).
        Origin<String> size = null;
        for (Level level : chain) {
            BreakerProperties.SlidingWindow window = level.options().getSlidingWindow();
            WindowType levelType = window.getType();
            if (window.getSize() != null && (levelType == null || levelType == kind)) {
                size = new Origin<>(window.getSize().trim(), level.prefix(), "sliding-window.size");
                break;
            }
        }
        Origin<Integer> buckets = pick(chain, options -> options.getSlidingWindow().getBuckets(),
                "sliding-window.buckets");
        if (kind == WindowType.COUNT) {
            if (size != null) {
                keysByOption.put("countWindow", size.key());
                builder.countWindow(parseCount(size));
            }
            return;
        }
        Duration length = size == null ? BreakerConfig.ofDefaults().timeWindowSize() : parseDuration(size);
        if (size != null) {
            keysByOption.put("timeWindow", size.key());
        }
        if (buckets != null) {
            keysByOption.put("timeWindowBuckets", buckets.key());
            builder.timeWindow(length, buckets.value());
        } else {
            builder.timeWindow(length);
        }
    }

    /**
     * Gradual recovery, on when the first level that sets {@code recovery.ramp} sets it above zero. Its other
     * options come from the first level that sets each; a template may set them for the instances that turn the
     * ramp on, but an instance that sets them without a ramp has made a mistake.
     */
    private static void applyRecovery(List<Level> chain, BreakerConfig.Builder builder,
                                      Map<String, String> keysByOption) {
        Origin<Duration> ramp = pick(chain, options -> options.getRecovery().getRamp(), "recovery.ramp");
        Origin<Float> minShare = pick(chain, options -> options.getRecovery().getMinShare(), "recovery.min-share");
        Origin<Double> aggression = pick(chain, options -> options.getRecovery().getAggression(),
                "recovery.aggression");
        Origin<RecoveryMode> mode = pick(chain, options -> options.getRecovery().getMode(),
                "recovery.mode");
        Origin<Float> step = pick(chain, options -> options.getRecovery().getStep(), "recovery.step");
        Origin<Integer> successes = pick(chain, options -> options.getRecovery().getSuccessesPerStep(),
                "recovery.successes-per-step");
        if (ramp == null || ramp.value().isZero()) {
            requireOff(Stream.of(minShare, aggression, mode, step, successes), "a gradual recovery",
                    "recovery.ramp", "how long the ramp takes, such as 30s");
            return;
        }
        GradualRecovery defaults = GradualRecovery.over(ramp.value());
        keysByOption.put("gradualRecovery.ramp", ramp.key());
        keysByOption.put("gradualRecovery.minShare", keyOf(minShare, ramp, "recovery.min-share"));
        keysByOption.put("gradualRecovery.aggression", keyOf(aggression, ramp, "recovery.aggression"));
        keysByOption.put("gradualRecovery.step", keyOf(step, ramp, "recovery.step"));
        keysByOption.put("gradualRecovery.successesPerStep", keyOf(successes, ramp, "recovery.successes-per-step"));
        builder.gradualRecovery(new GradualRecovery(ramp.value(),
                valueOr(minShare, defaults.minSharePercent()), valueOr(aggression, defaults.aggression()),
                valueOr(mode, defaults.mode()), valueOr(step, defaults.stepPercent()),
                valueOr(successes, defaults.successesPerStep())));
    }

    /** Escalation, on when the first level that sets {@code escalation.enabled} sets it true; as for the ramp. */
    private static void applyEscalation(List<Level> chain, BreakerConfig.Builder builder,
                                        Map<String, String> keysByOption) {
        Origin<Boolean> enabled = pick(chain, options -> options.getEscalation().getEnabled(), "escalation.enabled");
        Origin<Float> warningAt = pick(chain, options -> options.getEscalation().getWarningAt(),
                "escalation.warning-at");
        Origin<Float> warningClearAt = pick(chain, options -> options.getEscalation().getWarningClearAt(),
                "escalation.warning-clear-at");
        Origin<Integer> emergencyAfter = pick(chain, options -> options.getEscalation().getEmergencyAfter(),
                "escalation.emergency-after");
        Origin<Duration> stablePeriod = pick(chain, options -> options.getEscalation().getStablePeriod(),
                "escalation.stable-period");
        Origin<Double> jitter = pick(chain, options -> options.getEscalation().getJitter(), "escalation.jitter");
        if (enabled == null || !enabled.value()) {
            requireOff(Stream.of(warningAt, warningClearAt, emergencyAfter, stablePeriod, jitter), "escalation",
                    "escalation.enabled", "true");
            return;
        }
        Escalation defaults = Escalation.defaults();
        keysByOption.put("escalation.warningAt", keyOf(warningAt, enabled, "escalation.warning-at"));
        keysByOption.put("escalation.warningClearAt", keyOf(warningClearAt, enabled, "escalation.warning-clear-at"));
        keysByOption.put("escalation.emergencyAfter", keyOf(emergencyAfter, enabled, "escalation.emergency-after"));
        keysByOption.put("escalation.stablePeriod", keyOf(stablePeriod, enabled, "escalation.stable-period"));
        keysByOption.put("escalation.jitter", keyOf(jitter, enabled, "escalation.jitter"));
        builder.escalation(new Escalation(valueOr(warningAt, defaults.warningAtPercent()),
                valueOr(warningClearAt, defaults.warningClearAtPercent()),
                valueOr(emergencyAfter, defaults.emergencyAfter()), valueOr(stablePeriod, defaults.stablePeriod()),
                valueOr(jitter, defaults.jitter())));
    }

    /**
     * The call timeout: a duration, {@code adaptive} (its options from the first level that sets each, as for the
     * ramp), or 0 for none; and whether blocking calls are interrupted.
     */
    private static void applyTimeout(List<Level> chain, BreakerConfig.Builder builder,
                                     Map<String, String> keysByOption) {
        apply(chain, Options::getTimeoutInterrupt, "timeout-interrupt", "timeoutInterrupt", keysByOption,
                builder::timeoutInterrupt);
        Origin<String> timeout = pick(chain, Options::getTimeout, "timeout");
        Origin<Double> percentile = pick(chain, options -> options.getAdaptiveTimeout().getPercentile(),
                "adaptive-timeout.percentile");
        Origin<Double> factor = pick(chain, options -> options.getAdaptiveTimeout().getFactor(),
                "adaptive-timeout.factor");
        Origin<Duration> min = pick(chain, options -> options.getAdaptiveTimeout().getMin(), "adaptive-timeout.min");
        Origin<Duration> max = pick(chain, options -> options.getAdaptiveTimeout().getMax(), "adaptive-timeout.max");
        Origin<Duration> window = pick(chain, options -> options.getAdaptiveTimeout().getWindow(),
                "adaptive-timeout.window");
        Origin<Integer> minimumCalls = pick(chain, options -> options.getAdaptiveTimeout().getMinimumCalls(),
                "adaptive-timeout.minimum-calls");
        if (timeout == null || !timeout.value().trim().equalsIgnoreCase(ADAPTIVE)) {
            requireOff(Stream.of(percentile, factor, min, max, window, minimumCalls), "an adaptive timeout",
                    "timeout", ADAPTIVE);
            Duration fixed = timeout == null ? null : parseTimeout(timeout);
            if (fixed != null && !fixed.isZero()) {
                keysByOption.put("timeout", timeout.key());
                builder.timeout(fixed);
            }
            return;
        }
        AdaptiveTimeout defaults = AdaptiveTimeout.defaults();
        keysByOption.put("adaptiveTimeout.percentile", keyOf(percentile, timeout, "adaptive-timeout.percentile"));
        keysByOption.put("adaptiveTimeout.factor", keyOf(factor, timeout, "adaptive-timeout.factor"));
        keysByOption.put("adaptiveTimeout.min", keyOf(min, timeout, "adaptive-timeout.min"));
        keysByOption.put("adaptiveTimeout.max", keyOf(max, timeout, "adaptive-timeout.max"));
        keysByOption.put("adaptiveTimeout.window", keyOf(window, timeout, "adaptive-timeout.window"));
        keysByOption.put("adaptiveTimeout.minimumCalls", keyOf(minimumCalls, timeout,
                "adaptive-timeout.minimum-calls"));
        builder.adaptiveTimeout(new AdaptiveTimeout(valueOr(percentile, defaults.percentile()),
                valueOr(factor, defaults.factor()), valueOr(min, defaults.min()), valueOr(max, defaults.max()),
                valueOr(window, defaults.window()), valueOr(minimumCalls, defaults.minimumCalls())));
    }

    private static Duration parseTimeout(Origin<String> timeout) {
        try {
            return DurationStyle.detectAndParse(timeout.value().trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidBreakerPropertyException(timeout.key(), timeout.value(),
                    "must be a duration such as 2s, or 'adaptive'",
                    "Set " + timeout.key() + " to a duration such as 2s, to 'adaptive' (a timeout that follows "
                            + "recent call durations), or to 0 for none.");
        }
    }

    /**
     * The admission limits and priorities. A rate-limit burst applies to a rate limit, and shedding on warning to a
     * breaker that escalates; a template may set them for the instances that have those, an instance that sets them
     * without has made a mistake.
     */
    private static void applyAdmission(List<Level> chain, BreakerConfig.Builder builder,
                                       Map<String, String> keysByOption) {
        apply(chain, Options::getMaxConcurrentCalls, "max-concurrent-calls", "maxConcurrentCalls", keysByOption,
                builder::maxConcurrentCalls);
        Origin<Double> rate = pick(chain, Options::getMaxCallsPerSecond, "max-calls-per-second");
        Origin<Integer> burst = pick(chain, Options::getRateLimitBurst, "rate-limit-burst");
        if (rate == null || rate.value() == 0) {
            requireOff(Stream.of(burst), "a rate limit", "max-calls-per-second", "the calls per second to admit");
            if (rate != null) {
                keysByOption.put("maxCallsPerSecond", rate.key());
            }
        } else {
            keysByOption.put("maxCallsPerSecond", rate.key());
            keysByOption.put("rateLimitBurst", keyOf(burst, rate, "rate-limit-burst"));
            builder.maxCallsPerSecond(rate.value(), valueOr(burst, 0));
        }
        apply(chain, Options::getReservedForCritical, "reserved-for-critical", "reservedForCritical", keysByOption,
                builder::reservedForCritical);
        apply(chain, Options::getDefaultPriority, "default-priority", "defaultPriority", keysByOption,
                builder::defaultPriority);
        Origin<Boolean> shed = pick(chain, Options::getShedOnWarning, "shed-on-warning");
        Origin<Boolean> escalation = pick(chain, options -> options.getEscalation().getEnabled(),
                "escalation.enabled");
        if (shed != null && shed.value() && (escalation == null || !escalation.value())) {
            requireOff(Stream.of(shed), "a breaker that escalates", "escalation.enabled", "true");
        } else if (shed != null) {
            keysByOption.put("shedOnWarning", shed.key());
            builder.shedOnWarning(shed.value());
        }
    }

    /**
     * The mode the thresholds work in: {@code throttle} and {@code baseline} take their options from the first
     * level that sets each, as for the ramp; an instance that sets them in another mode has made a mistake.
     */
    private static void applyMode(List<Level> chain, BreakerConfig.Builder builder,
                                  Map<String, String> keysByOption) {
        Origin<Mode> mode = pick(chain, Options::getMode, "mode");
        Origin<Duration> throttleWindow = pick(chain, options -> options.getThrottle().getWindow(),
                "throttle.window");
        Origin<Double> k = pick(chain, options -> options.getThrottle().getK(), "throttle.k");
        Origin<Float> maxReject = pick(chain, options -> options.getThrottle().getMaxReject(), "throttle.max-reject");
        Origin<Duration> bucket = pick(chain, options -> options.getBaseline().getBucket(), "baseline.bucket");
        Origin<Duration> halfLife = pick(chain, options -> options.getBaseline().getHalfLife(), "baseline.half-life");
        Origin<Double> z = pick(chain, options -> options.getBaseline().getZ(), "baseline.z");
        Origin<Integer> confirm = pick(chain, options -> options.getBaseline().getConfirm(), "baseline.confirm");
        Origin<Integer> warmUp = pick(chain, options -> options.getBaseline().getWarmUpBuckets(),
                "baseline.warm-up-buckets");
        Origin<Float> failureRateFloor = pick(chain, options -> options.getBaseline().getFailureRateFloor(),
                "baseline.failure-rate-floor");
        Origin<Duration> latencyFloor = pick(chain, options -> options.getBaseline().getLatencyFloor(),
                "baseline.latency-floor");
        Mode chosen = mode == null ? Mode.STATIC : mode.value();
        if (chosen != Mode.THROTTLE) {
            requireOff(Stream.of(throttleWindow, k, maxReject), "adaptive throttling", "mode", "throttle");
        }
        if (chosen != Mode.BASELINE) {
            requireOff(Stream.of(bucket, halfLife, z, confirm, warmUp, failureRateFloor, latencyFloor),
                    "a learned baseline", "mode", "baseline");
        }
        if (chosen == Mode.THROTTLE) {
            AdaptiveThrottle defaults = AdaptiveThrottle.defaults();
            keysByOption.put("adaptiveThrottle.window", keyOf(throttleWindow, mode, "throttle.window"));
            keysByOption.put("adaptiveThrottle.k", keyOf(k, mode, "throttle.k"));
            keysByOption.put("adaptiveThrottle.maxReject", keyOf(maxReject, mode, "throttle.max-reject"));
            builder.adaptiveThrottle(new AdaptiveThrottle(valueOr(throttleWindow, defaults.window()),
                    valueOr(k, defaults.k()), valueOr(maxReject, defaults.maxRejectPercent())));
        } else if (chosen == Mode.BASELINE) {
            AdaptiveBaseline defaults = AdaptiveBaseline.defaults();
            keysByOption.put("adaptiveBaseline.bucket", keyOf(bucket, mode, "baseline.bucket"));
            keysByOption.put("adaptiveBaseline.halfLife", keyOf(halfLife, mode, "baseline.half-life"));
            keysByOption.put("adaptiveBaseline.z", keyOf(z, mode, "baseline.z"));
            keysByOption.put("adaptiveBaseline.confirm", keyOf(confirm, mode, "baseline.confirm"));
            keysByOption.put("adaptiveBaseline.warmUpBuckets", keyOf(warmUp, mode, "baseline.warm-up-buckets"));
            keysByOption.put("adaptiveBaseline.failureRateFloor", keyOf(failureRateFloor, mode,
                    "baseline.failure-rate-floor"));
            keysByOption.put("adaptiveBaseline.latencyFloor", keyOf(latencyFloor, mode, "baseline.latency-floor"));
            builder.adaptiveBaseline(new AdaptiveBaseline(valueOr(bucket, defaults.bucket()),
                    valueOr(halfLife, defaults.halfLife()), valueOr(z, defaults.z()),
                    valueOr(confirm, defaults.confirm()), valueOr(warmUp, defaults.warmUpBuckets()),
                    valueOr(failureRateFloor, defaults.failureRateFloorPercent()),
                    valueOr(latencyFloor, defaults.latencyFloor())));
        }
    }

    /**
     * The dependencies of the breaker called {@code name}: those its properties name, then those its
     * {@code @CircuitBreaker} annotations add.
     */
    private void applyDependencies(String name, List<Level> chain, BreakerConfig.Builder builder,
                                   Map<String, String> keysByOption) {
        Origin<List<String>> fromProperties = pick(chain, Options::getDependsOn, "depends-on");
        Set<String> dependencies = new LinkedHashSet<>();
        if (fromProperties != null) {
            List<String> names = trimmed(fromProperties.value());
            for (int i = 0; i < names.size(); i++) {
                String dependency = names.get(i);
                if (dependency.isEmpty()) {
                    String key = fromProperties.key() + "[" + i + "]";
                    throw new InvalidBreakerPropertyException(key, fromProperties.value().get(i),
                            "must name a breaker", "Set " + key + " to the name of a breaker under "
                                    + "breaker.instances or of a @CircuitBreaker, or remove it.");
                }
                dependencies.add(dependency);
            }
            keysByOption.put("dependsOn", fromProperties.key());
        }
        dependencies.addAll(annotated.dependsOn(name));
        if (!dependencies.isEmpty()) {
            builder.dependsOn(List.copyOf(dependencies));
        }
    }

    /** The names as given, trimmed; a missing one is empty. */
    private static List<String> trimmed(List<String> names) {
        return names.stream().map(name -> name == null ? "" : name.trim()).toList();
    }

    /**
     * Refuses an option of a feature that is off, set on an instance: the instance meant to turn the feature on.
     *
     * @param feature what the options shape
     * @param switchSuffix the option that turns it on
     * @param switchValue what to set the switch to
     */
    private static void requireOff(Stream<@Nullable Origin<?>> options, String feature, String switchSuffix,
                                   String switchValue) {
        options.filter(option -> option != null && option.fromAnInstance()).findFirst().ifPresent(option -> {
            throw new InvalidBreakerPropertyException(option.key(), option.value(),
                    "applies only to " + feature + ", which " + switchSuffix + " turns on",
                    "Set " + option.beside(switchSuffix) + " to " + switchValue + ", or remove " + option.key()
                            + ".");
        });
    }

    /** Where an option of a feature was set, or where to set it: beside the option that turned the feature on. */
    private static String keyOf(@Nullable Origin<?> option, Origin<?> switchedOnBy, String suffix) {
        return option != null ? option.key() : switchedOnBy.beside(suffix);
    }

    private static <T> T valueOr(@Nullable Origin<T> origin, T otherwise) {
        return origin == null ? otherwise : origin.value();
    }

    private static int parseCount(Origin<String> size) {
        try {
            return Integer.parseInt(size.value());
        } catch (NumberFormatException e) {
            throw new InvalidBreakerPropertyException(size.key(), size.value(),
                    "must be a whole number of calls for a count window",
                    "Set " + size.key() + " to a number of calls such as 100, or the window's type to 'time'.");
        }
    }

    private static Duration parseDuration(Origin<String> size) {
        try {
            return DurationStyle.detectAndParse(size.value());
        } catch (IllegalArgumentException e) {
            throw new InvalidBreakerPropertyException(size.key(), size.value(),
                    "must be a duration such as 60s for a time window",
                    "Set " + size.key() + " to a duration such as 60s, or the window's type to 'count'.");
        }
    }

    private List<Class<? extends Throwable>> exceptionClasses(Origin<List<String>> names) {
        List<Class<? extends Throwable>> classes = new ArrayList<>();
        for (int i = 0; i < names.value().size(); i++) {
            String className = names.value().get(i).trim();
            String key = names.key() + "[" + i + "]";
            Class<?> type;
            try {
                type = ClassUtils.forName(className, classLoader);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new InvalidBreakerPropertyException(key, className, "names no class on the class path",
                        "Check the spelling of " + key + " (a fully qualified class name such as "
                                + "java.io.IOException) and that the jar declaring it is a dependency.");
            }
            if (!Throwable.class.isAssignableFrom(type)) {
                throw new InvalidBreakerPropertyException(key, className, "is not a java.lang.Throwable",
                        "Set " + key + " to an exception class.");
            }
            classes.add(type.asSubclass(Throwable.class));
        }
        return classes;
    }
}
