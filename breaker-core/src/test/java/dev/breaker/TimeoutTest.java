package dev.breaker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Call timeouts, fixed and adaptive. Time is a fake ticker except where a thread must really be interrupted or a
 * scheduled timeout must really fire; those wait with a bound.
 */
@Timeout(60)
class TimeoutTest {

    private final FakeTicker ticker = new FakeTicker();

    private BreakerConfig.Builder config() {
        return BreakerConfig.builder().ticker(ticker).clock(ticker.clock()).countWindow(10).minimumCalls(10);
    }

    @Test
    void blockingCallLongerThanTheTimeout_failsWithCallTimeoutException_recordedAsAFailure() {
        Breaker breaker = Breaker.of("reviews", config().timeout(Duration.ofSeconds(2))
                .recordExceptions(IOException.class).build());

        assertThatThrownBy(() -> breaker.get(() -> {
            ticker.advance(Duration.ofMillis(2001));
            return "too late";
        })).isInstanceOfSatisfying(CallTimeoutException.class, e -> {
            assertThat(e.breakerName()).isEqualTo("reviews");
            assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(e.getMessage()).isEqualTo("A call of breaker 'reviews' took longer than its timeout of 2.000s");
        });

        assertThat(breaker.metrics().totalFailures()).as("recorded whatever recordExceptions says").isOne();
        assertThat(breaker.get(() -> {
            ticker.advance(Duration.ofSeconds(2));
            return "just in time";
        })).isEqualTo("just in time");
    }

    @Test
    void timedOutCall_isAnsweredByTheFallback() {
        Breaker breaker = Breaker.of("fallback", config().timeout(Duration.ofSeconds(1)).build());

        String answer = breaker.get(() -> {
            ticker.advance(Duration.ofSeconds(5));
            return "late";
        }, error -> "fallback for " + error.getClass().getSimpleName());

        assertThat(answer).isEqualTo("fallback for CallTimeoutException");
    }

    @Test
    void slowCallDuration_mustBeShorterThanTheTimeout() {
        assertThatThrownBy(() -> config().timeout(Duration.ofSeconds(1)).slowCallDuration(Duration.ofSeconds(1))
                .build()).hasMessage("slowCallDuration must be shorter than the timeout (PT1S): a call times out "
                + "before it is slow, was PT1S");
        assertThatThrownBy(() -> config().adaptiveTimeout(AdaptiveTimeout.defaults())
                .slowCallDuration(Duration.ofSeconds(10)).build())
                .hasMessage("slowCallDuration must be shorter than adaptiveTimeout.max (PT10S), was PT10S");
        assertThatThrownBy(() -> config().timeout(Duration.ZERO).build()).hasMessage("timeout must be positive, was PT0S");
    }

    @Test
    void interruptOn_aBlockedCallIsInterruptedAtTheTimeout_andTheInterruptDoesNotLeak() {
        Breaker breaker = Breaker.of("interrupting", BreakerConfig.builder().timeout(Duration.ofMillis(100))
                .timeoutInterrupt(true).build());
        CountDownLatch never = new CountDownLatch(1);
        long started = System.nanoTime();

        assertThatThrownBy(() -> breaker.call(() -> never.await(20, TimeUnit.SECONDS)))
                .isInstanceOf(CallTimeoutException.class);

        assertThat(System.nanoTime() - started).as("interrupted long before the 20 s wait")
                .isLessThan(TimeUnit.SECONDS.toNanos(10));
        assertThat(Thread.currentThread().isInterrupted()).as("no interrupt leaks into the next work").isFalse();
        assertThat(breaker.metrics().totalFailures()).isOne();
    }

    @Test
    void interruptOn_callsEndingAroundTheLimit_neverLeaveTheThreadInterrupted() {
        Breaker breaker = Breaker.of("racing", BreakerConfig.builder().timeout(Duration.ofNanos(200_000))
                .timeoutInterrupt(true).countWindow(10_000).minimumCalls(10_000).build());
        for (int i = 0; i < 2_000; i++) {
            long until = System.nanoTime() + (i % 400) * 1_000;
            try {
                breaker.run(() -> {
                    while (System.nanoTime() < until && !Thread.currentThread().isInterrupted()) {
                        Thread.onSpinWait();
                    }
                });
            } catch (CallTimeoutException expected) {
                // some calls end after the limit
            }
            assertThat(Thread.currentThread().isInterrupted()).as("call %d", i).isFalse();
        }
    }

