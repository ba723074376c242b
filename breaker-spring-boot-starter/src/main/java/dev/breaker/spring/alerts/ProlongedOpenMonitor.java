package dev.breaker.spring.alerts;

import dev.breaker.BreakerRegistry;
import dev.breaker.spring.scheduling.PeriodicTask;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;

/**
 * Checks the prolonged-open alert of breakers that see no traffic (rejected calls check it themselves), with one
 * shared daemon thread for all breakers, every {@code interval}.
 */
public final class ProlongedOpenMonitor implements SmartLifecycle {

    private static final Log LOGGER = LogFactory.getLog(ProlongedOpenMonitor.class);

    private final BreakerRegistry registry;
    private final boolean enabled;
    private final PeriodicTask task;

    /**
     * @param interval how often to check
     * @param enabled whether the alert is configured at all; when not, the monitor never starts its thread
     */
    public ProlongedOpenMonitor(BreakerRegistry registry, Duration interval, boolean enabled) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, was " + interval);
        }
        this.registry = registry;
        this.enabled = enabled;
        this.task = new PeriodicTask("breaker-alerts", interval, this::check);
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
    public void start() {
        if (enabled) {
            task.start();
        }
    }

    @Override
    public void stop() {
        task.stop();
    }

    @Override
    public boolean isRunning() {
        return task.isRunning();
    }
}
