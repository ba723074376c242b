package dev.breaker.internal;

import dev.breaker.FakeTicker;
import dev.breaker.Ticker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import static dev.breaker.Concurrently.inParallel;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stress tests of {@link TimeWindow} under contention, on a {@link FakeTicker}: no increment is lost while writers
 * race each other and the roll of a stale bucket, and the window forgets everything once it has moved on by its
 * whole length.
 */
@Timeout(30)
class TimeWindowConcurrencyTest {

    private static final int THREADS = 6;
    private static final int BUCKETS = 10;
    private static final long BUCKET_NANOS = 100_000_000L;
    private static final long WINDOW_NANOS = BUCKETS * BUCKET_NANOS;
    private static final Thresholds THRESHOLDS = new Thresholds(1, 100f, 100f);
    private static final int[] OUTCOMES = {
            Window.SUCCESS, Window.FAILURE, Window.SUCCESS | Window.SLOW, Window.FAILURE | Window.SLOW};

    private final FakeTicker ticker = new FakeTicker();

    @Test
    void contendedWritersInOneBucket_noIncrementLost_andAllForgottenAfterTheWindow() throws Exception {
        ticker.advanceNanos(BUCKET_NANOS / 2);
        TimeWindow window = new TimeWindow(WINDOW_NANOS, BUCKETS, THRESHOLDS, ticker);
        ticker.advanceNanos(3 * BUCKET_NANOS);
        Tally tally = new Tally(THREADS);

        inParallel(THREADS, thread -> recordRandomly(window, 100_000, new SplittableRandom(thread), tally, thread));

        assertThat(window.counts()).isEqualTo(tally.counts());
        ticker.advanceNanos(WINDOW_NANOS);
        assertThat(window.counts()).isEqualTo(WindowCounts.EMPTY);
    }

    /**
     * Time moves only between phases, by one or more buckets, so every phase is one epoch and the window must hold
     * exactly the phases of its last {@value #BUCKETS} epochs. Writers of a phase that starts a new lap of the ring
     * race the roll of the stale cells they land on.
     */
    @Test
    void phasesAcrossBucketBoundaries_windowHoldsExactlyTheLastBuckets() throws Exception {
        TimeWindow window = new TimeWindow(WINDOW_NANOS, BUCKETS, THRESHOLDS, ticker);
        int phases = 60;
        int perThreadPerPhase = 2_000;
        long[] skips = {1, 1, 1, 2, 1, 3, 1, BUCKETS, 1, BUCKETS + 1, 1, 1, 2 * BUCKETS + 3};
        List<long[]> history = new ArrayList<>(); // {epoch, calls, failed, slow} per phase
        Tally tally = new Tally(THREADS);
        AtomicReference<Throwable> checkFailure = new AtomicReference<>();
        long[] epoch = {0};
        int[] phase = {0};
        CyclicBarrier endOfPhase = new CyclicBarrier(THREADS, () -> {
            try {
                WindowCounts phaseCounts = tally.counts();
                tally.clear();
                history.add(new long[] {epoch[0], phaseCounts.buffered(), phaseCounts.failed(), phaseCounts.slow()});
                assertThat(window.counts()).as("phase %d, epoch %d", phase[0], epoch[0])
                        .isEqualTo(expectedAt(epoch[0], history));
                long skip = skips[phase[0] % skips.length];
                ticker.advanceNanos(skip * BUCKET_NANOS);
                epoch[0] += skip;
                phase[0]++;
                assertThat(window.counts()).as("after moving to epoch %d", epoch[0])
                        .isEqualTo(expectedAt(epoch[0], history));
            } catch (Throwable t) {
                checkFailure.compareAndSet(null, t);
            }
        });

        inParallel(THREADS, thread -> {
            SplittableRandom random = new SplittableRandom(thread);
            for (int p = 0; p < phases && checkFailure.get() == null; p++) {
                recordRandomly(window, perThreadPerPhase, random, tally, thread);
                endOfPhase.await(10, TimeUnit.SECONDS);
            }
        });

        if (checkFailure.get() != null) {
            throw new AssertionError(checkFailure.get());
        }
        ticker.advanceNanos(WINDOW_NANOS);
        assertThat(window.counts()).isEqualTo(WindowCounts.EMPTY);
    }

