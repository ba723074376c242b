package dev.breaker.internal;

import org.junit.jupiter.api.Test;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import static dev.breaker.internal.Window.FAILURE;
import static dev.breaker.internal.Window.SLOW;
import static dev.breaker.internal.Window.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CountWindowTest extends WindowContractTest {

    @Override
    Window newWindow(Thresholds thresholds) {
        return new CountWindow(100, thresholds);
    }

    @Test
    void record_beyondTheSize_evictsTheOldestOutcome() {
        CountWindow window = new CountWindow(3, new Thresholds(3, 100, 100));

        window.record(FAILURE);
        window.record(SUCCESS);
        window.record(SUCCESS | SLOW);
        assertThat(window.counts()).isEqualTo(new WindowCounts(3, 1, 1));

        window.record(SUCCESS);
        assertThat(window.counts()).isEqualTo(new WindowCounts(3, 0, 1));

        window.record(SUCCESS);
        window.record(SUCCESS);
        assertThat(window.counts()).isEqualTo(new WindowCounts(3, 0, 0));
    }

    /**
     * Defect: a writer descheduled between swapping its slot and adding to the packed counts leaves them out of range
     * (here a failure's -FAILED landed before the +FAILED that cancels it) for as long as it sleeps. counts() spun
     * briefly, then returned the out-of-range value clamped, which read as slow calls that never happened
     * ({@code WindowCounts[buffered=1, failed=1, slow=1]}, seen by CountWindowConcurrencyTest on a busy machine).
     * Now it counts the ring itself.
     */
    @Test
    void counts_whileAWriterIsDescheduledMidUpdate_isTheRingsCensus() throws Exception {
        CountWindow window = new CountWindow(3, new Thresholds(3, 100, 100));
        window.record(FAILURE);
        window.record(SUCCESS);
        VarHandle counts = MethodHandles.privateLookupIn(CountWindow.class, MethodHandles.lookup())
                .findVarHandle(CountWindow.class, "counts", long.class);
        long census = (long) counts.getVolatile(window);

        // Writers lapping one slot: two -FAILED have landed, the +FAILED between them is still to come.
        counts.setVolatile(window, census - (1L << 21) - (1L << 21));

        assertThat(window.counts()).isEqualTo(new WindowCounts(2, 1, 0));
    }

    @Test
    void new_clampsMinimumCallsToTheSize() {
        CountWindow window = new CountWindow(2, new Thresholds(10, 50, 100));

        assertThat(window.thresholds().minimumCalls()).isEqualTo(2);
        window.record(SUCCESS);
        assertThat(window.record(FAILURE)).isEqualTo(Verdict.FAILURE_RATE_EXCEEDED);
    }

    @Test
    void record_successIntoAWindowFullOfSuccesses_isClean() {
        CountWindow window = new CountWindow(4, new Thresholds(4, 50, 100));
        for (int i = 0; i < 3; i++) {
            assertThat(window.record(SUCCESS)).isEqualTo(Verdict.BELOW_MINIMUM_CALLS);
        }
        assertThat(window.record(SUCCESS)).isEqualTo(Verdict.BELOW_THRESHOLDS);

        assertThat(window.record(SUCCESS)).isEqualTo(Verdict.CLEAN);
        assertThat(window.counts()).isEqualTo(new WindowCounts(4, 0, 0));
    }

    @Test
    void record_afterSkippedSuccesses_evictsInTheSameOrderAsAWindowThatAdvanced() {
        // A window full of successes skips recording more successes; the failure that follows must still leave
        // after exactly `size` further outcomes, as it would in a ring that had advanced.
        CountWindow window = new CountWindow(3, new Thresholds(1, 100, 100));
        for (int i = 0; i < 7; i++) {
            window.record(SUCCESS);
        }
        window.record(FAILURE);
        window.record(SUCCESS);
        window.record(SUCCESS);
        assertThat(window.counts().failed()).isEqualTo(1);

        window.record(SUCCESS);

        assertThat(window.counts()).isEqualTo(new WindowCounts(3, 0, 0));
    }

    @Test
    void record_replacingAnOutcomeWithAnEqualOne_isUnchanged() {
        CountWindow window = new CountWindow(1, new Thresholds(1, 100, 100));
        window.record(FAILURE);

        assertThat(window.record(FAILURE)).isEqualTo(Verdict.UNCHANGED);
        assertThat(window.record(SUCCESS)).isEqualTo(Verdict.BELOW_THRESHOLDS);
    }

    @Test
    void new_rejectsSizesOutsideThePackedRange() {
        assertThatThrownBy(() -> new CountWindow(0, new Thresholds(1, 50, 100)))
                .hasMessage("size must be in [1, 1048576], was 0");
        assertThatThrownBy(() -> new CountWindow(CountWindow.MAX_SIZE + 1, new Thresholds(1, 50, 100)))
                .hasMessage("size must be in [1, 1048576], was 1048577");
    }

    @Test
    void record_largestWindow_countsEveryFieldWithoutOverflow() {
        CountWindow window = new CountWindow(CountWindow.MAX_SIZE, new Thresholds(1, 100, 100));
        for (int i = 0; i < CountWindow.MAX_SIZE; i++) {
            window.record(FAILURE | SLOW);
        }

        assertThat(window.counts()).isEqualTo(
                new WindowCounts(CountWindow.MAX_SIZE, CountWindow.MAX_SIZE, CountWindow.MAX_SIZE));
    }
}
