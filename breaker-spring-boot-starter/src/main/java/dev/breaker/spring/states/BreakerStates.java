package dev.breaker.spring.states;

import dev.breaker.CircuitState;
import dev.breaker.Level;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * How the starter shows each {@link CircuitState} and {@link Level}: the value of its metric tag, the health status
 * it maps to, whether the share of a ramp is shown with it, and its colour on the dashboard. The health contributor,
 * the endpoints, the meters and the dashboard read these descriptors instead of switching over the states, so a new
 * state plugs in by adding its entry here.
 */
public final class BreakerStates {

    /** The health status a state shows. */
    public enum HealthStatus {
        /** {@code UP}. */
        UP,
        /** {@code breaker.health.half-open-status}: {@code CIRCUIT_HALF_OPEN} by default, degraded but up. */
        HALF_OPEN,
        /** {@code breaker.health.open-status}: {@code CIRCUIT_OPEN} by default. */
        OPEN
    }

    /**
     * How a state is shown.
     *
     * @param state the state
     * @param tag its value in metric tags: {@code breaker.state}'s {@code state}, {@code breaker.transitions}'
     *     {@code from} and {@code to}
     * @param health the health status a breaker in this state shows
     * @param showsRamp whether a breaker in this state lets a share of the calls through, which health and the
     *     dashboard show with the time left in the ramp
     * @param tone the dashboard's colour for it, a CSS class of the page
     * @param verb what a breaker did when it entered this state, the start of a transition's summary: "Opened"
     */
    public record StateDescriptor(CircuitState state, String tag, HealthStatus health, boolean showsRamp,
                                  String tone, String verb) {
    }

    /**
     * How a level is shown.
     *
     * @param level the level
     * @param tag its value in {@code breaker.level}'s {@code level} tag
     * @param badge whether the dashboard shows it beside the state: the levels the state does not tell already
     * @param tone the dashboard's colour for it, a CSS class of the page
     */
    public record LevelDescriptor(Level level, String tag, boolean badge, String tone) {
    }

    private static final Map<CircuitState, StateDescriptor> STATES = index(CircuitState.class,
            StateDescriptor::state,
            new StateDescriptor(CircuitState.CLOSED, "closed", HealthStatus.UP, false, "closed", "Closed"),
            new StateDescriptor(CircuitState.OPEN, "open", HealthStatus.OPEN, false, "open", "Opened"),
            new StateDescriptor(CircuitState.HALF_OPEN, "half_open", HealthStatus.HALF_OPEN, false, "half-open",
                    "Half-open"),
            new StateDescriptor(CircuitState.RECOVERING, "recovering", HealthStatus.UP, true, "recovering",
                    "Recovering"),
            new StateDescriptor(CircuitState.FORCED_OPEN, "forced_open", HealthStatus.OPEN, false, "open",
                    "Forced open"),
            new StateDescriptor(CircuitState.DISABLED, "disabled", HealthStatus.UP, false, "disabled", "Disabled"));

    private static final Map<Level, LevelDescriptor> LEVELS = index(Level.class, LevelDescriptor::level,
            new LevelDescriptor(Level.NORMAL, "normal", false, "normal"),
            new LevelDescriptor(Level.WARNING, "warning", true, "warning"),
            new LevelDescriptor(Level.CRITICAL, "critical", false, "critical"),
            new LevelDescriptor(Level.EMERGENCY, "emergency", true, "emergency"));

    private BreakerStates() {
    }

    /** How {@code state} is shown. */
    public static StateDescriptor of(CircuitState state) {
        return STATES.get(state);
    }

    /** How {@code level} is shown. */
    public static LevelDescriptor of(Level level) {
        return LEVELS.get(level);
    }

    /** Every state's descriptor, in the order of the states. */
    public static Collection<StateDescriptor> states() {
        return STATES.values();
    }

    /** Every level's descriptor, in the order of the levels. */
    public static Collection<LevelDescriptor> levels() {
        return LEVELS.values();
    }

    @SafeVarargs
    private static <K extends Enum<K>, D> Map<K, D> index(Class<K> type, Function<D, K> key, D... descriptors) {
        Map<K, D> index = new EnumMap<>(type);
        for (D descriptor : descriptors) {
            if (index.put(key.apply(descriptor), descriptor) != null) {
                throw new IllegalStateException("Two descriptors of " + type.getSimpleName() + "."
                        + key.apply(descriptor));
            }
        }
        Arrays.stream(type.getEnumConstants()).filter(constant -> !index.containsKey(constant)).findFirst()
                .ifPresent(missing -> {
                    throw new IllegalStateException("BreakerStates describes no " + type.getSimpleName() + "."
                            + missing + ": add its entry");
                });
        return Collections.unmodifiableMap(index);
    }
}
