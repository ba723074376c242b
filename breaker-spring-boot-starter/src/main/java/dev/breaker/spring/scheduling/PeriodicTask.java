package dev.breaker.spring.scheduling;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task on its own daemon thread every {@code interval}, the first run one interval after {@link #start()}; a
 * run that throws is logged and the runs that follow go on.
 */
public final class PeriodicTask {

    private static final Log LOGGER = LogFactory.getLog(PeriodicTask.class);

    private final String threadName;
    private final Duration interval;
    private final Runnable task;
    private volatile @Nullable ScheduledExecutorService executor;

    /**
     * @param threadName the name of the task's thread
     * @param interval the time from the end of one run to the start of the next; at least 1 ms
     */
    public PeriodicTask(String threadName, Duration interval, Runnable task) {
        if (interval.isNegative() || interval.toMillis() < 1) {
            throw new IllegalArgumentException("interval must be at least 1 ms, was " + interval);
        }
        this.threadName = threadName;
        this.interval = interval;
        this.task = task;
    }

    private void runSafely() {
        try {
            task.run();
        } catch (RuntimeException e) {
            // Keep the schedule alive: a failed run must not end the runs that follow.
            LOGGER.warn("The background task " + threadName + " failed", e);
        }
    }

    /** Starts the thread, unless it runs already. */
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        long millis = interval.toMillis();
        started.scheduleWithFixedDelay(this::runSafely, millis, millis, TimeUnit.MILLISECONDS);
        executor = started;
    }

    /** Stops the thread, interrupting a run under way. */
    public synchronized void stop() {
        ScheduledExecutorService running = executor;
        if (running != null) {
            running.shutdownNow();
            executor = null;
        }
    }

    /** Whether the thread runs. */
    public boolean isRunning() {
        return executor != null;
    }
}
