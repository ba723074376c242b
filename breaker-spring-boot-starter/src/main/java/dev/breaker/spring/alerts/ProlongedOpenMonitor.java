package dev.breaker.spring.alerts;

import dev.breaker.BreakerRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Checks the prolonged-open alert of breakers that see no traffic (rejected calls check it themselves), with one
 * shared daemon thread for all breakers, every {@code interval}.
 */
public final class ProlongedOpenMonitor implements SmartLifecycle {

    private static final Log LOGGER = LogFactory.getLog(ProlongedOpenMonitor.class);

    private final BreakerRegistry registry;
    private final Duration interval;
    private final boolean enabled;
    private volatile @Nullable ScheduledExecutorService executor;

    /**
     * @param interval how often to check
     * @param enabled whether the alert is configured at all; when not, the monitor never starts its thread
     */
    public ProlongedOpenMonitor(BreakerRegistry registry, Duration interval, boolean enabled) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, was " + interval);
        }
        this.registry = registry;
        this.interval = interval;
        this.enabled = enabled;
    }

    /** Checks every breaker once, now. */
    public void check() {
        try {
            registry.checkProlongedOpen();
        } catch (RuntimeException e) {
            // Keep the schedule alive: a failed check must not end the checks that follow.
            LOGGER.warn("Checking breakers for prolonged outages failed", e);
        }
    }

    @Override
    public synchronized void start() {
        if (!enabled || executor != null) {
            return;
        }
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "breaker-alerts");
            thread.setDaemon(true);
            return thread;
        });
        long millis = interval.toMillis();
        started.scheduleWithFixedDelay(this::check, millis, millis, TimeUnit.MILLISECONDS);
        executor = started;
    }

    @Override
    public synchronized void stop() {
        ScheduledExecutorService running = executor;
        if (running != null) {
            running.shutdownNow();
            executor = null;
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
