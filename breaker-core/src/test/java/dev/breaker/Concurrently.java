package dev.breaker;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

/** Runs test bodies on several threads released together; shared by the stress tests. */
public final class Concurrently {

    /** The work of one thread, given its index. */
    @FunctionalInterface
    public interface ThreadBody {
        void run(int thread) throws Exception;
    }

    private Concurrently() {
    }

    /** Runs {@code body} on {@code threads} threads released together, and rethrows the first failure. */
    public static void inParallel(int threads, ThreadBody body) throws InterruptedException {
        CyclicBarrier start = new CyclicBarrier(threads);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            int thread = i;
            workers[i] = new Thread(() -> {
                try {
                    start.await();
                    body.run(thread);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, "stress-" + i);
            workers[i].setDaemon(true);
            workers[i].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("a worker failed", failure.get());
        }
    }
}
