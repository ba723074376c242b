package dev.breaker;

import org.jspecify.annotations.Nullable;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Breakers by name: created on first use from a default or named configuration, then shared. A registry built with
 * {@link Builder#configs(Function)} decides the configuration of every breaker asked for by name alone, so that
 * whoever asks first, every caller gets the same one.
 *
 * <p>A breaker whose configuration {@linkplain BreakerConfig#dependsOn() depends on} others is created after them:
 * the registry creates each dependency it knows (an existing breaker, a named configuration, or a name
 * {@linkplain Builder#declared(Predicate) declared}), refuses unknown names and cycles, and gives the breaker every
 * breaker it depends on, directly or not.
 *
 * <p>Listeners added to the registry receive the events of every breaker in it, including breakers created later.
 * Thread-safe.
 */
public final class BreakerRegistry {

    private record Subscription(Set<EventType> types, BreakerEventListener listener) {
    }

    private final BreakerConfig defaults;
    private final Map<String, BreakerConfig> configs;
    private final Function<String, BreakerConfig> configsByName;
    private final Predicate<String> declared;
    private final ConcurrentHashMap<String, Breaker> breakers = new ConcurrentHashMap<>();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final List<Consumer<Breaker>> additionListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Breaker>> removalListeners = new CopyOnWriteArrayList<>();

    private BreakerRegistry(BreakerConfig defaults, Map<String, BreakerConfig> configs,
                            @Nullable Function<String, BreakerConfig> configsByName, Predicate<String> declared) {
        this.defaults = defaults;
        this.configs = Map.copyOf(configs);
        this.configsByName = configsByName != null ? configsByName : name -> defaults;
        this.declared = declared;
    }

    /** A registry whose breakers all use {@link BreakerConfig#ofDefaults()}. */
    public static BreakerRegistry ofDefaults() {
        return builder().build();
    }

    /** A registry whose breakers use {@code defaults} unless a named configuration applies. */
    public static BreakerRegistry of(BreakerConfig defaults) {
        return builder().defaults(defaults).build();
    }

    /** A builder for a registry with named configurations. */
    public static Builder builder() {
        return new Builder();
    }

    /** The configuration of breakers without a named one. */
    public BreakerConfig defaults() {
        return defaults;
    }

    /** The named configuration {@code configName}, if there is one. */
    public Optional<BreakerConfig> config(String configName) {
        return Optional.ofNullable(configs.get(configName));
    }

    /** The names of the named configurations. */
    public Set<String> configNames() {
        return configs.keySet();
    }

    /**
     * The breaker called {@code name}, created if absent with the named configuration of the same name, else the
     * configuration the registry's {@linkplain Builder#configs(Function) config function} gives for the name, else
     * the defaults.
     *
     * @throws NullPointerException if the config function returns null for a breaker it must create
     */
    public Breaker breaker(String name) {
        return breaker(name, new ArrayDeque<>());
    }

    private Breaker breaker(String name, Deque<String> dependents) {
        Breaker existing = breakers.get(name);
        if (existing != null) {
            return existing;
        }
        BreakerConfig named = configs.get(name);
        if (named != null) {
            return breaker(name, named, dependents);
        }
        BreakerConfig config = configsByName.apply(name);
        if (config == null) {
            throw new NullPointerException("The registry's config function returned null for breaker '" + name
                    + "'; it must return a configuration for every name");
        }
        return breaker(name, config, dependents);
    }

    /**
     * The breaker called {@code name}, created if absent with the named configuration {@code configName}.
     *
     * @throws IllegalArgumentException if there is no configuration of that name
     */
    public Breaker breaker(String name, String configName) {
        BreakerConfig config = configs.get(configName);
        if (config == null) {
            throw new IllegalArgumentException("No breaker configuration named '" + configName
                    + "'; the registry has " + configs.keySet());
        }
        return breaker(name, config);
    }

    /**
     * The breaker called {@code name}, created if absent with {@code config}. An existing breaker keeps the
     * configuration it was created with.
     */
    public Breaker breaker(String name, BreakerConfig config) {
        return breaker(name, config, new ArrayDeque<>());
    }

    /**
     * Whether {@code name} may be the name of a dependency: a breaker in the registry, a named configuration, or a
     * name the builder declared.
     */
    public boolean knows(String name) {
        return breakers.containsKey(name) || configs.containsKey(name) || declared.test(name);
    }

    private Breaker breaker(String name, BreakerConfig config, Deque<String> dependents) {
        Breaker existing = breakers.get(name);
        if (existing != null) {
            return existing;
        }
        Objects.requireNonNull(config, "config");
        Breaker[] dependencies = dependenciesOf(name, config, dependents);
        Breaker created;
        synchronized (this) {
            // Creation and addListener exclude each other, so a new breaker gets every registry listener once.
            existing = breakers.get(name);
            if (existing != null) {
                return existing;
            }
            created = Breaker.create(name, config, dependencies);
            for (Subscription subscription : subscriptions) {
                created.addListener(subscription.types(), subscription.listener());
            }
            breakers.put(name, created);
        }
        additionListeners.forEach(listener -> listener.accept(created));
        return created;
    }

    /**
     * Every breaker {@code name} depends on, directly or not, each once, creating those that do not exist yet.
     *
     * @param dependents the breakers being created that (transitively) depend on {@code name}, outermost first
     * @throws IllegalArgumentException for a dependency the registry does not know, or a cycle
     */
    private Breaker[] dependenciesOf(String name, BreakerConfig config, Deque<String> dependents) {
        if (config.dependsOn().isEmpty()) {
            return new Breaker[0];
        }
        dependents.addLast(name);
        try {
            Set<Breaker> all = new LinkedHashSet<>();
            for (String dependency : config.dependsOn()) {
                if (dependents.contains(dependency)) {
                    List<String> cycle = new ArrayList<>(dependents);
                    cycle = cycle.subList(cycle.indexOf(dependency), cycle.size());
                    throw new IllegalArgumentException("Breakers depend on each other in a cycle: "
                            + String.join(" -> ", cycle) + " -> " + dependency
                            + "; a breaker cannot wait for itself to close");
                }
                if (!knows(dependency)) {
                    throw new IllegalArgumentException("Breaker '" + name + "' depends on '" + dependency
                            + "', which is no breaker of this registry (known: " + knownNames()
                            + "); check the name, or create that breaker first");
                }
                Breaker resolved = breaker(dependency, dependents);
                List<String> transitive = resolved.dependencies();
                for (String dependent : dependents) {
                    if (transitive.contains(dependent)) {
                        throw new IllegalArgumentException("Breakers depend on each other in a cycle: "
                                + String.join(" -> ", dependents) + " -> " + dependency + " -> ... -> " + dependent
                                + "; a breaker cannot wait for itself to close");
                    }
                }
                all.add(resolved);
                for (String indirect : transitive) {
                    all.add(breakers.get(indirect));
                }
            }
            return all.toArray(Breaker[]::new);
        } finally {
            dependents.removeLast();
        }
    }

    private Set<String> knownNames() {
        Set<String> known = new TreeSet<>(breakers.keySet());
        known.addAll(configs.keySet());
        return known;
    }

    /**
     * Replaces the configuration of the breaker called {@code name} while it runs (see
     * {@link Breaker#reconfigure(BreakerConfig, String)}), or creates it with {@code config} if it does not exist.
     * The breaker's dependencies are resolved again, refusing unknown names and cycles (nothing changes then), and
     * breakers that depend on it learn its new dependencies.
     *
     * @param source who changes it, for the {@link BreakerEvent.ConfigChanged} event
     * @throws IllegalArgumentException for an unknown dependency or a cycle, naming it
     */
    public synchronized Breaker reconfigure(String name, BreakerConfig config, String source) {
        Breaker existing = breakers.get(name);
        if (existing == null) {
            return breaker(name, config);
        }
        Breaker[] dependencies = dependenciesOf(name, config, new ArrayDeque<>());
        existing.reconfigure(config, dependencies, source);
        for (Breaker dependent : breakers.values()) {
            if (dependent != existing && dependent.dependencies().contains(name)) {
                dependent.rewire(dependenciesOf(dependent.name(), dependent.config(), new ArrayDeque<>()));
            }
        }
        return existing;
    }

    /** The breaker called {@code name} if it exists; never creates one. */
    public Optional<Breaker> find(String name) {
        return Optional.ofNullable(breakers.get(name));
    }

    /** All breakers, sorted by name. */
    public List<Breaker> all() {
        List<Breaker> all = new ArrayList<>(breakers.values());
        all.sort(Comparator.comparing(Breaker::name));
        return all;
    }

    /** Removes the breaker called {@code name}; callers holding it may go on using it. */
    public Optional<Breaker> remove(String name) {
        Breaker removed = breakers.remove(name);
        if (removed != null) {
            removalListeners.forEach(listener -> listener.accept(removed));
        }
        return Optional.ofNullable(removed);
    }

    /** How many breakers are in each state now. */
    public HealthSummary healthSummary() {
        int[] byState = new int[CircuitState.values().length];
        int total = 0;
        for (Breaker breaker : breakers.values()) {
            byState[breaker.state().ordinal()]++;
            total++;
        }
        return new HealthSummary(total, byState[CircuitState.CLOSED.ordinal()], byState[CircuitState.OPEN.ordinal()],
                byState[CircuitState.HALF_OPEN.ordinal()], byState[CircuitState.RECOVERING.ordinal()],
                byState[CircuitState.FORCED_OPEN.ordinal()],
                byState[CircuitState.DISABLED.ordinal()]);
    }

    /** Sends every event of every breaker, now and later, to {@code listener}. */
    public void addListener(BreakerEventListener listener) {
        addListener(EnumSet.allOf(EventType.class), listener);
    }

    /** Sends the events of the given types of every breaker, now and later, to {@code listener}. */
    public synchronized void addListener(Set<EventType> types, BreakerEventListener listener) {
        Set<EventType> copy = types.isEmpty() ? EnumSet.noneOf(EventType.class) : EnumSet.copyOf(types);
        subscriptions.add(new Subscription(copy, listener));
        breakers.values().forEach(breaker -> breaker.addListener(copy, listener));
    }

    /** Calls {@code listener} with every breaker created from now on. */
    public void onBreakerAdded(Consumer<Breaker> listener) {
        additionListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Calls {@code listener} with every breaker removed from now on. */
    public void onBreakerRemoved(Consumer<Breaker> listener) {
        removalListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Checks every breaker's prolonged-open alert; see {@link Breaker#checkProlongedOpen()}. */
    public void checkProlongedOpen() {
        breakers.values().forEach(Breaker::checkProlongedOpen);
    }

    /** Builds a {@link BreakerRegistry}. */
    public static final class Builder {

        private BreakerConfig defaults = BreakerConfig.ofDefaults();
        private final Map<String, BreakerConfig> configs = new LinkedHashMap<>();
        private @Nullable Function<String, BreakerConfig> configsByName;
        private Predicate<String> declared = name -> false;

        private Builder() {
        }

        /** The configuration of breakers without a named one. Default {@link BreakerConfig#ofDefaults()}. */
        public Builder defaults(BreakerConfig defaults) {
            this.defaults = Objects.requireNonNull(defaults, "defaults");
            return this;
        }

        /** Adds a named configuration. */
        public Builder config(String configName, BreakerConfig config) {
            configs.put(Objects.requireNonNull(configName, "configName"), Objects.requireNonNull(config, "config"));
            return this;
        }

        /**
         * The configuration of each breaker asked for by name alone ({@link BreakerRegistry#breaker(String)}) that
         * has no named configuration of the same name; called when the breaker is created (again only if threads
         * race to create it), never with the registry's lock held. Default: the
         * {@linkplain #defaults(BreakerConfig) defaults} for every name.
         */
        public Builder configs(Function<String, BreakerConfig> configsByName) {
            this.configsByName = Objects.requireNonNull(configsByName, "configsByName");
            return this;
        }

        /**
         * Names a breaker's {@linkplain BreakerConfig#dependsOn() dependencies} may use besides the breakers already
         * in the registry and the named configurations: such a dependency is created on demand. Default: none.
         */
        public Builder declared(Predicate<String> names) {
            this.declared = Objects.requireNonNull(names, "names");
            return this;
        }

        /** Builds the registry. */
        public BreakerRegistry build() {
            return new BreakerRegistry(defaults, configs, configsByName, declared);
        }
    }
}
