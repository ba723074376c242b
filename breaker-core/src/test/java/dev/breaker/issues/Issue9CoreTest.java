package dev.breaker.issues;

import dev.breaker.Breaker;
import dev.breaker.BreakerConfig;
import dev.breaker.BreakerEvent;
import dev.breaker.BreakerMetrics;
import dev.breaker.CallNotPermittedException;
import dev.breaker.CircuitState;
import dev.breaker.EventType;
import dev.breaker.FakeTicker;
import dev.breaker.InvalidConfigException;
import dev.breaker.RejectionReason;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static dev.breaker.CircuitState.CLOSED;
import static dev.breaker.CircuitState.HALF_OPEN;
import static dev.breaker.CircuitState.OPEN;
import static dev.breaker.Concurrently.inParallel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Regression tests for the core defects of issue 9 (hardening). Each one failed on the code before its fix.
 */
@Timeout(60)
class Issue9CoreTest {

    private final FakeTicker ticker = new FakeTicker();

    private BreakerConfig.Builder config() {
        return BreakerConfig.builder().ticker(ticker).clock(ticker.clock());
    }

    /** Opens {@code breaker} with one recorded failure and lets its wait pass. */
    private void openAndWait(Breaker breaker) {
        breaker.reset();
        breaker.recordFailure(breaker.acquirePermit(), 0, new IOException("down"));
        assertThat(breaker.state()).isEqualTo(OPEN);
        ticker.advance(breaker.config().waitInOpen()).advanceNanos(1);
    }

    private static BreakerConfig.Builder tripsOnFirstFailure(BreakerConfig.Builder builder) {
        return builder.countWindow(1).minimumCalls(1).failureRateThreshold(100).waitInOpen(Duration.ofSeconds(1));
    }

    /** Item 1: a time window never shows a failure without its call. */
    @Nested
    class TimeWindowTornReads {

        @Test
        void concurrentFailuresAfterOneSuccess_neverReachA100PercentFailureRate() throws Exception {
            Breaker breaker = Breaker.of("torn", config().timeWindow(Duration.ofSeconds(60)).minimumCalls(1)
                    .failureRateThreshold(100).build());
            AtomicReference<String> badSnapshot = new AtomicReference<>();
            for (int round = 0; round < 2_000 && badSnapshot.get() == null; round++) {
                breaker.reset();
                breaker.onSuccess(0);
                inParallel(5, thread -> {
                    if (thread == 4) {
                        for (int i = 0; i < 50; i++) {
                            BreakerMetrics m = breaker.metrics();
                            if (m.failedCalls() > m.bufferedCalls() || m.successfulCalls() < 0
                                    || m.failureRate() > 100) {
                                badSnapshot.compareAndSet(null, m.toString());
                            }
                        }
                        return;
                    }
                    for (int i = 0; i < 25; i++) {
                        breaker.onFailure(0, new IOException("down"));
                    }
                });
                assertThat(breaker.state()).as("round %d: one success stays in the window", round)
                        .isEqualTo(CLOSED);
            }
            assertThat(badSnapshot.get()).as("a metrics snapshot with a failure without its call").isNull();
        }
    }

    /** Item 2: a predicate that throws neither leaks the permit nor replaces the call's own outcome. */
    @Nested
    class PredicatesThatThrow {

        private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();

