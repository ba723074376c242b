package dev.breaker.spring.alerts;

import dev.breaker.Breaker;
import dev.breaker.BreakerEvent;
import dev.breaker.BreakerRegistry;
import dev.breaker.EventType;
import dev.breaker.Level;
import dev.breaker.spring.states.BreakerStates;
import dev.breaker.spring.states.BreakerStates.HealthStatus;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * The recent alerts of every breaker, newest first, in a ring of bounded size: an opening is {@link
 * Alert.Severity#HIGH}, a prolonged outage or an emergency {@link Alert.Severity#CRITICAL}, a recovery or a change
 * made by hand {@link Alert.Severity#INFO}. Which transitions are openings and which recoveries comes from the health
 * each state shows ({@link BreakerStates}), so a new state plugs in.
 */
public final class BreakerAlerts {

    private final BreakerRegistry registry;
    private final int capacity;
    private final ArrayDeque<Alert> alerts;

    /**
     * Starts keeping the alerts of every breaker in {@code registry}, now and later.
     *
     * @param capacity the alerts kept, all breakers together; at least 1
     */
    public BreakerAlerts(BreakerRegistry registry, BreakerTransitions transitions, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.registry = registry;
        this.capacity = capacity;
        this.alerts = new ArrayDeque<>(Math.min(capacity, 64));
        transitions.follow(this::onTransition);
        registry.addListener(EnumSet.of(EventType.PROLONGED_OPEN, EventType.EMERGENCY), this::onEvent);
    }

    private void onTransition(Transition transition) {
        HealthStatus from = BreakerStates.of(transition.from()).health();
        HealthStatus to = BreakerStates.of(transition.to()).health();
        if (transition.reason().isManual()) {
            add(new Alert(transition.at(), transition.breaker(), Alert.Severity.INFO, transition.summary()));
        } else if (to == HealthStatus.OPEN) {
            add(new Alert(transition.at(), transition.breaker(), Alert.Severity.HIGH, transition.summary()));
        } else if (to == HealthStatus.UP
                && (from != HealthStatus.UP || BreakerStates.of(transition.from()).showsRamp())) {
            add(new Alert(transition.at(), transition.breaker(), Alert.Severity.INFO, transition.summary()));
        }
    }

    private void onEvent(BreakerEvent event) {
        if (event instanceof BreakerEvent.ProlongedOpen prolonged) {
            add(new Alert(event.at(), event.breakerName(), Alert.Severity.CRITICAL, "Prolonged outage: failing for "
                    + minutes(prolonged.outageDuration())));
        } else if (event instanceof BreakerEvent.Emergency emergency) {
            add(new Alert(event.at(), event.breakerName(), Alert.Severity.CRITICAL, switch (emergency.cause()) {
                case FAILED_RECOVERIES -> "Emergency: " + emergency.failedRecoveries()
                        + (emergency.failedRecoveries() == 1 ? " failed recovery" : " failed recoveries")
                        + " in a row, one trial call at a time";
                case PROLONGED_OUTAGE -> "Emergency: failing for " + minutes(emergency.outageDuration())
                        + ", one trial call at a time";
            }));
        }
    }

    private static String minutes(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds < 60 ? seconds + " s" : seconds / 60 + " min " + seconds % 60 + " s";
    }

    private synchronized void add(Alert alert) {
        if (alerts.size() == capacity) {
            alerts.removeFirst();
        }
        alerts.addLast(alert);
    }

    /** The alerts kept, newest first. */
    public synchronized List<Alert> recent() {
        List<Alert> newestFirst = new ArrayList<>(alerts);
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    /** The kept alerts counted by severity, and how many breakers are healthy now. */
    public Summary summary() {
        Map<Alert.Severity, Integer> bySeverity = new EnumMap<>(Alert.Severity.class);
        for (Alert.Severity severity : Alert.Severity.values()) {
            bySeverity.put(severity, 0);
        }
        recent().forEach(alert -> bySeverity.merge(alert.severity(), 1, Integer::sum));
        List<Breaker> breakers = registry.all();
        int healthy = (int) breakers.stream().filter(BreakerAlerts::healthy).count();
        double percent = breakers.isEmpty() ? 100 : healthy * 100.0 / breakers.size();
        return new Summary(bySeverity, breakers.size(), healthy, Math.round(percent * 10) / 10.0);
    }

    /** Whether {@code breaker} lets its calls through and is not in an emergency. */
    static boolean healthy(Breaker breaker) {
        return BreakerStates.of(breaker.state()).health() == HealthStatus.UP && breaker.level() != Level.EMERGENCY;
    }

    /**
     * The alerts counted, and the breakers' health now.
     *
     * @param bySeverity the kept alerts by severity, every severity present
     * @param breakers the breakers
     * @param healthy the breakers that let their calls through (closed, recovering, disabled) and are not in an
     *     emergency
     * @param healthyPercent {@code healthy} in percent of {@code breakers}, to one decimal; 100 without breakers
     */
    public record Summary(Map<Alert.Severity, Integer> bySeverity, int breakers, int healthy,
                          double healthyPercent) {
    }
}