    @Test
    void asyncCallThatNeverCompletes_failsWithCallTimeoutException_andIsCancelled() {
        Breaker breaker = Breaker.of("async", BreakerConfig.builder().timeout(Duration.ofMillis(50)).build());
        CompletableFuture<String> hung = new CompletableFuture<>();

        CompletionStage<String> answer = breaker.callAsync(() -> hung);

        assertThatThrownBy(() -> answer.toCompletableFuture().get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(CallTimeoutException.class);
        assertThat(hung).isCancelled();
        assertThat(breaker.metrics().totalFailures()).isOne();
    }

    @Test
    void asyncCallCompletingInTime_answersWithItsValue_andTheTimerIsCancelled() {
        Breaker breaker = Breaker.of("async-ok", BreakerConfig.builder().timeout(Duration.ofSeconds(30)).build());
        CompletableFuture<String> source = new CompletableFuture<>();

        CompletionStage<String> answer = breaker.callAsync(() -> source);
        source.complete("in time");

        assertThat(answer.toCompletableFuture().join()).isEqualTo("in time");
        assertThat(breaker.metrics().totalSuccesses()).isOne();
    }

    @Test
    void asyncAnswerCompletedByTheCaller_cancelsTheSource_andGivesThePermitBackOnce() {
        Breaker breaker = Breaker.of("async-caller", BreakerConfig.builder().timeout(Duration.ofSeconds(30))
                .maxConcurrentCalls(1).build());
        CompletableFuture<String> source = new CompletableFuture<>();

        CompletionStage<String> answer = breaker.callAsync(() -> source);
        answer.toCompletableFuture().complete("the caller gave up");

        assertThat(source).isCancelled();
        assertThat(breaker.metrics().callsInFlight()).isZero();
        assertThat(breaker.metrics().totalCalls()).as("nothing recorded").isZero();
    }

    @Test
    void adaptiveTimeout_followsTheHighPercentileOfSuccesses_withinItsBounds() {
        Breaker breaker = Breaker.of("adaptive", config().adaptiveTimeout(AdaptiveTimeout.defaults()
                .withBounds(Duration.ofMillis(10), Duration.ofSeconds(5)).withWindow(Duration.ofSeconds(60), 100))
                .build());
        assertThat(breaker.timeoutNanos()).as("too few calls: the maximum").isEqualTo(Duration.ofSeconds(5).toNanos());

        for (int i = 0; i < 1_000; i++) {
            long millis = i % 100 < 99 ? 20 : 200;
            breaker.recordSuccess(breaker.acquirePermit(), Duration.ofMillis(millis).toNanos());
        }
        ticker.advance(Duration.ofMillis(100));

        long limit = breaker.timeoutNanos();
        assertThat(Duration.ofNanos(limit)).as("p99 (a 20 ms bin) times 2").isBetween(Duration.ofMillis(40),
                Duration.ofMillis(48));

        for (int i = 0; i < 1_000; i++) {
            breaker.recordSuccess(breaker.acquirePermit(), Duration.ofMillis(1).toNanos());
        }
        ticker.advance(Duration.ofMillis(100));
        assertThat(breaker.timeoutNanos()).as("never below the minimum").isGreaterThanOrEqualTo(
                Duration.ofMillis(10).toNanos());

        ticker.advance(Duration.ofMinutes(2));
        assertThat(breaker.timeoutNanos()).as("the window forgot them: the maximum again")
                .isEqualTo(Duration.ofSeconds(5).toNanos());
    }

    @Test
    void adaptiveTimeout_aCallSlowerThanTheLearnedLimit_timesOut() {
        Breaker breaker = Breaker.of("learned", config().adaptiveTimeout(AdaptiveTimeout.defaults()
                .withWindow(Duration.ofSeconds(60), 10)).build());
        for (int i = 0; i < 100; i++) {
            breaker.recordSuccess(breaker.acquirePermit(), Duration.ofMillis(30).toNanos());
        }
        ticker.advance(Duration.ofMillis(100));

        assertThatThrownBy(() -> breaker.get(() -> {
            ticker.advance(Duration.ofMillis(500));
            return "slow";
        })).isInstanceOf(CallTimeoutException.class);
    }

    @Test
    void adaptiveTimeout_isValidatedNamingTheOption() {
        assertThatThrownBy(() -> config().adaptiveTimeout(AdaptiveTimeout.defaults().withPercentile(100, 2)).build())
                .hasMessage("adaptiveTimeout.percentile must be in (0, 100), was 100.0");
        assertThatThrownBy(() -> config().adaptiveTimeout(AdaptiveTimeout.defaults()
                .withBounds(Duration.ofSeconds(2), Duration.ofSeconds(1))).build())
                .hasMessage("adaptiveTimeout.max must be at least adaptiveTimeout.min (PT2S), was PT1S");
    }

    @Test
    void noTimeout_byDefault() {
        assertThat(Breaker.of("none", BreakerConfig.ofDefaults()).timeoutNanos()).isZero();
    }

    @Test
    void asyncTimeout_onACompletionExceptionFailure_recordsTheCause() {
        Breaker breaker = Breaker.of("async-failure", BreakerConfig.builder().timeout(Duration.ofSeconds(30))
                .build());
        CompletableFuture<String> source = new CompletableFuture<>();

        CompletionStage<String> answer = breaker.callAsync(() -> source);
        source.completeExceptionally(new IOException("down"));

        assertThatThrownBy(() -> answer.toCompletableFuture().join()).isInstanceOf(CompletionException.class)
                .hasRootCauseInstanceOf(IOException.class);
        assertThat(breaker.metrics().totalFailures()).isOne();
    }
}