        private Handler capture() {
            Handler handler = new Handler() {
                @Override
                public void publish(LogRecord record) {
                    warnings.add(record);
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
            Logger.getLogger(Breaker.class.getName()).addHandler(handler);
            return handler;
        }

        @Test
        void failurePredicateThrowing_callerSeesTheCallsOwnError_andTheTrialPermitIsRecordedAsAFailure() {
            Breaker breaker = Breaker.of("predicate", tripsOnFirstFailure(config())
                    .failurePredicate(error -> ((IllegalStateException) error).getMessage() != null).build());
            Handler handler = capture();
            try {
                openAndWait(breaker);
                IOException own = new IOException("downstream said no");
                assertThatThrownBy(() -> breaker.call(() -> {
                    throw own;
                })).isSameAs(own);

                assertThat(breaker.state()).as("the trial's failure reopened it").isEqualTo(OPEN);
                assertThat(breaker.metrics().totalFailures()).isEqualTo(2);

                ticker.advance(Duration.ofSeconds(2));
                for (int i = 0; i < 3; i++) {
                    ticker.advance(Duration.ofSeconds(2));
                    assertThatThrownBy(() -> breaker.call(() -> {
                        throw own;
                    })).isSameAs(own);
                }
                assertThat(warnings).as("one warning per breaker per minute").hasSize(1);
                assertThat(warnings.get(0).getMessage()).contains("predicate", "failurePredicate");
                assertThat(warnings.get(0).getThrown()).isInstanceOf(ClassCastException.class);

                ticker.advance(Duration.ofMinutes(1));
                assertThatThrownBy(() -> breaker.call(() -> {
                    throw own;
                })).isSameAs(own);
                assertThat(warnings).as("again after a minute").hasSize(2);
            } finally {
                Logger.getLogger(Breaker.class.getName()).removeHandler(handler);
            }
        }

        @Test
        void resultPredicateThrowing_callerGetsTheResult_andTheCallCountsAsAFailure() throws Exception {
            Breaker breaker = Breaker.of("result-predicate", tripsOnFirstFailure(config())
                    .failureResultPredicate(result -> ((Integer) result) < 0).build());
            openAndWait(breaker);

            assertThat(breaker.call(() -> "not an integer")).isEqualTo("not an integer");

            assertThat(breaker.state()).as("recorded as a failed trial, not leaked").isEqualTo(OPEN);
        }
    }

    /** Item 3: callAsync with a supplier that returns null. */
    @Nested
    class CallAsyncSupplierReturningNull {

        @Test
        void givesItsTrialPermitBack_andAnswersWithAnErrorNamingTheBreaker() {
            Breaker breaker = Breaker.of("async", tripsOnFirstFailure(config()).halfOpenCalls(1).build());
            openAndWait(breaker);

            CompletionStage<String> stage = breaker.callAsync(() -> null);

            assertThat(stage.toCompletableFuture()).isCompletedExceptionally();
            assertThatThrownBy(() -> stage.toCompletableFuture().join()).hasCauseInstanceOf(NullPointerException.class)
                    .hasMessageContaining("'async'").hasMessageContaining("returned null");
            assertThat(breaker.state()).isEqualTo(HALF_OPEN);
            assertThat(Breaker.isPermitted(breaker.acquirePermit())).as("the only trial permit came back").isTrue();
        }

        @Test
        void supplierThrowing_isRecorded_andItsOwnErrorAnswers() {
            Breaker breaker = Breaker.of("async-throws", tripsOnFirstFailure(config()).halfOpenCalls(1).build());
            openAndWait(breaker);
            IOException own = new IOException("synchronously");

            CompletionStage<String> stage = breaker.callAsync(() -> {
                throw new java.io.UncheckedIOException(own);
            });

            assertThatThrownBy(() -> stage.toCompletableFuture().join()).hasRootCause(own);
            assertThat(breaker.state()).as("the trial permit was recorded as a failure").isEqualTo(OPEN);
        }
    }

    /** Item 4: more trial calls than a trial window holds. */
    @Test
    void halfOpenCallsBeyondATrialWindow_areRefusedByBuild() {
        assertThatThrownBy(() -> config().halfOpenCalls(2_000_000).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("halfOpenCalls must be in [1, 1048576], was 2000000");
    }

    /** Item 5: listeners see each breaker's transitions in the order they happened. */
    @Test
    void slowListenerOnTheHalfOpeningThread_isNotOvertakenByALaterTransition() throws Exception {
        Breaker breaker = Breaker.of("ordered", tripsOnFirstFailure(config()).halfOpenCalls(1).build());
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch halfOpenBeingDelivered = new CountDownLatch(1);
        CountDownLatch releaseListener = new CountDownLatch(1);
        breaker.addListener(EnumSet.of(EventType.STATE_TRANSITION), event -> {
            BreakerEvent.StateTransition transition = (BreakerEvent.StateTransition) event;
            if (transition.to() == HALF_OPEN) {
                halfOpenBeingDelivered.countDown();
                await(releaseListener);
            }
            seen.add(transition.from() + "->" + transition.to());
        });
        breaker.recordFailure(breaker.acquirePermit(), 0, new IOException("down"));
        ticker.advance(Duration.ofSeconds(2));

        Thread halfOpener = new Thread(breaker::acquirePermit, "half-opener");
        halfOpener.start();
        assertThat(halfOpenBeingDelivered.await(10, TimeUnit.SECONDS)).isTrue();
        long trial = breaker.acquirePermit();
        breaker.recordSuccess(trial, 0);
        assertThat(breaker.state()).isEqualTo(CLOSED);
        releaseListener.countDown();
        halfOpener.join(10_000);

        assertThat(halfOpener.isAlive()).isFalse();
        assertThat(seen).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
    }

    /** Item 6: a rejection names the state that rejected it and that state's retry-after. */
    @Nested
    class RejectionNamesTheRejectingState {

        @Test
        void rejectionDescribedAfterTheBreakerClosed_stillNamesOpen_andRetryNow() {
            Breaker breaker = Breaker.of("rejecting", tripsOnFirstFailure(config())
                    .waitInOpen(Duration.ofSeconds(30)).build());
            breaker.recordFailure(breaker.acquirePermit(), 0, new IOException("down"));
            ticker.advance(Duration.ofSeconds(10));
            long rejection = breaker.acquirePermit();

            CallNotPermittedException whileOpen = breaker.rejection(rejection);
            assertThat(whileOpen.state()).isEqualTo(OPEN);
            assertThat(whileOpen.reason()).isEqualTo(RejectionReason.OPEN);
            assertThat(whileOpen.retryAfter()).contains(Duration.ofSeconds(20));
            assertThat(whileOpen.getMessage()).isEqualTo("Breaker 'rejecting' is OPEN and permits no calls for "
                    + "another 20.0s");

            breaker.reset();
            CallNotPermittedException afterReset = breaker.rejection(rejection);
            assertThat(afterReset.state()).isEqualTo(OPEN);
            assertThat(afterReset.retryAfter()).contains(Duration.ZERO);
        }

        @Test
        void helperRejection_namesHalfOpenTrialsInFlight_notTheStateSeenLater() {
            Breaker breaker = Breaker.of("trials", tripsOnFirstFailure(config()).halfOpenCalls(1).build());
            openAndWait(breaker);
            long trial = breaker.acquirePermit();

            assertThatThrownBy(() -> breaker.get(() -> "x")).isInstanceOfSatisfying(
                    CallNotPermittedException.class, e -> {
                        assertThat(e.state()).isEqualTo(HALF_OPEN);
                        assertThat(e.reason()).isEqualTo(RejectionReason.TRIAL_CALLS_IN_FLIGHT);
                        assertThat(e.retryAfter()).contains(Duration.ZERO);
                    });
            breaker.recordSuccess(trial, 0);
        }

        @Test
        void sharedRejection_tellsTheRetryAfterAsOfWhenItIsAsked() {
            Breaker breaker = Breaker.of("shared", tripsOnFirstFailure(config())
                    .waitInOpen(Duration.ofSeconds(30)).build());
            breaker.recordFailure(breaker.acquirePermit(), 0, new IOException("down"));
            CallNotPermittedException first = breaker.rejection(breaker.acquirePermit());
            ticker.advance(Duration.ofSeconds(25));
            CallNotPermittedException second = breaker.rejection(breaker.acquirePermit());

            assertThat(second).as("allocation-free: one exception per rejecting state").isSameAs(first);
            assertThat(second.retryAfter()).contains(Duration.ofSeconds(5));
        }

        @Test
        void rejectionOfAPermit_isRefused() {
            Breaker breaker = Breaker.of("permit", config().build());
            long permit = breaker.acquirePermit();

            assertThatThrownBy(() -> breaker.rejection(permit)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is a permit");
            assertThatThrownBy(() -> breaker.recordSuccess(-5, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is a rejection");
        }
    }

    /** Item 8: trial calls in flight never exceed the trial calls, across re-openings. */
    @Nested
    class HalfOpenBoundedAcrossGenerations {

        @Test
        void sixteenThreads_earlyTrialVerdicts_neverMoreTrialCallsInsideTheDownstreamThanHalfOpenCalls()
                throws Exception {
            int halfOpenCalls = 10;
            Breaker breaker = Breaker.of("bounded", config().countWindow(20).minimumCalls(2)
                    .failureRateThreshold(50).halfOpenCalls(halfOpenCalls).waitInOpen(Duration.ofMillis(1))
                    .build());
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger trialsInside = new AtomicInteger();
            AtomicInteger maxTrialsInside = new AtomicInteger();
            AtomicInteger halfOpenings = new AtomicInteger();
            breaker.addListener(EnumSet.of(EventType.STATE_TRANSITION), event -> {
                if (((BreakerEvent.StateTransition) event).to() == HALF_OPEN) {
                    halfOpenings.incrementAndGet();
                }
            });

            inParallel(16, thread -> {
                SplittableRandom random = new SplittableRandom(thread);
                for (int call = 0; call < 3_000; call++) {
                    ticker.advanceNanos(50_000);
                    long permit = breaker.acquirePermit();
                    if (!Breaker.isPermitted(permit)) {
                        continue;
                    }
                    boolean trial = Breaker.isTrial(permit);
                    inside.incrementAndGet();
                    if (trial) {
                        maxTrialsInside.accumulateAndGet(trialsInside.incrementAndGet(), Math::max);
                    }
                    // Half of the trial calls outlive their trial: they return once the breaker has opened and
                    // half-opened twice more (or after a bounded spin), while the other half decide it early.
                    int holdUntil = halfOpenings.get() + 2;
                    int spins = trial && random.nextBoolean() ? 200_000 : random.nextInt(200);
                    for (; spins > 0 && halfOpenings.get() < holdUntil; spins--) {
                        Thread.onSpinWait();
                    }
                    if (trial) {
                        trialsInside.decrementAndGet();
                    }
                    inside.decrementAndGet();
                    if (random.nextInt(3) == 0) {
                        breaker.recordFailure(permit, 0, new IOException("down"));
                    } else {
                        breaker.recordSuccess(permit, 0);
                    }
                }
            });

            assertThat(halfOpenings.get()).as("half-openings exercised").isGreaterThan(100);
            assertThat(maxTrialsInside.get()).as("trial calls inside the downstream at once")
                    .isLessThanOrEqualTo(halfOpenCalls);
            assertThat(inside.get()).as("nothing stuck inside").isZero();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
