package dev.breaker.sample.downstream;

import org.springframework.stereotype.Component;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The faults injected into each simulated downstream: a delay before every answer, and a share of calls that fail.
 *
 * <p>Failures are spread deterministically, not drawn at random: with a failure rate {@code r}, call {@code n}
 * (counted from 0 since the setting was made) fails when {@code floor((n + 1) r) > floor(n r)}. So 1.0 fails every
 * call, 0.0 none, 0.5 every second call and 0.25 one call in four, which makes demos and tests repeatable.
 */
@Component
public class Chaos {

    /** The highest latency that can be injected, in milliseconds. */
    public static final long MAX_LATENCY_MS = 30_000;

    /**
     * Faults of one dependency.
     *
     * @param failureRate the share of calls that fail, in [0.0, 1.0]
     * @param latencyMs the delay before every answer, in [0, {@value #MAX_LATENCY_MS}] milliseconds
     */
    public record Settings(double failureRate, long latencyMs) {

        /** No faults. */
        public static final Settings NONE = new Settings(0, 0);

        /** @throws IllegalArgumentException naming the field and the rule when a value is out of range */
        public Settings {
            if (!(failureRate >= 0 && failureRate <= 1)) {
                throw new IllegalArgumentException("failureRate must be in [0.0, 1.0], was " + failureRate);
            }
            if (latencyMs < 0 || latencyMs > MAX_LATENCY_MS) {
                throw new IllegalArgumentException(
                        "latencyMs must be in [0, " + MAX_LATENCY_MS + "], was " + latencyMs);
            }
        }
    }

    /** The settings of one dependency with the count of calls made under them. */
    private record Faults(Settings settings, AtomicLong calls) {

        boolean nextCallFails() {
            double rate = settings.failureRate();
            long n = calls.getAndIncrement();
            return Math.floor((n + 1) * rate) > Math.floor(n * rate);
        }
    }

    private final ConcurrentMap<Dependency, Faults> faults = new ConcurrentHashMap<>();

    public Chaos() {
        reset();
    }

    /** The current settings of every dependency. */
    public Map<Dependency, Settings> settings() {
        Map<Dependency, Settings> settings = new EnumMap<>(Dependency.class);
        for (Dependency dependency : Dependency.values()) {
            settings.put(dependency, faults.get(dependency).settings());
        }
        return settings;
    }

    /** Replaces the settings of {@code dependency}; the spreading of failures starts over. */
    public void set(Dependency dependency, Settings settings) {
        faults.put(dependency, new Faults(settings, new AtomicLong()));
    }

    /** No faults anywhere. */
    public void reset() {
        for (Dependency dependency : Dependency.values()) {
            set(dependency, Settings.NONE);
        }
    }

    /**
     * Applies the faults of {@code dependency} to one call: waits for the configured latency, then tells whether
     * the call must fail.
     */
    boolean strike(Dependency dependency) {
        Faults current = faults.get(dependency);
        long latency = current.settings().latencyMs();
        if (latency > 0) {
            try {
                Thread.sleep(latency);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return current.nextCallFails();
    }
}