    /**
     * Time moves while writers record. An outcome lands in an epoch between the readings its writer took before
     * and after recording, so once time stands still the counts lie between the outcomes certainly in the window
     * (read before at or after its oldest epoch) and those possibly in it (read after at or after it).
     */
    @Test
    void clockMovingWhileWriting_countsStayBetweenCertainAndPossibleOutcomes() throws Exception {
        TimeWindow window = new TimeWindow(WINDOW_NANOS, BUCKETS, THRESHOLDS, ticker);
        int perWriter = 100_000;
        int maxEpochs = 4 * BUCKETS;
        int recordsPerStep = perWriter / (maxEpochs * 10);
        // [writer][epoch read before recording][epoch read after][calls, failed, slow]
        long[][][][] landed = new long[THREADS][maxEpochs + 1][maxEpochs + 1][3];

        inParallel(THREADS, thread -> {
            SplittableRandom random = new SplittableRandom(thread);
            long[][][] mine = landed[thread];
            for (int i = 0; i < perWriter; i++) {
                if (thread == 0 && i % recordsPerStep == 0 && i > 0) {
                    // Writer 0 also moves the clock, a tenth of a bucket at a time, up to maxEpochs.
                    ticker.advanceNanos(BUCKET_NANOS / 10);
                }
                int outcome = OUTCOMES[random.nextInt(OUTCOMES.length)];
                int before = epochNow();
                window.record(outcome);
                int after = epochNow();
                long[] cell = mine[before][after];
                cell[0]++;
                cell[1] += (outcome & Window.FAILURE) != 0 ? 1 : 0;
                cell[2] += (outcome & Window.SLOW) != 0 ? 1 : 0;
            }
        });

        int last = epochNow();
        assertThat(last).isBetween(maxEpochs - 1, maxEpochs);
        int oldest = last - BUCKETS + 1;
        long[] certain = new long[3];
        long[] possible = new long[3];
        for (long[][][] mine : landed) {
            for (int before = 0; before <= maxEpochs; before++) {
                for (int after = before; after <= maxEpochs; after++) {
                    for (int field = 0; field < 3; field++) {
                        certain[field] += before >= oldest ? mine[before][after][field] : 0;
                        possible[field] += after >= oldest ? mine[before][after][field] : 0;
                    }
                }
            }
        }
        WindowCounts counts = window.counts();
        assertThat(counts.buffered()).as("calls").isBetween(certain[0], possible[0]);
        assertThat(counts.failed()).as("failed").isBetween(certain[1], possible[1]);
        assertThat(counts.slow()).as("slow").isBetween(certain[2], possible[2]);

        ticker.advanceNanos(WINDOW_NANOS);
        assertThat(window.counts()).isEqualTo(WindowCounts.EMPTY);
    }

    /**
     * A writer that read the clock, then stalled for two window lengths before its increment, must not erase the
     * outcomes of the bucket that now occupies its cell: that bucket is inside the window.
     */
    @Test
    void writerStalledForTwoWindows_doesNotEraseTheCurrentBucket() throws Exception {
        StallingTicker stalling = new StallingTicker(ticker);
        TimeWindow window = new TimeWindow(WINDOW_NANOS, BUCKETS, THRESHOLDS, stalling);
        Thread stalled = new Thread(() -> window.record(Window.SUCCESS), "stalled-writer");
        stalling.stall(stalled);
        stalled.start();
        assertThat(stalling.readTaken.await(10, TimeUnit.SECONDS)).isTrue(); // it read epoch 0 and stalls

        ticker.advanceNanos(2 * WINDOW_NANOS); // epoch 20: the same ring bucket as epoch 0
        for (int i = 0; i < 5; i++) {
            window.record(Window.FAILURE);
        }
        assertThat(window.counts()).isEqualTo(new WindowCounts(5, 5, 0));

        stalling.resume.countDown();
        stalled.join(10_000);

        // The stalled success may count in the current bucket or not at all, but the five failures stay.
        assertThat(window.counts()).isIn(new WindowCounts(5, 5, 0), new WindowCounts(6, 5, 0));
    }

    private int epochNow() {
        return (int) (ticker.read() / BUCKET_NANOS);
    }

    private static WindowCounts expectedAt(long epoch, List<long[]> history) {
        long calls = 0;
        long failed = 0;
        long slow = 0;
        for (long[] phase : history) {
            if (phase[0] > epoch - BUCKETS && phase[0] <= epoch) {
                calls += phase[1];
                failed += phase[2];
                slow += phase[3];
            }
        }
        return new WindowCounts(calls, failed, slow);
    }

    private static void recordRandomly(TimeWindow window, int outcomes, SplittableRandom random, Tally tally,
                                       int thread) {
        long failed = 0;
        long slow = 0;
        for (int i = 0; i < outcomes; i++) {
            int outcome = OUTCOMES[random.nextInt(OUTCOMES.length)];
            failed += (outcome & Window.FAILURE) != 0 ? 1 : 0;
            slow += (outcome & Window.SLOW) != 0 ? 1 : 0;
            window.record(outcome);
        }
        tally.add(thread, outcomes, failed, slow);
    }

    /** Per-thread totals of recorded outcomes, each thread writing only its own slots. */
    private static final class Tally {
        private final AtomicLongArray calls;
        private final AtomicLongArray failed;
        private final AtomicLongArray slow;

        Tally(int threads) {
            calls = new AtomicLongArray(threads);
            failed = new AtomicLongArray(threads);
            slow = new AtomicLongArray(threads);
        }

        void add(int thread, long callCount, long failedCount, long slowCount) {
            calls.addAndGet(thread, callCount);
            failed.addAndGet(thread, failedCount);
            slow.addAndGet(thread, slowCount);
        }

        WindowCounts counts() {
            long c = 0;
            long f = 0;
            long s = 0;
            for (int i = 0; i < calls.length(); i++) {
                c += calls.get(i);
                f += failed.get(i);
                s += slow.get(i);
            }
            return new WindowCounts(c, f, s);
        }

        void clear() {
            for (int i = 0; i < calls.length(); i++) {
                calls.set(i, 0);
                failed.set(i, 0);
                slow.set(i, 0);
            }
        }
    }

    /** Delegates to a fake ticker, but holds one chosen thread inside its next coarse reading until resumed. */
    private static final class StallingTicker implements Ticker {
        private final FakeTicker delegate;
        private volatile Thread stalled;
        final CountDownLatch readTaken = new CountDownLatch(1);
        final CountDownLatch resume = new CountDownLatch(1);

        StallingTicker(FakeTicker delegate) {
            this.delegate = delegate;
        }

        void stall(Thread thread) {
            stalled = thread;
        }

        @Override
        public long read() {
            return delegate.read();
        }

        @Override
        public long readCoarse() {
            long reading = delegate.read();
            if (Thread.currentThread() == stalled) {
                stalled = null;
                readTaken.countDown();
                try {
                    resume.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return reading;
        }
    }
}
