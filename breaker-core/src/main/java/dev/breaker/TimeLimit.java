package dev.breaker;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Interrupts a thread whose call outlives its timeout, and makes sure the interrupt never leaks into the thread's
 * next work. Shared by the breaker's execution helpers and integrations that protect blocking calls.
 *
 * <p>One daemon thread schedules every interruption; it ends when it has had nothing to do for a second, so nothing
 * pins the class loader of an application that stops using it.
 */
public final class TimeLimit {

    private static final int RUNNING = 0;
    private static final int ENDED = 1;
    private static final int INTERRUPTING = 2;
    private static final int INTERRUPTED = 3;

    private static final ScheduledThreadPoolExecutor SCHEDULER = scheduler();

    private TimeLimit() {
    }

    private static ScheduledThreadPoolExecutor scheduler() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(null, task, "breaker-time-limit", 0, false);
            thread.setDaemon(true);
            thread.setContextClassLoader(null);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setKeepAliveTime(1, TimeUnit.SECONDS);
        scheduler.allowCoreThreadTimeOut(true);
        return scheduler;
    }

    /**
     * Runs {@code task} on the shared scheduler thread in {@code nanos}, unless the returned future is cancelled
     * first (which removes it at once). For time limits of asynchronous calls: never a thread per call.
     */
    public static ScheduledFuture<?> schedule(long nanos, Runnable task) {
        return SCHEDULER.schedule(task, nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Interrupts the calling thread in {@code nanos} unless {@link Interruption#end()} is called first.
     *
     * @param nanos the time limit, positive
     */
    public static Interruption interruptAfter(long nanos) {
        Interruption interruption = new Interruption(Thread.currentThread());
        interruption.timer = SCHEDULER.schedule(interruption::fire, nanos, TimeUnit.NANOSECONDS);
        return interruption;
    }

    /** An armed interruption of one thread's call. */
    public static final class Interruption {

        private final Thread thread;
        private final AtomicInteger state = new AtomicInteger(RUNNING);
        private volatile ScheduledFuture<?> timer;

        private Interruption(Thread thread) {
            this.thread = thread;
        }

        private void fire() {
            if (state.compareAndSet(RUNNING, INTERRUPTING)) {
                thread.interrupt();
                state.set(INTERRUPTED);
            }
        }

        /**
         * Ends the call on the thread that armed it: disarms the interruption, and if it fired, waits until it is
         * done and clears the thread's interrupt, so that it does not leak into the thread's next work.
         *
         * @return whether the time limit passed and the thread was interrupted
         */
        public boolean end() {
            if (state.compareAndSet(RUNNING, ENDED)) {
                ScheduledFuture<?> armed = timer;
                if (armed != null) {
                    armed.cancel(false);
                }
                return false;
            }
            while (state.get() == INTERRUPTING) {
                Thread.onSpinWait();
            }
            Thread.interrupted();
            return true;
        }

        /** Whether the time limit passed and the thread was (or is being) interrupted. */
        public boolean fired() {
            return state.get() >= INTERRUPTING;
        }
    }
}
