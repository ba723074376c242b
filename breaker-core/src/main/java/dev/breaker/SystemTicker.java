package dev.breaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link System#nanoTime()} with a coarse reading kept fresh by one shared daemon thread while anybody reads it.
 *
 * <p>measured: {@code System.nanoTime()} costs 22-29 ns on the 2-core CI machines, more than the whole closed
 * path of a breaker; a volatile read of the coarse value costs about 1 ns.
 */
enum SystemTicker implements Ticker {
    INSTANCE;

    @Override
    public long read() {
        return System.nanoTime();
    }

    @Override
    public long readCoarse() {
        return CoarseClock.read();
    }

    /**
     * The shared coarse reading and the thread that refreshes it.
     *
     * <p>The thread runs only while the reading is used: readers mark that they want it, the thread clears the mark
     * once per idle period and stops when nobody set it again, so an application that is undeployed leaves no
     * thread behind and its class loader can be collected. It also stops when interrupted. A reader that finds it
     * stopped reads the precise clock and starts a new one. The thread inherits no thread-locals and no context
     * class loader from whoever started it.
     */
    static final class CoarseClock {

        /** How often the coarse reading is refreshed. */
        private static final long REFRESH_NANOS = 1_000_000L;
        /** How long the thread runs on without a reader before it stops. */
        static final long IDLE_NANOS = 1_000_000_000L;
        /** The reading while no thread refreshes it. */
        private static final long STOPPED = Long.MIN_VALUE;
        private static final String THREAD_NAME = "breaker-coarse-ticker";
        private static final VarHandle RUNNING;

        static {
            try {
                RUNNING = MethodHandles.lookup().findStaticVarHandle(CoarseClock.class, "running", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private static volatile long now = STOPPED;
        /** Set by readers, cleared by the thread once per idle period. */
        private static volatile boolean wanted;
        /** Whether a refresher thread owns the reading. */
        @SuppressWarnings("unused") // accessed through RUNNING
        private static volatile boolean running;
        /** The refresher while it runs, for tests. */
        private static volatile Thread refresher;

        private CoarseClock() {
        }

        static long read() {
            long reading = now;
            if (reading == STOPPED) {
                return start();
            }
            if (!wanted) {
                wanted = true;
            }
            return reading;
        }

        /** Starts a refresher unless one runs; returns a precise reading meanwhile. */
        private static long start() {
            long reading = System.nanoTime();
            if (RUNNING.compareAndSet(false, true)) {
                wanted = true;
                now = reading;
                try {
                    Thread thread = new Thread(null, CoarseClock::refresh, THREAD_NAME, 0, false);
                    thread.setDaemon(true);
                    thread.setContextClassLoader(null);
                    refresher = thread;
                    thread.start();
                } catch (RuntimeException | OutOfMemoryError e) {
                    // No thread to be had: stay on the precise clock, and let a later reader try again.
                    refresher = null;
                    now = STOPPED;
                    running = false;
                }
            }
            return reading;
        }

        private static void refresh() {
            long idleCheckAt = System.nanoTime() + IDLE_NANOS;
            while (!Thread.currentThread().isInterrupted()) {
                long reading = System.nanoTime();
                now = reading;
                if (reading - idleCheckAt >= 0) {
                    if (!wanted) {
                        break;
                    }
                    wanted = false;
                    idleCheckAt = reading + IDLE_NANOS;
                }
                LockSupport.parkNanos(REFRESH_NANOS);
            }
            refresher = null;
            now = STOPPED;
            running = false;
        }

        /** The refresher thread if one runs. */
        static Optional<Thread> refresher() {
            return Optional.ofNullable(refresher);
        }
    }
}
