package dev.breaker.spring.autoconfigure;

import dev.breaker.BreakerConfig;
import dev.breaker.Escalation;
import dev.breaker.GradualRecovery;
import dev.breaker.InvalidConfigException;
import dev.breaker.RecoveryMode;
import dev.breaker.spring.autoconfigure.BreakerProperties.Options;
import dev.breaker.spring.http.HostBreakerNames;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.ClassUtils;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    /** One level of the resolution chain. */
    private record Level(String prefix, Options options) {
    }

    /** A value and the property it came from: the prefix of its level and the option's suffix. */
    private record Origin<T>(T value, String prefix, String suffix) {

        String key() {
            return prefix + "." + suffix;
        }

        /** The key of another option of the same level. */
        String beside(String otherSuffix) {
            return prefix + "." + otherSuffix;
        }

        boolean fromAnInstance() {
            return prefix.startsWith(PREFIX + "instances.");
        }
    }

    /** Replaced as a whole by {@link #replaceProperties}, never changed in place by this class. */
    private volatile BreakerProperties properties;
    private final List<BreakerConfigCustomizer> customizers;
    private final ClassLoader classLoader;

    BreakerConfigFactory(BreakerProperties properties, List<BreakerConfigCustomizer> customizers,
                         ClassLoader classLoader) {
        this.properties = properties;
        this.customizers = List.copyOf(customizers);
        this.classLoader = classLoader;
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
     * Checks the defaults, every named config, every instance and every HTTP client host.
     *
     * @throws InvalidBreakerPropertyException for the first invalid value, naming its full key
     */
    public void validate() {
        BreakerProperties current = properties;
        defaults();
        current.getConfigs().forEach((configName, options) -> build(current, null,
                List.of(new Level(PREFIX + "configs." + configName, options),
                        new Level(PREFIX + "defaults", current.getDefaults()))));
        current.getInstances().keySet().forEach(this::configFor);
        HostBreakerNames names = hostNames(current);
        current.getHttpClient().getHosts().keySet().forEach(host -> configFor(names.nameFor(host)));
    }

    /** A factory with the same customizers that builds configurations from {@code other} properties. */
    public BreakerConfigFactory withProperties(BreakerProperties other) {
        return new BreakerConfigFactory(other, customizers, classLoader);
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

    private static List<Level> chainFor(BreakerProperties properties, String name) {
        List<Level> chain = new ArrayList<>();
        String baseConfigKey = null;
        String baseConfig = null;
        BreakerProperties.Instance instance = properties.getInstances().get(name);
        if (instance != null) {
            String prefix = PREFIX + "instances." + name;
            chain.add(new Level(prefix, instance));
            baseConfig = instance.getBaseConfig();
            baseConfigKey = prefix + ".base-config";
        }
        Map.Entry<String, BreakerProperties.Instance> host = hostOptions(properties, name);
        if (host != null) {
            String prefix = PREFIX + "http-client.hosts." + host.getKey();
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
                                + ", or define breaker.configs." + baseConfig + ".");
            }
            chain.add(new Level(PREFIX + "configs." + baseConfig, template));
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
        Origin<String> type = pick(chain, options -> options.getSlidingWindow().getType(), "sliding-window.type");
        String kind = type == null ? "count" : type.value().trim().toLowerCase(Locale.ROOT);
        if (!kind.equals("count") && !kind.equals("time")) {
            throw new InvalidBreakerPropertyException(type.key(), type.value(), "must be 'count' or 'time'",
                    "Set " + type.key() + " to 'count' (the last N calls) or 'time' (the calls of the last period).");
        }
        // A size is taken from the first level whose window is of the same kind (or does not say).
        Origin<String> size = null;
        for (Level level : chain) {
            BreakerProperties.SlidingWindow window = level.options().getSlidingWindow();
            String levelType = window.getType();
            if (window.getSize() != null
                    && (levelType == null || levelType.trim().toLowerCase(Locale.ROOT).equals(kind))) {
                size = new Origin<>(window.getSize().trim(), level.prefix(), "sliding-window.size");
                break;
            }
        }
        Origin<Integer> buckets = pick(chain, options -> options.getSlidingWindow().getBuckets(),
                "sliding-window.buckets");
        if (kind.equals("count")) {
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
