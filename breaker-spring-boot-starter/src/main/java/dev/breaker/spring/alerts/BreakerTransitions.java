package dev.breaker.spring.alerts;

import dev.breaker.Breaker;
import dev.breaker.BreakerConfig;
import dev.breaker.BreakerEvent;
import dev.breaker.BreakerMetrics;
import dev.breaker.BreakerRegistry;
import dev.breaker.EventType;
import dev.breaker.TransitionReason;
import org.jspecify.annotations.Nullable;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The last state transition of every breaker, explained: which rate reached which threshold. Listens to state
 * transitions and threshold events only (never to per-call events), so it costs nothing between transitions.
 */
/*
 * Implementation notes: a breaker delivers its events in order on one thread at a time, the threshold event just
 * before the transition it causes; so the threshold event is held per breaker until its transition comes. A failed
 * trial or recovery publishes no threshold event: its rates are read from the breaker, which reports the window that
 * opened it while it stays open.
 */
public final class BreakerTransitions {

    private final BreakerRegistry registry;
    private final ConcurrentHashMap<String, BreakerEvent.ThresholdExceeded> thresholds = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Transition> last = new ConcurrentHashMap<>();
    private final List<Consumer<Transition>> followers = new CopyOnWriteArrayList<>();

    /** Starts following the transitions of every breaker in {@code registry}, now and later. */
    public BreakerTransitions(BreakerRegistry registry) {
        this.registry = registry;
        registry.onBreakerRemoved(breaker -> {
            thresholds.remove(breaker.name());
            last.remove(breaker.name());
        });
        registry.addListener(EnumSet.of(EventType.STATE_TRANSITION, EventType.THRESHOLD_EXCEEDED), this::on);
    }

    /** The last transition of the breaker called {@code name} since this began following, if any. */
    public Optional<Transition> last(String name) {
        return Optional.ofNullable(last.get(name));
    }

    /** Calls {@code follower} with every transition from now on, on the thread that made it. */
    public void follow(Consumer<Transition> follower) {
        followers.add(follower);
    }

    private void on(BreakerEvent event) {
        if (event instanceof BreakerEvent.ThresholdExceeded threshold) {
            thresholds.put(threshold.breakerName(), threshold);
        } else if (event instanceof BreakerEvent.StateTransition transition) {
            BreakerEvent.ThresholdExceeded threshold = thresholds.remove(transition.breakerName());
            Breaker breaker = registry.find(transition.breakerName()).orElse(null);
            if (breaker == null) {
                return;
            }
            Transition explained = explain(transition, breaker,
                    threshold != null && threshold.reason() == transition.reason() ? threshold : null);
            last.put(explained.breaker(), explained);
            followers.forEach(follower -> follower.accept(explained));
        }
    }

    private static Transition explain(BreakerEvent.StateTransition transition, Breaker breaker,
                                      BreakerEvent.@Nullable ThresholdExceeded threshold) {
        BreakerConfig config = breaker.config();
        float[] rates = null;
        if (threshold != null) {
            rates = new float[] {threshold.failureRate(), threshold.slowCallRate()};
        } else if ((transition.reason() == TransitionReason.TRIAL_CALLS_FAILED
                || transition.reason() == TransitionReason.RECOVERY_FAILED) && breaker.state() == transition.to()) {
            BreakerMetrics metrics = breaker.metrics();
            rates = new float[] {metrics.failureRate(), metrics.slowCallRate()};
        }
        int consecutiveFailures = threshold == null ? 0 : threshold.consecutiveFailures();
        String summary = TransitionSummaries.summarize(transition, rates, config.failureRateThreshold(),
                config.slowCallRateThreshold(), consecutiveFailures, threshold == null ? null : threshold.baseline());
        return new Transition(transition.breakerName(), transition.at(), transition.from(), transition.to(),
                transition.reason(), rate(rates, 0), rate(rates, 1), config.failureRateThreshold(),
                config.slowCallRateThreshold(), consecutiveFailures, summary);
    }

    private static @Nullable Float rate(float @Nullable [] rates, int index) {
        return rates == null || rates[index] < 0 ? null : rates[index];
    }
}
