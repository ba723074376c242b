package dev.breaker.internal;

import dev.breaker.FakeTicker;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.breaker.internal.Window.FAILURE;
import static dev.breaker.internal.Window.SLOW;
import static dev.breaker.internal.Window.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimeWindowTest extends WindowContractTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private final FakeTicker ticker = new FakeTicker();

    @Override
    Window newWindow(Thresholds thresholds) {
        return new TimeWindow(10 * SECOND, 10, thresholds, ticker);
    }

    private TimeWindow tenSecondsInTenBuckets() {
        return new TimeWindow(10 * SECOND, 10, new Thresholds(1, 100, 100), ticker);
    }

    @Test
    void outcomeAtTheStartOfABucket_countsForTheWholeWindow_andNotOneNanosecondLonger() {
        TimeWindow window = tenSecondsInTenBuckets();
        window.record(FAILURE);

        ticker.advanceNanos(10 * SECOND - 1);
        assertThat(window.counts()).isEqualTo(new WindowCounts(1, 1, 0));

        ticker.advanceNanos(1);
        assertThat(window.counts()).isEqualTo(WindowCounts.EMPTY);
    }

    @Test
    void outcomeAtTheEndOfABucket_leavesWithItsBucket_neverLaterThanTheWindowSize() {
        TimeWindow window = tenSecondsInTenBuckets();
        ticker.advanceNanos(SECOND - 1);
        window.record(FAILURE);

        ticker.advanceNanos(9 * SECOND);
        assertThat(window.counts().failed()).isEqualTo(1);

        ticker.advanceNanos(1);
        assertThat(window.counts().failed()).as("age 9s + 1ns: its bucket left the window").isZero();
    }

    @Test
    void outcomes_leaveBucketByBucket() {
        TimeWindow window = tenSecondsInTenBuckets();
        for (int second = 0; second < 10; second++) {
            window.record(second % 2 == 0 ? FAILURE : SUCCESS | SLOW);
            ticker.advanceNanos(SECOND);
        }
        // Now at t=10s: bucket 0 (a failure) has left.
        assertThat(window.counts()).isEqualTo(new WindowCounts(9, 4, 5));

        ticker.advanceNanos(SECOND);
        assertThat(window.counts()).isEqualTo(new WindowCounts(8, 4, 4));

        ticker.advanceNanos(8 * SECOND);
        assertThat(window.counts()).isEqualTo(WindowCounts.EMPTY);
    }

    @Test
    void bucketReused_afterAFullWindow_startsFromZero() {
        TimeWindow window = tenSecondsInTenBuckets();
        window.record(FAILURE);
        window.record(FAILURE);

        ticker.advanceNanos(10 * SECOND);
        window.record(SUCCESS);

        assertThat(window.counts()).isEqualTo(new WindowCounts(1, 0, 0));
    }

    @Test
    void idleForManyWindows_forgetsEverything() {
        TimeWindow window = tenSecondsInTenBuckets();
        for (int i = 0; i < 10; i++) {
            window.record(FAILURE);
            ticker.advanceNanos(SECOND);
        }

        ticker.advance(Duration.ofDays(3));

        assertThat(window.counts()).isEqualTo(WindowCounts.EMPTY);
        assertThat(window.record(SUCCESS)).isEqualTo(Verdict.CLEAN);
        assertThat(window.counts()).isEqualTo(new WindowCounts(1, 0, 0));
    }

    @Test
    void success_evaluatesWhileAFailureIsInTheWindow() {
        TimeWindow window = new TimeWindow(10 * SECOND, 10, new Thresholds(3, 50, 100), ticker);
        window.record(FAILURE);
        window.record(FAILURE);

        assertThat(window.record(SUCCESS)).isEqualTo(Verdict.FAILURE_RATE_EXCEEDED);
    }

    @Test
    void success_oldFailuresLeavingTheWindow_canLeaveTheMinimumUnreached() {
        TimeWindow window = new TimeWindow(10 * SECOND, 10, new Thresholds(2, 50, 100), ticker);
        window.record(FAILURE);
        ticker.advanceNanos(10 * SECOND);

        assertThat(window.record(SUCCESS)).isEqualTo(Verdict.CLEAN);
        assertThat(window.counts()).isEqualTo(new WindowCounts(1, 0, 0));
    }

    @Test
    void windowCreatedMidBucket_bucketsAreWholeMultiplesOfTheirLength() {
        ticker.advanceNanos(2 * SECOND + SECOND / 2);
        TimeWindow window = tenSecondsInTenBuckets();
        window.record(FAILURE);

        ticker.advanceNanos(9 * SECOND + SECOND / 2 - 1);
        assertThat(window.counts().failed()).as("at 11.999...s: bucket [2s, 3s) is still in the window").isOne();
        ticker.advanceNanos(1);
        assertThat(window.counts().failed()).as("at 12s: it left, 9.5s after the outcome").isZero();
    }

    @Test
    void randomOutcomesAndClockMoves_everyVerdictAgreesWithTheCountsOfTheWindow() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(9);
        Thresholds thresholds = new Thresholds(5, 40, 60);
        for (int buckets : new int[] {1, 3, 10, 60}) {
            TimeWindow window = new TimeWindow(buckets * SECOND, buckets, thresholds, ticker);
            for (int step = 0; step < 5_000; step++) {
                if (random.nextInt(10) == 0) {
                    ticker.advanceNanos(random.nextLong(3 * SECOND));
                }
                int outcome = random.nextInt(4) == 0 ? FAILURE : SUCCESS;
                if (random.nextInt(5) == 0) {
                    outcome |= SLOW;
                }
                Verdict verdict = window.record(outcome);
                WindowCounts counts = window.counts();
                Verdict expected = thresholds.evaluate(counts.buffered(), counts.failed(), counts.slow());
                if (verdict == Verdict.CLEAN) {
                    assertThat(counts.failed() + counts.slow()).as("%d buckets, step %d: clean with a bad outcome "
                            + "in the window", buckets, step).isZero();
                } else {
                    assertThat(verdict).as("%d buckets, step %d: %s", buckets, step, counts).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void new_rejectsBucketsNarrowerThan100ms() {
        assertThatThrownBy(() -> new TimeWindow(SECOND, 11, new Thresholds(1, 50, 100), ticker))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
