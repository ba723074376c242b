package dev.breaker.benchmarks;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The failure pattern keeps a breaker fed by one thread below its 50 % threshold, as the benchmarks require. */
class FailingCallsTests {

    @ParameterizedTest
    @ValueSource(ints = {10, 30, 49})
    void anyHundredCallsInARowHoldExactlyTheShare_andAnyFirstCallsNoMore(int percent) {
        FailingCalls calls = new FailingCalls();
        calls.failurePercent = percent;
        calls.pattern();
        boolean[] failed = new boolean[1_000];
        for (int i = 0; i < failed.length; i++) {
            try {
                calls.failing.get();
            } catch (RuntimeException e) {
                assertThat(e).isSameAs(Calls.FAILURE);
                failed[i] = true;
            }
        }

        for (int start = 0; start + 100 <= failed.length; start++) {
            assertThat(failures(failed, start, 100)).as("calls %d to %d", start, start + 99).isEqualTo(percent);
        }
        for (int k = 1; k <= failed.length; k++) {
            assertThat(failures(failed, 0, k) * 100).as("the first %d calls", k).isLessThanOrEqualTo(percent * k);
        }
    }

    private static int failures(boolean[] failed, int from, int count) {
        int n = 0;
        for (int i = from; i < from + count; i++) {
            n += failed[i] ? 1 : 0;
        }
        return n;
    }
}
