package dev.breaker;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The execution helpers: permission, timing, classification, fallbacks, async. */
class BreakerExecutionTest {

    private final FakeTicker ticker = new FakeTicker();

    private Breaker breaker(BreakerConfig.Builder config) {
        return Breaker.of("pricing", config.ticker(ticker).clock(ticker.clock()).build());
    }

    private Breaker openBreaker() {
        Breaker breaker = breaker(BreakerConfig.builder().consecutiveFailures(1).waitInOpen(Duration.ofSeconds(10)));
        breaker.forceOpen();
        breaker.close();
        assertThatThrownBy(() -> breaker.run(() -> {
            throw new IllegalStateException("down");
        })).hasMessage("down");
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        return breaker;
    }

    @Test
    void call_returnsTheResult_andRecordsASuccess() throws Exception {
        Breaker breaker = breaker(BreakerConfig.builder());

        assertThat(breaker.call(() -> 42)).isEqualTo(42);
        assertThat(breaker.get(() -> "a")).isEqualTo("a");
        breaker.run(() -> { });

        assertThat(breaker.metrics().totalSuccesses()).isEqualTo(3);
    }

    @Test
    void call_propagatesTheCheckedException_andRecordsAFailure() {
        Breaker breaker = breaker(BreakerConfig.builder());

        assertThatThrownBy(() -> breaker.call(() -> {
            throw new IOException("io");
        })).isInstanceOf(IOException.class).hasMessage("io");

        assertThat(breaker.metrics().totalFailures()).isEqualTo(1);
    }

    @Test
    void rejected_throwsCallNotPermittedException_withNameStateAndRetryAfter() {
        Breaker breaker = openBreaker();
        ticker.advance(Duration.ofMillis(2_300));

        assertThatThrownBy(() -> breaker.get(() -> "never"))
                .isInstanceOfSatisfying(CallNotPermittedException.class, e -> {
                    assertThat(e.breakerName()).isEqualTo("pricing");
                    assertThat(e.state()).isEqualTo(CircuitState.OPEN);
                    assertThat(e.retryAfter()).contains(Duration.ofMillis(7_700));
                    assertThat(e).hasMessage("Breaker 'pricing' is OPEN and permits no calls for another 7.7s");
                    assertThat(e.getStackTrace()).as("stackless by default").isEmpty();
                });
    }

    @Test
    void rejected_withWritableStackTraces_carriesOne() {
        Breaker breaker = breaker(BreakerConfig.builder().writableStackTrace(true));
        breaker.forceOpen();

        assertThatThrownBy(() -> breaker.run(() -> { }))
                .isInstanceOfSatisfying(CallNotPermittedException.class,
                        e -> assertThat(e.getStackTrace()).isNotEmpty());
    }

