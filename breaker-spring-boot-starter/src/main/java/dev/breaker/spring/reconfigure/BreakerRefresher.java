package dev.breaker.spring.reconfigure;

import dev.breaker.Breaker;
import dev.breaker.BreakerConfig;
import dev.breaker.BreakerRegistry;
import dev.breaker.spring.autoconfigure.BreakerConfigFactory;
import dev.breaker.spring.autoconfigure.BreakerProperties;
import dev.breaker.spring.autoconfigure.InvalidBreakerPropertyException;
import dev.breaker.spring.reconfigure.InvalidBreakerOptionsException.Problem;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Applies changed {@code breaker.*} properties to running breakers: reads them again exactly as at startup (same
 * keys, conversions and checks, through the same {@link BreakerConfigFactory} and customizers), and reconfigures
 * each breaker whose configuration they change. A breaker keeps its state, and its window and totals where the
 * change allows (see {@link Breaker#reconfigure(BreakerConfig, String)}); each change publishes a
 * {@link dev.breaker.BreakerEvent.ConfigChanged} naming its source.
 *
 * <p>Properties are read from the application's {@code Environment}, so a refresh sees whatever changed there: a
 * Spring Cloud refresh (done automatically on its {@code EnvironmentChangeEvent}), a property source the application
 * replaced, or {@linkplain #override options set at runtime}, which take precedence over every other source until
 * the application stops. Invalid properties change nothing.
 */
public final class BreakerRefresher {

    /** The name of the property source that holds the options set at runtime. */
    public static final String OVERRIDES = "breakerOverrides";

    private static final Log LOGGER = LogFactory.getLog(BreakerRefresher.class);

    private final ConfigurableEnvironment environment;
    private final BreakerConfigFactory factory;
    private final BreakerRegistry registry;
    /** The properties the factory builds from: bound here, never changed in place (unlike the properties bean). */
    private BreakerProperties properties;

    /**
     * Gives {@code factory} properties of its own, bound from {@code environment} as it is now, so that rebinding
     * the {@link BreakerProperties} bean in place (as Spring Cloud does on a refresh) cannot change what breakers
     * are built from before they are reconfigured.
     */
    public BreakerRefresher(ConfigurableEnvironment environment, BreakerConfigFactory factory,
                            BreakerRegistry registry) {
        this.environment = environment;
        this.factory = factory;
        this.registry = registry;
        this.properties = BreakerPropertiesBinder.bind(environment.getPropertySources()).properties();
        factory.replaceProperties(properties);
    }

    /**
     * Reads the {@code breaker.*} properties again and reconfigures every breaker whose configuration they change.
     * A breaker whose configuration did not come from the properties (one reconfigured through the registry or
     * created with a configuration of its own) is left as it is; breakers newly listed under
     * {@code breaker.instances} are created.
     *
     * @param source who asked, for the events: {@code environment}, for example
     * @return the names of the breakers reconfigured
     * @throws InvalidBreakerOptionsException listing the invalid properties; nothing changed
     */
    public synchronized List<String> refresh(String source) {
        MutablePropertySources sources = environment.getPropertySources();
        // Sources added since (by a Spring Cloud refresh, for example) went above them: options set at runtime
        // stay first.
        putFirst(sources, currentOverrides());
        return apply(sources, null, source);
    }

    /**
     * Sets options of the breaker called {@code name} while the application runs, in property form relative to the
     * breaker ({@code failure-rate-threshold}, {@code sliding-window.size}), as if they were set under
     * {@code breaker.instances.<name>} in the most important property source; a {@code null} value takes back an
     * option set earlier. They are checked like startup properties, and applied only if all are valid. Options set
     * this way last until the application stops, whatever the other property sources say.
     *
     * @param source who sets them, for the event
     * @return the breaker, reconfigured
     * @throws NoSuchElementException if there is no breaker called {@code name}
     * @throws InvalidBreakerOptionsException listing each invalid option with its reason; nothing changed
     */
    public synchronized Breaker override(String name, Map<String, @Nullable String> options, String source) {
        Breaker breaker = registry.find(name).orElseThrow(() -> new NoSuchElementException(
                "No breaker named '" + name + "'"));
        String prefix = ConfigurationPropertyName.isValid("breaker.instances." + name)
                ? "breaker.instances." + name + "." : "breaker.instances[" + name + "].";
        List<Problem> problems = new ArrayList<>();
        Map<ConfigurationPropertyName, String> given = new LinkedHashMap<>();
        Map<String, Object> overrides = new LinkedHashMap<>(currentOverrides());
        for (Map.Entry<String, @Nullable String> option : options.entrySet()) {
            String key = option.getKey();
            if (name.contains("]") || !ConfigurationPropertyName.isValid(prefix + key)) {
                problems.add(new Problem(key, prefix + key, option.getValue(),
                        "is no property name: use the kebab-case form of application.properties, such as "
                                + "failure-rate-threshold or sliding-window.size"));
                continue;
            }
            given.put(ConfigurationPropertyName.of(prefix + key), key);
            if (option.getValue() == null) {
                overrides.remove(prefix + key);
            } else {
                overrides.put(prefix + key, option.getValue());
            }
        }
        problems.addAll(check(name, overrides, given, options));
        if (!problems.isEmpty()) {
            throw new InvalidBreakerOptionsException("Invalid options for breaker '" + name + "'; nothing changed",
                    problems);
        }
        MutablePropertySources sources = environment.getPropertySources();
        putFirst(sources, overrides);
        apply(sources, name, source);
        return breaker;
    }

    /**
     * Builds the configuration of the breaker called {@code name} again, from the properties and the
     * customizers, and applies it; for customizers whose decisions changed. Does nothing if there is no such
     * breaker.
     */
    public synchronized void rebuild(String name, String source) {
        registry.find(name).ifPresent(breaker -> registry.reconfigure(name, factory.configFor(name), source));
    }

    /**
     * Binds the properties of {@code sources}, makes them the factory's, and reconfigures the breakers they change,
     * and {@code forced} (set through {@link #override}) whatever its configuration was.
     */
    private List<String> apply(Iterable<PropertySource<?>> sources,
                               @Nullable String forced, String source) {
        BreakerPropertiesBinder.Bound bound = BreakerPropertiesBinder.bind(sources);
        if (!bound.problems().isEmpty()) {
            throw new InvalidBreakerOptionsException("Invalid breaker properties; nothing changed",
                    bound.problems());
        }
        BreakerConfigFactory before = factory.withProperties(properties);
        List<Problem> problems = validate(factory.withProperties(bound.properties()));
        if (!problems.isEmpty()) {
            throw new InvalidBreakerOptionsException("Invalid breaker properties; nothing changed", problems);
        }
        factory.replaceProperties(bound.properties());
        properties = bound.properties();
        List<String> reconfigured = new ArrayList<>();
        for (Breaker breaker : registry.all()) {
            String name = breaker.name();
            BreakerConfig next = factory.configFor(name);
            boolean fromProperties = sameOptions(breaker.config(), before.configFor(name));
            if (name.equals(forced) || fromProperties && !sameOptions(breaker.config(), next)) {
                registry.reconfigure(name, next, source);
                reconfigured.add(name);
            } else if (!fromProperties) {
                LOGGER.debug("Breaker '" + name + "' was not configured by the properties; a refresh leaves it");
            }
        }
        bound.properties().getInstances().keySet().forEach(registry::breaker);
        return reconfigured;
    }

    /**
     * Whether two configurations have the same options. Compared by their description, which shows every option
     * the properties set; what only code sets (predicates, tickers) comes from customizers, which do not change.
     */
    private static boolean sameOptions(BreakerConfig a, BreakerConfig b) {
        return a.toString().equals(b.toString());
    }

    /**
     * The problems of the breaker called {@code name} with {@code overrides} in place of the current ones: every key
     * that cannot be bound, then the rules the options break. The configuration stops at the first broken rule, so
     * an option that breaks one is set aside (its earlier value applies) and the others checked again, until they
     * pass or a rule breaks that no given option is to blame for.
     *
     * @param given the full names of the options given, and each as it was given
     * @param values the values as they were given
     */
    private List<Problem> check(String name, Map<String, Object> overrides,
                                Map<ConfigurationPropertyName, String> given, Map<String, @Nullable String> values) {
        Map<String, Object> candidate = new LinkedHashMap<>(overrides);
        List<Problem> problems = new ArrayList<>();
        BreakerPropertiesBinder.Bound bound = BreakerPropertiesBinder.bind(withOverrides(candidate));
        for (Problem problem : bound.problems()) {
            String option = given.get(ConfigurationPropertyName.of(problem.property()));
            problems.add(new Problem(option, problem.property(), problem.value(), problem.reason()));
            setAside(candidate, problem.property());
        }
        if (!problems.isEmpty()) {
            bound = BreakerPropertiesBinder.bind(withOverrides(candidate));
            if (!bound.problems().isEmpty()) {
                return problems;
            }
        }
        while (true) {
            BreakerConfigFactory options = factory.withProperties(bound.properties());
            InvalidBreakerPropertyException broken = broken(() -> options.configFor(name));
            if (broken == null) {
                return problems;
            }
            String option = ConfigurationPropertyName.isValid(broken.property())
                    ? given.get(ConfigurationPropertyName.of(broken.property())) : null;
            problems.add(new Problem(option, broken.property(),
                    option != null ? values.get(option) : String.valueOf(broken.value()), broken.reason()));
            if (option == null || !setAside(candidate, broken.property())) {
                return problems;
            }
            bound = BreakerPropertiesBinder.bind(withOverrides(candidate));
        }
    }

    /** Takes the override of {@code property} out of {@code candidate}; whether there was one. */
    private static boolean setAside(Map<String, Object> candidate, String property) {
        ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
        return candidate.keySet().removeIf(key -> ConfigurationPropertyName.of(key).equals(name));
    }

    /** The rule {@code build} found broken, if any. */
    private static @Nullable InvalidBreakerPropertyException broken(Runnable build) {
        try {
            build.run();
            return null;
        } catch (InvalidBreakerPropertyException e) {
            return e;
        }
    }

    /** A copy of the application's property sources, with {@code overrides} in place of the current ones. */
    private MutablePropertySources withOverrides(Map<String, Object> overrides) {
        MutablePropertySources candidate = new MutablePropertySources(environment.getPropertySources());
        putFirst(candidate, overrides);
        return candidate;
    }

    /** Makes {@code overrides} the options set at runtime, in the first place of {@code sources}; none: no source. */
    private static void putFirst(MutablePropertySources sources, Map<String, Object> overrides) {
        sources.remove(OVERRIDES);
        if (!overrides.isEmpty()) {
            sources.addFirst(new MapPropertySource(OVERRIDES, overrides));
        }
    }

    /**
     * The rules the new properties break: in the defaults and each breaker's configuration, each once; then, if
     * those pass, in the named configurations and the instances without a breaker yet.
     */
    private List<Problem> validate(BreakerConfigFactory candidate) {
        List<Runnable> builds = new ArrayList<>();
        builds.add(candidate::defaults);
        registry.all().forEach(breaker -> builds.add(() -> candidate.configFor(breaker.name())));
        List<Problem> problems = new ArrayList<>();
        for (Runnable build : builds) {
            InvalidBreakerPropertyException broken = broken(build);
            if (broken != null && problems.stream().noneMatch(known -> known.property().equals(broken.property()))) {
                problems.add(new Problem(null, broken.property(), String.valueOf(broken.value()), broken.reason()));
            }
        }
        InvalidBreakerPropertyException broken = problems.isEmpty() ? broken(candidate::validate) : null;
        if (broken != null) {
            problems.add(new Problem(null, broken.property(), String.valueOf(broken.value()), broken.reason()));
        }
        return problems;
    }

    private Map<String, Object> currentOverrides() {
        if (environment.getPropertySources().get(OVERRIDES) instanceof MapPropertySource overrides) {
            return new LinkedHashMap<>(overrides.getSource());
        }
        return Map.of();
    }
}
