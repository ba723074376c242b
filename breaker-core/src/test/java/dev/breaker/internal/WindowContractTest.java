package dev.breaker.internal;

import org.junit.jupiter.api.Test;

import static dev.breaker.internal.Window.FAILURE;
import static dev.breaker.internal.Window.SLOW;
import static dev.breaker.internal.Window.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

/** What every sliding window must do; each implementation's test extends this. */
abstract class WindowContractTest {

    /** A window that holds at least 100 outcomes recorded without time passing. */
    abstract Window newWindow(Thresholds thresholds);

    @Test
    void newWindow_isEmpty() {
        assertThat(newWindow(new Thresholds(1, 50, 100)).counts()).isEqualTo(WindowCounts.EMPTY);
    }

    @Test
    void record_belowMinimumCalls_computesNoRate() {
        Window window = newWindow(new Thresholds(5, 50, 100));

        for (int i = 0; i < 4; i++) {
            assertThat(window.record(FAILURE)).isEqualTo(Verdict.BELOW_MINIMUM_CALLS);
        }
        assertThat(window.record(FAILURE)).isEqualTo(Verdict.FAILURE_RATE_EXCEEDED);
    }

    @Test
    void record_failureRateAtExactlyTheThreshold_exceeds() {
        Window window = newWindow(new Thresholds(4, 50, 100));

        window.record(SUCCESS);
        window.record(FAILURE);
        window.record(SUCCESS);

        assertThat(window.record(FAILURE)).isEqualTo(Verdict.FAILURE_RATE_EXCEEDED);
    }

    @Test
    void record_failureRateJustBelowTheThreshold_passes() {
        Window window = newWindow(new Thresholds(3, 34, 100));

        window.record(SUCCESS);
        window.record(SUCCESS);

        assertThat(window.record(FAILURE)).isEqualTo(Verdict.BELOW_THRESHOLDS);
    }

    @Test
    void record_slowCalls_countTowardTheSlowCallRate_failedOrNot() {
        Window window = newWindow(new Thresholds(4, 100, 50));

        window.record(SUCCESS);
        window.record(SUCCESS | SLOW);
        window.record(SUCCESS);
        assertThat(window.record(FAILURE | SLOW)).isEqualTo(Verdict.SLOW_CALL_RATE_EXCEEDED);

        assertThat(window.counts()).isEqualTo(new WindowCounts(4, 1, 2));
    }

    @Test
    void record_bothRatesAtTheirThresholds_reportsBoth() {
        Window window = newWindow(new Thresholds(2, 50, 50));

        window.record(SUCCESS);

        assertThat(window.record(FAILURE | SLOW)).isEqualTo(Verdict.BOTH_EXCEEDED);
    }

    @Test
    void counts_successfulAreTheBufferedCallsThatDidNotFail() {
        Window window = newWindow(new Thresholds(100, 50, 100));
        for (int i = 0; i < 30; i++) {
            window.record(i % 3 == 0 ? FAILURE : SUCCESS);
        }

        WindowCounts counts = window.counts();

        assertThat(counts.buffered()).isEqualTo(30);
        assertThat(counts.failed()).isEqualTo(10);
        assertThat(counts.successful()).isEqualTo(20);
    }

    @Test
    void record_neverReportsUnchangedWhenAFailureIsAdded() {
        Window window = newWindow(new Thresholds(1, 100, 100));

        for (int i = 0; i < 50; i++) {
            window.record(SUCCESS);
        }

        assertThat(window.record(FAILURE)).isEqualTo(Verdict.BELOW_THRESHOLDS);
    }
}