    @Test
    void slowCallDetection_timesTheCallWithTheTicker() {
        Breaker breaker = breaker(BreakerConfig.builder().slowCallDuration(Duration.ofSeconds(1))
                .slowCallRateThreshold(100).countWindow(1).minimumCalls(1));

        breaker.run(() -> ticker.advance(Duration.ofSeconds(1)));
        assertThat(breaker.metrics().slowCalls()).isZero();

        breaker.run(() -> ticker.advance(Duration.ofSeconds(1).plusNanos(1)));
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void fallback_answersRejectedCalls_withTheRejection() {
        Breaker breaker = openBreaker();
        AtomicReference<Exception> seen = new AtomicReference<>();

        String answer = breaker.get(() -> "live", e -> {
            seen.set(e);
            return "cached";
        });

        assertThat(answer).isEqualTo("cached");
        assertThat(seen.get()).isInstanceOf(CallNotPermittedException.class);
    }

    @Test
    void fallback_answersRecordedFailures() throws Exception {
        Breaker breaker = breaker(BreakerConfig.builder());

        String answer = breaker.call(() -> {
            throw new IOException("io");
        }, e -> "fallback for " + e.getMessage());

        assertThat(answer).isEqualTo("fallback for io");
    }

    @Test
    void fallback_neverAnswersIgnoredErrors_norErrorsCountedAsSuccess() {
        Breaker breaker = breaker(BreakerConfig.builder().ignoreExceptions(IllegalArgumentException.class)
                .recordExceptions(IllegalStateException.class));

        assertThatThrownBy(() -> breaker.get(() -> {
            throw new IllegalArgumentException("bad input");
        }, e -> "fallback")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> breaker.get(() -> {
            throw new UnsupportedOperationException("not recorded");
        }, e -> "fallback")).isInstanceOf(UnsupportedOperationException.class);
        String answer = breaker.get(() -> {
            throw new IllegalStateException("recorded");
        }, e -> "fallback");
        assertThat(answer).isEqualTo("fallback");
    }

    @Test
    void fallback_neverSwallowsErrors_butTheyAreRecorded() {
        Breaker breaker = breaker(BreakerConfig.builder());

        assertThatThrownBy(() -> breaker.get(() -> {
            throw new StackOverflowError();
        }, e -> "fallback")).isInstanceOf(StackOverflowError.class);

        assertThat(breaker.metrics().totalFailures()).isEqualTo(1);
    }

    @Test
    void runWithFallback_runsTheFallbackOnRejection() {
        Breaker breaker = openBreaker();
        AtomicReference<RuntimeException> seen = new AtomicReference<>();

        breaker.run(() -> { }, seen::set);

        assertThat(seen.get()).isInstanceOf(CallNotPermittedException.class);
    }

    @Test
    void failureResultPredicate_recordsMatchingResultsAsFailures_andReturnsThem() {
        Breaker breaker = breaker(BreakerConfig.builder().failureResultPredicate("busy"::equals)
                .consecutiveFailures(2));

        String first = breaker.get(() -> "busy");
        String second = breaker.get(() -> "busy");

        assertThat(first).isEqualTo("busy");
        assertThat(second).isEqualTo("busy");

        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        assertThat(breaker.metrics().totalFailures()).isEqualTo(2);
    }

    @Test
    void callAsync_recordsTheOutcomeWhenTheStageCompletes() {
        Breaker breaker = breaker(BreakerConfig.builder().consecutiveFailures(1));
        CompletableFuture<String> future = new CompletableFuture<>();

        CompletionStage<String> stage = breaker.callAsync(() -> future);
        assertThat(breaker.metrics().totalCalls()).isZero();

        future.completeExceptionally(new IOException("late"));
        assertThat(stage).isSameAs(future);
        assertThat(breaker.metrics().totalFailures()).isEqualTo(1);
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void callAsync_cancelledStage_givesItsPermitBack() {
        Breaker breaker = breaker(BreakerConfig.builder().consecutiveFailures(1).halfOpenCalls(1));
        breaker.run(() -> {
            throw new IllegalStateException();
        }, e -> { });
        ticker.advance(Duration.ofSeconds(61));
        CompletableFuture<String> probe = new CompletableFuture<>();
        breaker.callAsync(() -> probe);
        assertThat(breaker.tryAcquire()).as("the one trial permit is taken").isFalse();

        probe.cancel(true);

        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.metrics().totalCalls()).as("cancelled calls are not recorded; one rejection")
                .isEqualTo(2);
    }

    @Test
    void callAsync_rejected_answersWithAFailedStage() {
        Breaker breaker = openBreaker();

        CompletionStage<String> stage = breaker.callAsync(() -> CompletableFuture.completedFuture("never"));

        assertThatThrownBy(() -> stage.toCompletableFuture().get()).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(CallNotPermittedException.class);
    }

    @Test
    void callAsync_supplierThrowing_isRecordedAndAnsweredWithAFailedStage() {
        Breaker breaker = breaker(BreakerConfig.builder());

        CompletionStage<String> stage = breaker.callAsync(() -> {
            throw new IllegalStateException("sync");
        });

        assertThat(stage.toCompletableFuture()).isCompletedExceptionally();
        assertThat(breaker.metrics().totalFailures()).isEqualTo(1);
    }
}
