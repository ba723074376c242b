package dev.breaker.spring.history;

import dev.breaker.Breaker;
import dev.breaker.BreakerConfig;
import dev.breaker.BreakerRegistry;
import dev.breaker.FakeTicker;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The sampled history on a fake clock: no thread, no sleep; {@link BreakerHistory#sample()} is the task. */
class BreakerHistoryTests {

    private final FakeTicker ticker = new FakeTicker();
    private final BreakerRegistry registry = BreakerRegistry.of(BreakerConfig.builder().minimumCalls(2)
            .ticker(ticker).clock(ticker.clock()).build());
    private final BreakerHistory history = new BreakerHistory(registry, Duration.ofSeconds(5), 4, ticker.clock());

    private void calls(Breaker breaker, int successes, int failures) {
        for (int i = 0; i < successes; i++) {
            breaker.tryAcquire();
            breaker.onSuccess(0);
        }
        for (int i = 0; i < failures; i++) {
            breaker.tryAcquire();
            breaker.onFailure(0, new IOException("down"));
        }
    }

    @Test
    void sample_recordsStateRatesAndCallsPerSecondSinceTheSampleBefore() {
        Breaker orders = registry.breaker("orders");
        history.sample();
        calls(orders, 40, 10);
        ticker.advance(Duration.ofSeconds(5));
        history.sample();

        Samples samples = history.of("orders", Long.MIN_VALUE).orElseThrow();
        assertThat(samples.time()).containsExactly(FakeTicker.EPOCH.toEpochMilli(),
                FakeTicker.EPOCH.toEpochMilli() + 5000);
        assertThat(samples.state()).containsExactly("CLOSED", "CLOSED");
        assertThat(samples.callsPerSecond()).as("none before the first sample, then 50 calls in 5 s")
                .containsExactly(null, 10f);
        assertThat(samples.rejectedPerSecond()).containsExactly(null, 0f);
        assertThat(samples.failureRate()).as("under the minimum calls, then 10 of 50").containsExactly(null, 20f);
        assertThat(samples.admittedSharePercent()).containsExactly(100f, 100f);
    }

    @Test
    void ring_keepsTheLatestSamplesOnly_andSinceLeavesOutWhatTheCallerHas() {
        registry.breaker("orders");
        for (int i = 0; i < 6; i++) {
            history.sample();
            ticker.advance(Duration.ofSeconds(5));
        }
        long start = FakeTicker.EPOCH.toEpochMilli();

        assertThat(history.of("orders", Long.MIN_VALUE).orElseThrow().time()).as("4 kept of 6")
                .containsExactly(start + 10_000, start + 15_000, start + 20_000, start + 25_000);
        assertThat(history.all(start + 15_000).get("orders").time()).containsExactly(start + 20_000, start + 25_000);
        assertThat(history.bytesPerBreaker()).isEqualTo(4 * 30 + SampleRing.OVERHEAD_BYTES);
    }

    @Test
    void defaults_takeAbout21KibPerBreaker() {
        assertThat(new BreakerHistory(registry, Duration.ofSeconds(5), 720, ticker.clock()).bytesPerBreaker())
                .isEqualTo(21_792);
    }

    @Test
    void removedBreaker_losesItsHistory_andAnUnsampledOneHasNone() {
        registry.breaker("orders");
        history.sample();
        registry.remove("orders");

        assertThat(history.of("orders", Long.MIN_VALUE)).isEmpty();
        assertThat(history.all(Long.MIN_VALUE)).isEmpty();
    }

    @Test
    void badSettings_areRefusedWithTheRule() {
        assertThatIllegalArgumentException().isThrownBy(() -> new BreakerHistory(registry, Duration.ZERO, 10,
                ticker.clock())).withMessage("interval must be at least 1 ms, was PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> new BreakerHistory(registry, Duration.ofSeconds(1), 1,
                ticker.clock())).withMessage("samples must be at least 2, was 1");
    }
}
