package dev.breaker;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Breaker#metrics()} after known sequences of calls. */
class BreakerMetricsTest {

    private final FakeTicker ticker = new FakeTicker();

    private Breaker breaker(BreakerConfig.Builder config) {
        return Breaker.of("inventory", config.ticker(ticker).clock(ticker.clock()).build());
    }

    @Test
    void newBreaker_reportsNothingYet() {
        BreakerMetrics metrics = breaker(BreakerConfig.builder()).metrics();

        assertThat(metrics.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(metrics.failureRate()).isEqualTo(-1f);
        assertThat(metrics.slowCallRate()).isEqualTo(-1f);
        assertThat(metrics.totalCalls()).isZero();
        assertThat(metrics.lastFailureTime()).isNull();
        assertThat(metrics.lastSuccessTime()).isNull();
        assertThat(metrics.lastStateChangeTime()).isNull();
        assertThat(metrics.stateTransitions()).isZero();
    }

    @Test
    void closed_reportsTheWindowAndTheLifetimeTotals() {
        Breaker breaker = breaker(BreakerConfig.builder().countWindow(4).minimumCalls(2).failureRateThreshold(80)
                .slowCallDuration(Duration.ofMillis(10)).ignoreExceptions(IllegalArgumentException.class));
        long slow = Duration.ofMillis(11).toNanos();

        breaker.tryAcquire();
        breaker.onSuccess(slow);
        ticker.advance(Duration.ofSeconds(1));
        breaker.tryAcquire();
        breaker.onFailure(0, new IllegalStateException());
        ticker.advance(Duration.ofSeconds(1));
        breaker.tryAcquire();
        breaker.onSuccess(0);
        breaker.tryAcquire();
        breaker.onFailure(0, new IllegalArgumentException());
        ticker.advance(Duration.ofSeconds(1));

        BreakerMetrics metrics = breaker.metrics();
        assertThat(metrics.bufferedCalls()).isEqualTo(3);
        assertThat(metrics.failedCalls()).isEqualTo(1);
        assertThat(metrics.successfulCalls()).isEqualTo(2);
        assertThat(metrics.slowCalls()).isEqualTo(1);
        assertThat(metrics.failureRate()).isEqualTo(100f / 3);
        assertThat(metrics.slowCallRate()).isEqualTo(100f / 3);
        assertThat(metrics.totalSuccesses()).isEqualTo(2);
        assertThat(metrics.totalFailures()).isEqualTo(1);
        assertThat(metrics.totalIgnored()).isEqualTo(1);
        assertThat(metrics.totalCalls()).isEqualTo(4);
        assertThat(metrics.totalSlowCalls()).isEqualTo(1);
        assertThat(metrics.lastFailureTime()).isEqualTo(FakeTicker.EPOCH.plusSeconds(1));
        assertThat(metrics.lastSuccessTime()).isEqualTo(FakeTicker.EPOCH.plusSeconds(2));
        assertThat(metrics.timeInState()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void open_reportsTheWindowThatOpenedIt_andRejectionsSinceOpening() {
        Breaker breaker = breaker(BreakerConfig.builder().countWindow(2).minimumCalls(2));
        breaker.forceOpen();
        breaker.tryAcquire();
        breaker.close();
        for (int i = 0; i < 2; i++) {
            breaker.tryAcquire();
            breaker.onFailure(0, new IllegalStateException());
        }
        ticker.advance(Duration.ofSeconds(5));
        breaker.tryAcquire();
        breaker.tryAcquire();

        BreakerMetrics metrics = breaker.metrics();
        assertThat(metrics.state()).isEqualTo(CircuitState.OPEN);
        assertThat(metrics.failureRate()).isEqualTo(100f);
        assertThat(metrics.bufferedCalls()).isEqualTo(2);
        assertThat(metrics.notPermittedCalls()).isEqualTo(2);
        assertThat(metrics.totalNotPermitted()).isEqualTo(3);
        assertThat(metrics.stateTransitions()).isEqualTo(3);
        assertThat(metrics.lastStateChangeTime()).isEqualTo(FakeTicker.EPOCH);
        assertThat(metrics.timeInState()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void forcedOpen_reportsNoWindow() {
        Breaker breaker = breaker(BreakerConfig.builder());
        breaker.tryAcquire();
        breaker.onFailure(0, new IllegalStateException());

        breaker.forceOpen();

        BreakerMetrics metrics = breaker.metrics();
        assertThat(metrics.bufferedCalls()).isZero();
        assertThat(metrics.failureRate()).isEqualTo(-1f);
        assertThat(metrics.totalFailures()).isEqualTo(1);
    }
}
