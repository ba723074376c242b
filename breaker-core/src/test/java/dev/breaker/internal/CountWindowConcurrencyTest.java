package dev.breaker.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import static dev.breaker.Concurrently.inParallel;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stress tests of {@link CountWindow} under contention: its packed counts must stay the census of its ring.
 *
 * <p>The ring is private, so the census is checked through what must follow from it: outcomes that cannot have
 * been evicted are all counted, and overwriting every slot single-threaded afterwards leaves exactly the counts of
 * what was written, which fails if a concurrent writer left a phantom (or lost a real) failure or slow call in the
 * packed counts.
 */
@Timeout(30)
class CountWindowConcurrencyTest {

    private static final int THREADS = 6;
    private static final Thresholds THRESHOLDS = new Thresholds(1, 100f, 100f);
    private static final int[] OUTCOMES = {
            Window.SUCCESS, Window.FAILURE, Window.SUCCESS | Window.SLOW, Window.FAILURE | Window.SLOW};

    @Test
    void failuresOnly_fewerThanSize_everyFailureCounted() throws Exception {
        CountWindow window = new CountWindow(100_000, THRESHOLDS);

        inParallel(THREADS, thread -> {
            for (int i = 0; i < 10_000; i++) {
                window.record(Window.FAILURE);
            }
        });

        assertThat(window.counts()).isEqualTo(new WindowCounts(60_000, 60_000, 0));
    }

    @Test
    void failuresOnly_moreThanSize_windowFullOfFailures_thenSuccessesReplaceEveryOne() throws Exception {
        CountWindow window = new CountWindow(1_000, THRESHOLDS);

        inParallel(THREADS, thread -> {
            for (int i = 0; i < 20_000; i++) {
                window.record(Window.FAILURE);
            }
        });
        assertThat(window.counts()).isEqualTo(new WindowCounts(1_000, 1_000, 0));

        inParallel(THREADS, thread -> {
            for (int i = 0; i < 20_000; i++) {
                window.record(Window.SUCCESS);
            }
        });
        assertThat(window.counts()).isEqualTo(new WindowCounts(1_000, 0, 0));
    }

    @ParameterizedTest(name = "size {0}")
    @ValueSource(ints = {1, 2, 7, 64, 1_000, 100_000, 1_000_000})
    void mixedOutcomes_countsAreTheCensusOfTheRing(int size) throws Exception {
        CountWindow window = new CountWindow(size, THRESHOLDS);
        int perThread = 50_000;
        AtomicLongArray failures = new AtomicLongArray(THREADS);
        AtomicLongArray slowCalls = new AtomicLongArray(THREADS);

        inParallel(THREADS, thread -> {
            SplittableRandom random = new SplittableRandom(31L * size + thread);
            long failed = 0;
            long slow = 0;
            for (int i = 0; i < perThread; i++) {
                int outcome = OUTCOMES[random.nextInt(OUTCOMES.length)];
                failed += (outcome & Window.FAILURE) != 0 ? 1 : 0;
                slow += (outcome & Window.SLOW) != 0 ? 1 : 0;
                window.record(outcome);
            }
            failures.set(thread, failed);
            slowCalls.set(thread, slow);
        });

        long total = (long) THREADS * perThread;
        long totalFailures = sum(failures);
        long totalSlow = sum(slowCalls);
        WindowCounts counts = window.counts();
        assertThat(counts.buffered()).as("buffered").isEqualTo(Math.min(total, size));
        assertThat(counts.failed()).as("failed").isLessThanOrEqualTo(Math.min(totalFailures, counts.buffered()));
        assertThat(counts.slow()).as("slow").isLessThanOrEqualTo(Math.min(totalSlow, counts.buffered()));
        if (total <= size) {
            // Nothing was evicted: the ring holds every outcome.
            assertThat(counts).isEqualTo(new WindowCounts(total, totalFailures, totalSlow));
        }

        // Overwrite every slot once, single-threaded: a phantom or lost count would survive the overwrite.
        for (int i = 0; i < size; i++) {
            window.record(Window.FAILURE | Window.SLOW);
        }
        assertThat(window.counts()).isEqualTo(new WindowCounts(size, size, size));
        for (int i = 0; i < size; i++) {
            window.record(Window.SUCCESS);
        }
        assertThat(window.counts()).isEqualTo(new WindowCounts(size, 0, 0));
    }

    /**
     * With no slow call ever recorded, no reading of the counts and no verdict may show a slow call, and no reading
     * may show more failures than calls or more calls than the window holds, however writers that lap each other
     * on the same slot interleave their adds.
     */
    @ParameterizedTest(name = "size {0}")
    @ValueSource(ints = {1, 2, 3})
    void lappingWriters_neverProduceCountsOutsideTheRing(int size) throws Exception {
        CountWindow window = new CountWindow(size, THRESHOLDS);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<String> impossible = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (writing.get() && impossible.get() == null) {
                WindowCounts counts = window.counts();
                if (counts.slow() != 0 || counts.failed() > counts.buffered() || counts.buffered() > size) {
                    impossible.compareAndSet(null, "counts() read " + counts);
                }
            }
        }, "counts-reader");
        reader.setDaemon(true);
        reader.start();

        try {
            inParallel(THREADS, thread -> {
                SplittableRandom random = new SplittableRandom(thread);
                for (int i = 0; i < 200_000 && impossible.get() == null; i++) {
                    int outcome = random.nextBoolean() ? Window.SUCCESS : Window.FAILURE;
                    Verdict verdict = window.record(outcome);
                    if (verdict == Verdict.SLOW_CALL_RATE_EXCEEDED || verdict == Verdict.BOTH_EXCEEDED) {
                        impossible.compareAndSet(null, "record(" + outcome + ") answered " + verdict
                                + " without any slow call recorded");
                    }
                }
            });
        } finally {
            writing.set(false);
            reader.join();
        }

        assertThat(impossible.get()).as("impossible observation").isNull();
        assertThat(window.counts().buffered()).isEqualTo(size);
        assertThat(window.counts().slow()).isZero();
    }

    private static long sum(AtomicLongArray values) {
        long total = 0;
        for (int i = 0; i < values.length(); i++) {
            total += values.get(i);
        }
        return total;
    }

}
