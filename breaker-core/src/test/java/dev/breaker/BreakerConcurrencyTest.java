package dev.breaker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static dev.breaker.Concurrently.inParallel;
import static dev.breaker.CircuitState.CLOSED;
import static dev.breaker.CircuitState.DISABLED;
import static dev.breaker.CircuitState.FORCED_OPEN;
import static dev.breaker.CircuitState.HALF_OPEN;
import static dev.breaker.CircuitState.OPEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Multi-threaded stress tests of {@link Breaker} that check invariants rather than schedules: half-open admission
 * stays bounded, every transition happens and is counted exactly once, outcomes are conserved, an outcome of a
 * call admitted by an earlier state never decides a later one, and an {@link Error} never leaks a trial permit.
 *
 * <p>Time is a {@link FakeTicker} moved by the tests; threads start together on a barrier; nothing sleeps.
 */
@Timeout(60)
class BreakerConcurrencyTest {

    private static final int THREADS = 6;
    private static final Duration WAIT = Duration.ofSeconds(1);
    /** An open breaker half-opens on the first call strictly after its wait. */
    private static final long PAST_WAIT = WAIT.toNanos() + 1;

    private static final RuntimeException RECORDED = new RecordedException();
    private static final RuntimeException IGNORED = new IgnoredException();
    private static final Object BAD_RESULT = new Object();
    private static final Supplier<String> SUCCEEDING = () -> "ok";
    private static final Supplier<String> FAILING = () -> {
        throw RECORDED;
    };
    private static final Supplier<String> IGNORING = () -> {
        throw IGNORED;
    };

    /** The breaker's current state object: tells which state granted a permit (its generation). */
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.privateLookupIn(Breaker.class, MethodHandles.lookup())
                    .findVarHandle(Breaker.class, "state", State.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final FakeTicker ticker = new FakeTicker();

    private BreakerConfig.Builder config() {
        return BreakerConfig.builder()
                .ticker(ticker)
                .clock(ticker.clock())
                .waitInOpen(WAIT)
                .ignoreExceptions(IgnoredException.class);
    }

    /** A breaker that opens on its first failure while closed and waits for all trial calls when half-open. */
    private BreakerConfig.Builder tripsOnFirstFailure(int halfOpenCalls) {
        return config().countWindow(10).minimumCalls(10).consecutiveFailures(1).halfOpenCalls(halfOpenCalls);
    }

    // ---------------------------------------------------------------------------------------------------------
    // (a) Half-open admission is bounded.

    @ParameterizedTest(name = "halfOpenCalls {0}")
    @ValueSource(ints = {1, 2, 3, 8})
    void halfOpen_permitsHeldUnderContention_exactlyHalfOpenCallsGranted(int halfOpenCalls) throws Exception {
        Breaker breaker = Breaker.of("held", tripsOnFirstFailure(halfOpenCalls).build());
        Transitions transitions = Transitions.of(breaker);
        breaker.onFailure(0, RECORDED);
        assertThat(breaker.state()).isEqualTo(OPEN);
        int attemptsPerThread = 2_000;

        for (int round = 0; round < 30; round++) {
            ticker.advanceNanos(PAST_WAIT);
            long rejectedBefore = breaker.metrics().totalNotPermitted();
            long halfOpensBefore = transitions.count(OPEN, HALF_OPEN);
            Set<Long> permits = ConcurrentHashMap.newKeySet();
            LongAdder granted = new LongAdder();

            inParallel(THREADS, thread -> {
                for (int i = 0; i < attemptsPerThread; i++) {
                    if ((i + thread) % 2 == 0) {
                        if (breaker.tryAcquire()) {
                            granted.increment();
                        }
                    } else {
                        long permit = breaker.acquirePermit();
                        if (permit >= 0) {
                            granted.increment();
                            permits.add(permit);
                        }
                    }
                }
            });

            assertThat(granted.sum()).as("round %d: permits granted", round).isEqualTo(halfOpenCalls);
            assertThat(breaker.state()).isEqualTo(HALF_OPEN);
            assertThat(permits).as("generations of the permits").hasSizeLessThanOrEqualTo(1);
            assertThat(transitions.count(OPEN, HALF_OPEN) - halfOpensBefore).as("OPEN -> HALF_OPEN").isOne();
            assertThat(breaker.metrics().totalNotPermitted() - rejectedBefore)
                    .isEqualTo((long) THREADS * attemptsPerThread - halfOpenCalls);

            for (int i = 0; i < halfOpenCalls; i++) {
                breaker.onFailure(0, RECORDED);
            }
            assertThat(breaker.state()).isEqualTo(OPEN);
        }
        transitions.assertConsistentWith(breaker);
    }

    /**
     * Round after round, threads released together contend for one half-open trial: they acquire, hold and
     * complete calls (success, failure, ignored error, release) with the generation-aware protocol until the trial
     * is decided. For every half-open generation: the calls in flight never exceed the trial permits, and it grants
     * no more than its permits plus those given back. A permit granted after the trial was decided comes from a
     * closed state, which admits without limit, and is not checked: the state that granted a permit is learnt by
     * reading the breaker's state right after the grant (when its generation is the permit's, that state granted
     * it).
     */
    @Test
    void halfOpen_callsAcquiredAndCompletedConcurrently_inFlightNeverExceedsTrialPermitsPerGeneration()
            throws Exception {
        int halfOpenCalls = 3;
        Breaker breaker = Breaker.of("in-flight", tripsOnFirstFailure(halfOpenCalls).build());
        Map<Long, Generation> generations = new ConcurrentHashMap<>();

        for (int round = 0; round < 200; round++) {
            if (breaker.state() != OPEN) {
                breaker.reset();
                breaker.recordFailure(breaker.acquirePermit(), 0, RECORDED);
            }
            ticker.advanceNanos(PAST_WAIT); // the first caller half-opens it
            int seed = round;
            inParallel(THREADS, thread -> {
                SplittableRandom random = new SplittableRandom(seed * 31L + thread);
                for (int attempt = 0; attempt < 5_000; attempt++) {
                    long permit = breaker.acquirePermit();
                    if (permit < 0) {
                        if (breaker.state() != HALF_OPEN) {
                            return; // decided: opened again
                        }
                        Thread.yield();
                        continue;
                    }
                    State granting = (State) STATE.getVolatile(breaker);
                    long granted = State.generationOfPermit(permit);
                    Generation generation = generations.computeIfAbsent(granted, g -> new Generation());
                    if (granting.generation == granted) {
                        generation.kind = granting.kind;
                    }
                    generation.granted.increment();
                    generation.maxInFlight.accumulateAndGet(generation.inFlight.incrementAndGet(), Math::max);
                    // Holds the permit a bounded while, until every trial permit is in flight or the trial is over.
                    for (int wait = random.nextInt(50); wait > 0 && generation.inFlight.get() < halfOpenCalls
                            && ((State) STATE.getVolatile(breaker)).generation == granted; wait--) {
                        Thread.yield();
                    }
                    int choice = random.nextInt(20);
                    generation.inFlight.decrementAndGet();
                    if (choice < 8) {
                        breaker.recordSuccess(permit, 0);
                    } else if (choice < 14) {
                        breaker.recordFailure(permit, 0, RECORDED);
                    } else if (choice < 17) {
                        generation.givenBack.increment();
                        breaker.recordFailure(permit, 0, IGNORED);
                    } else {
                        generation.givenBack.increment();
                        breaker.release(permit);
                    }
                    if (breaker.state() != HALF_OPEN) {
                        return; // decided
                    }
                }
            });
        }

        List<Map.Entry<Long, Generation>> halfOpen = generations.entrySet().stream()
                .filter(entry -> entry.getValue().kind == HALF_OPEN).toList();
        assertThat(halfOpen).as("half-open generations observed").hasSizeGreaterThan(100);
        for (Map.Entry<Long, Generation> entry : halfOpen) {
            Generation generation = entry.getValue();
            assertThat(generation.maxInFlight.get()).as("calls in flight in half-open generation %d", entry.getKey())
                    .isLessThanOrEqualTo(halfOpenCalls);
            assertThat(generation.granted.sum()).as("permits granted by half-open generation %d", entry.getKey())
                    .isLessThanOrEqualTo(halfOpenCalls + generation.givenBack.sum());
        }
        assertThat(halfOpen.stream().filter(entry -> entry.getValue().maxInFlight.get() == halfOpenCalls).count())
                .as("half-open generations that had every trial permit in flight at once").isPositive();
    }

    // ---------------------------------------------------------------------------------------------------------
    // (b) No lost (or duplicated) transitions.

    @Test
    void failuresFromManyThreads_openAClosedBreakerExactlyOnce_roundAfterRound() throws Exception {
        // The failure-rate and consecutive-failure thresholds race each other to open it.
        Breaker breaker = Breaker.of("trip", config().countWindow(50).minimumCalls(50).failureRateThreshold(50)
                .consecutiveFailures(20).build());
        Transitions transitions = Transitions.of(breaker);
        int rounds = 300;
        AtomicReference<Throwable> roundFailure = new AtomicReference<>();
        AtomicInteger round = new AtomicInteger();
        CyclicBarrier endOfRound = new CyclicBarrier(THREADS, () -> {
            try {
                int finished = round.incrementAndGet();
                assertThat(breaker.state()).as("round %d", finished).isEqualTo(OPEN);
                assertThat(transitions.count(CLOSED, OPEN)).as("CLOSED -> OPEN after round %d", finished)
                        .isEqualTo(finished);
                assertThat(transitions.thresholdsExceeded.sum()).as("ThresholdExceeded after round %d", finished)
                        .isEqualTo(finished);
                breaker.reset();
            } catch (Throwable t) {
                roundFailure.compareAndSet(null, t);
            }
        });

        inParallel(THREADS, thread -> {
            for (int r = 0; r < rounds && roundFailure.get() == null; r++) {
                for (int i = 0; i < 20; i++) {
                    switch ((i + thread) % 3) {
                        case 0 -> breaker.onFailure(0, RECORDED);
                        case 1 -> {
                            long permit = breaker.acquirePermit();
                            if (Breaker.isPermitted(permit)) {
                                breaker.recordFailure(permit, 0, RECORDED);
                            }
                        }
                        default -> {
                            try {
                                breaker.get(FAILING);
                            } catch (RecordedException | CallNotPermittedException expected) {
                                // counted by the breaker
                            }
                        }
                    }
                }
                endOfRound.await(10, TimeUnit.SECONDS);
            }
        });

        if (roundFailure.get() != null) {
            throw new AssertionError(roundFailure.get());
        }
        assertThat(transitions.count(OPEN, CLOSED)).isEqualTo(rounds);
        assertThat(transitions.resets.sum()).isEqualTo(rounds);
        transitions.assertConsistentWith(breaker);
    }

    @Test
    void manualControlRacingCallsAndTheClock_everyTransitionCountedAndDeliveredOnce() throws Exception {
        Breaker breaker = Breaker.of("manual", config().countWindow(10).minimumCalls(5).consecutiveFailures(3)
                .halfOpenCalls(2).build());
        Transitions transitions = Transitions.of(breaker);
        LongAdder resets = new LongAdder();

        inParallel(THREADS, thread -> {
            SplittableRandom random = new SplittableRandom(thread);
            for (int i = 0; i < 20_000; i++) {
                if (thread < 2 && i % 4 == 0) {
                    switch (random.nextInt(4)) {
                        case 0 -> {
                            breaker.reset();
                            resets.increment();
                        }
                        case 1 -> breaker.forceOpen();
                        case 2 -> breaker.close();
                        default -> breaker.disable();
                    }
                    continue;
                }
                try {
                    breaker.get(random.nextInt(3) == 0 ? FAILING : SUCCEEDING);
                } catch (RecordedException expected) {
                    // recorded
                } catch (CallNotPermittedException rejected) {
                    if (rejected.state() == OPEN) {
                        ticker.advanceNanos(PAST_WAIT);
                    }
                }
            }
        });

        assertThat(transitions.resets.sum()).as("Reset events").isEqualTo(resets.sum());
        assertThat(transitions.count(CLOSED, OPEN)).as("CLOSED -> OPEN").isPositive();
        assertThat(transitions.count(HALF_OPEN, CLOSED) + transitions.count(HALF_OPEN, OPEN))
                .as("half-open trials decided").isPositive();
        transitions.assertConsistentWith(breaker);
    }

    // ---------------------------------------------------------------------------------------------------------
    // (c) Outcomes conserved.

    @Test
    void everyProtocolFromManyThreads_lifetimeTotalsAddUpToTheCallsMade() throws Exception {
        Breaker breaker = Breaker.of("conserved", config().countWindow(20).minimumCalls(10).failureRateThreshold(50)
                .halfOpenCalls(3).failureResultPredicate(result -> result == BAD_RESULT).build());
        Transitions transitions = Transitions.of(breaker);
        Tally tally = new Tally();

        inParallel(THREADS, thread -> {
            SplittableRandom random = new SplittableRandom(thread);
            for (int i = 0; i < 20_000; i++) {
                Outcome outcome = callOnce(breaker, random);
                tally.count(outcome);
                if (outcome == Outcome.NOT_PERMITTED && breaker.state() == OPEN) {
                    ticker.advanceNanos(PAST_WAIT);
                }
            }
        });

        BreakerMetrics metrics = breaker.metrics();
        assertThat(metrics.totalSuccesses()).as("successes").isEqualTo(tally.of(Outcome.SUCCESS));
        assertThat(metrics.totalFailures()).as("failures").isEqualTo(tally.of(Outcome.FAILURE));
        assertThat(metrics.totalIgnored()).as("ignored").isEqualTo(tally.of(Outcome.IGNORED));
        assertThat(metrics.totalNotPermitted()).as("not permitted").isEqualTo(tally.of(Outcome.NOT_PERMITTED));
        assertThat(metrics.totalCalls())
                .isEqualTo(metrics.totalSuccesses() + metrics.totalFailures() + metrics.totalIgnored()
                        + metrics.totalNotPermitted())
                .isEqualTo(THREADS * 20_000L - tally.of(Outcome.RELEASED));
        assertThat(tally.of(Outcome.NOT_PERMITTED)).as("the breaker did open").isPositive();
        transitions.assertConsistentWith(breaker);
    }

    private enum Outcome { SUCCESS, FAILURE, IGNORED, NOT_PERMITTED, RELEASED }

    /** Makes one call through a randomly chosen protocol and says what the breaker must have counted. */
    private static Outcome callOnce(Breaker breaker, SplittableRandom random) throws Exception {
        switch (random.nextInt(10)) {
            case 0: {
                if (!breaker.tryAcquire()) {
                    return Outcome.NOT_PERMITTED;
                }
                switch (random.nextInt(4)) {
                    case 0:
                        breaker.onSuccess(0);
                        return Outcome.SUCCESS;
                    case 1:
                        breaker.onFailure(0, RECORDED);
                        return Outcome.FAILURE;
                    case 2:
                        breaker.onFailure(0, IGNORED);
                        return Outcome.IGNORED;
                    default:
                        breaker.release();
                        return Outcome.RELEASED;
                }
            }
            case 1: {
                long permit = breaker.acquirePermit();
                if (permit < 0) {
                    return Outcome.NOT_PERMITTED;
                }
                switch (random.nextInt(6)) {
                    case 0:
                        breaker.recordSuccess(permit, 0);
                        return Outcome.SUCCESS;
                    case 1:
                        breaker.recordFailure(permit, 0, RECORDED);
                        return Outcome.FAILURE;
                    case 2:
                        breaker.recordFailure(permit, 0, IGNORED);
                        return Outcome.IGNORED;
                    case 3:
                        breaker.recordResult(permit, 0, BAD_RESULT);
                        return Outcome.FAILURE;
                    case 4:
                        breaker.recordResult(permit, 0, "fine");
                        return Outcome.SUCCESS;
                    default:
                        breaker.release(permit);
                        return Outcome.RELEASED;
                }
            }
            case 2:
                return helper(() -> breaker.get(SUCCEEDING), Outcome.SUCCESS);
            case 3:
                return helper(() -> breaker.get(FAILING), Outcome.FAILURE);
            case 4:
                return helper(() -> breaker.get(IGNORING), Outcome.IGNORED);
            case 5: {
                String answer = breaker.get(FAILING,
                        error -> error instanceof CallNotPermittedException ? "rejected" : "fallback");
                return answer.equals("rejected") ? Outcome.NOT_PERMITTED : Outcome.FAILURE;
            }
            case 6:
                return helper(() -> breaker.run(() -> {
                    throw new AssertionError("an Error is recorded as a failure");
                }), Outcome.FAILURE);
            case 7:
                return helper(() -> {
                    try {
                        breaker.call(() -> BAD_RESULT);
                    } catch (RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }, Outcome.FAILURE);
            case 8: {
                boolean fails = random.nextBoolean();
                Throwable error = breaker.callAsync(() -> fails
                                ? CompletableFuture.<String>failedFuture(RECORDED)
                                : CompletableFuture.completedFuture("ok"))
                        .toCompletableFuture().handle((result, failure) -> failure).join();
                if (error instanceof CallNotPermittedException) {
                    return Outcome.NOT_PERMITTED;
                }
                return fails ? Outcome.FAILURE : Outcome.SUCCESS;
            }
            default: {
                CompletableFuture<String> pending = new CompletableFuture<>();
                CompletableFuture<String> stage = breaker.callAsync(() -> pending).toCompletableFuture();
                if (stage.isCompletedExceptionally()) {
                    return Outcome.NOT_PERMITTED;
                }
                pending.cancel(false);
                return Outcome.RELEASED;
            }
        }
    }

    private static Outcome helper(Runnable call, Outcome outcome) {
        try {
            call.run();
        } catch (CallNotPermittedException rejected) {
            return Outcome.NOT_PERMITTED;
        } catch (RecordedException | IgnoredException | AssertionError expected) {
            // the outcome the caller named
        }
        return outcome;
    }

    // ---------------------------------------------------------------------------------------------------------
    // (d) Generation-aware permits.

    @Test
    void stalePermitOfAClosedCall_changesNoHalfOpenDecision() {
        Breaker breaker = Breaker.of("stale", tripsOnFirstFailure(2).build());
        Transitions transitions = Transitions.of(breaker);
        long closedPermit = breaker.acquirePermit();
        breaker.recordFailure(breaker.acquirePermit(), 0, RECORDED);
        assertThat(breaker.state()).isEqualTo(OPEN);
        ticker.advanceNanos(PAST_WAIT);
        long firstTrial = breaker.acquirePermit();
        assertThat(breaker.state()).isEqualTo(HALF_OPEN);

        breaker.recordFailure(closedPermit, 0, RECORDED);
        breaker.recordResult(closedPermit, 0, "late");
        breaker.release(closedPermit);

        BreakerMetrics metrics = breaker.metrics();
        assertThat(metrics.state()).isEqualTo(HALF_OPEN);
        assertThat(metrics.bufferedCalls()).isZero();
        assertThat(metrics.failedCalls()).isZero();
        assertThat(metrics.totalFailures()).isEqualTo(2);
        assertThat(metrics.totalSuccesses()).isEqualTo(1);
        long secondTrial = breaker.acquirePermit();
        assertThat(secondTrial).isNotNegative();
        assertThat(breaker.acquirePermit()).as("the stale release gave no permit back")
                .isNegative();

        breaker.recordSuccess(firstTrial, 0);
        breaker.recordSuccess(secondTrial, 0);
        assertThat(breaker.state()).isEqualTo(CLOSED);
        assertThat(transitions.count(HALF_OPEN, OPEN)).isZero();
    }

    @Test
    void closedCallsFailingAfterTheBreakerHalfOpened_doNotDecideTheTrial() throws Exception {
        int halfOpenCalls = 2;
        Breaker breaker = Breaker.of("stale-helpers", tripsOnFirstFailure(halfOpenCalls).build());
        Transitions transitions = Transitions.of(breaker);
        CountDownLatch inside = new CountDownLatch(THREADS);
        CountDownLatch proceed = new CountDownLatch(1);
        AtomicInteger thrown = new AtomicInteger();
        List<Thread> callers = startAll(THREADS, () -> {
            try {
                breaker.get(() -> {
                    inside.countDown();
                    await(proceed);
                    throw RECORDED;
                });
            } catch (RecordedException expected) {
                thrown.incrementAndGet();
            }
        });
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

        breaker.recordFailure(breaker.acquirePermit(), 0, RECORDED);
        ticker.advanceNanos(PAST_WAIT);
        long[] trial = acquireAll(breaker, halfOpenCalls);
        assertThat(breaker.state()).isEqualTo(HALF_OPEN);

        proceed.countDown();
        joinAll(callers);

        assertThat(thrown).hasValue(THREADS);
        BreakerMetrics metrics = breaker.metrics();
        assertThat(metrics.state()).isEqualTo(HALF_OPEN);
        assertThat(metrics.bufferedCalls()).isZero();
        assertThat(metrics.totalFailures()).isEqualTo(THREADS + 1);
        assertThat(breaker.acquirePermit()).isNegative();
        for (long permit : trial) {
            breaker.recordSuccess(permit, 0);
        }
        assertThat(breaker.state()).isEqualTo(CLOSED);
        assertThat(transitions.count(HALF_OPEN, OPEN)).isZero();
        assertThat(transitions.count(HALF_OPEN, CLOSED)).isOne();
    }

    @Test
    void trialCallsOfATimedOutHalfOpen_doNotDecideTheNextTrial() throws Exception {
        int halfOpenCalls = 3;
        Breaker breaker = Breaker.of("stale-trials", tripsOnFirstFailure(halfOpenCalls)
                .maxWaitInHalfOpen(Duration.ofSeconds(5)).build());
        Transitions transitions = Transitions.of(breaker);
        breaker.recordFailure(breaker.acquirePermit(), 0, RECORDED);
        ticker.advanceNanos(PAST_WAIT);
        CountDownLatch inside = new CountDownLatch(halfOpenCalls);
        CountDownLatch proceed = new CountDownLatch(1);
        AtomicInteger thrown = new AtomicInteger();
        List<Thread> firstTrial = startAll(halfOpenCalls, () -> {
            try {
                breaker.get(() -> {
                    inside.countDown();
                    await(proceed);
                    throw RECORDED;
                });
            } catch (RecordedException expected) {
                thrown.incrementAndGet();
            }
        });
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(breaker.state()).isEqualTo(HALF_OPEN);
        assertThat(breaker.acquirePermit()).isNegative();

        ticker.advance(Duration.ofSeconds(5)).advanceNanos(1);
        assertThat(breaker.acquirePermit()).as("timed out: opens again").isNegative();
        assertThat(breaker.state()).isEqualTo(OPEN);
        ticker.advanceNanos(PAST_WAIT);
        long[] secondTrial = acquireAll(breaker, halfOpenCalls);
        assertThat(breaker.state()).isEqualTo(HALF_OPEN);

        proceed.countDown();
        joinAll(firstTrial);

        assertThat(thrown).hasValue(halfOpenCalls);
        assertThat(breaker.state()).isEqualTo(HALF_OPEN);
        assertThat(breaker.metrics().bufferedCalls()).isZero();
        assertThat(breaker.acquirePermit()).isNegative();
        for (long permit : secondTrial) {
            breaker.recordSuccess(permit, 0);
        }
        assertThat(breaker.state()).isEqualTo(CLOSED);
        assertThat(transitions.count(HALF_OPEN, OPEN)).as("only the time-out reopened it").isOne();
    }

    // ---------------------------------------------------------------------------------------------------------
    // (e) Errors are recorded; no trial permit leaks.

    static Stream<Error> errors() {
        return Stream.of(new AssertionError("assertion"), new StackOverflowError(), new OutOfMemoryError("simulated"));
    }

    @ParameterizedTest
    @MethodSource("errors")
    void errorInTheOnlyTrialCall_isRecordedAsAFailure_andReopens(Error error) {
        Breaker breaker = openPastItsWait(tripsOnFirstFailure(1));
        Transitions transitions = Transitions.of(breaker);
        long failuresBefore = breaker.metrics().totalFailures();

        assertThatThrownBy(() -> breaker.run(() -> {
            throw error;
        })).isSameAs(error);

        assertThat(breaker.state()).isEqualTo(OPEN);
        assertThat(breaker.metrics().totalFailures()).isEqualTo(failuresBefore + 1);
        assertThat(transitions.reasons).containsExactly(TransitionReason.WAIT_IN_OPEN_ELAPSED,
                TransitionReason.TRIAL_CALLS_FAILED);
    }

    @ParameterizedTest
    @MethodSource("errors")
    void errorInOneOfTwoTrialCalls_isRecorded_andItsPermitIsNotGivenBack(Error error) {
        Breaker breaker = openPastItsWait(tripsOnFirstFailure(2));

        assertThatThrownBy(() -> breaker.get(() -> {
            throw error;
        })).isSameAs(error);

        BreakerMetrics metrics = breaker.metrics();
        assertThat(metrics.state()).isEqualTo(HALF_OPEN);
        assertThat(metrics.bufferedCalls()).isOne();
        assertThat(metrics.failedCalls()).isOne();
        assertThat(breaker.acquirePermit()).isNotNegative();
        assertThat(breaker.acquirePermit()).isNegative();
    }

    static Stream<Consumer<Breaker>> helpersThrowingAnError() {
        return Stream.of(
                breaker -> breaker.run(() -> {
                    throw new AssertionError("run");
                }),
                breaker -> breaker.get(() -> {
                    throw new AssertionError("get");
                }),
                breaker -> {
                    try {
                        breaker.call(() -> {
                            throw new AssertionError("call");
                        });
                    } catch (Exception e) {
                        throw new IllegalStateException("an Error, not an Exception, was thrown", e);
                    }
                },
                breaker -> breaker.callAsync(() -> {
                    throw new AssertionError("callAsync");
                }),
                breaker -> breaker.callAsync(() -> CompletableFuture.failedFuture(new AssertionError("stage"))));
    }

    @ParameterizedTest
    @MethodSource("helpersThrowingAnError")
    void everyHelper_recordsAnErrorInTheOnlyTrialCall(Consumer<Breaker> call) {
        Breaker breaker = openPastItsWait(tripsOnFirstFailure(1));

        try {
            call.accept(breaker);
        } catch (AssertionError expected) {
            // the helpers that answer synchronously rethrow it
        }

        assertThat(breaker.state()).as("the failed trial reopens the breaker").isEqualTo(OPEN);
        assertThat(breaker.metrics().totalFailures()).isEqualTo(2);
    }

    @Test
    void errorNotAmongTheRecordedExceptions_countsAsASuccess_andUsesItsPermit() {
        Breaker breaker = Breaker.of("trial", tripsOnFirstFailure(1).recordExceptions(IOException.class).build());
        breaker.recordFailure(breaker.acquirePermit(), 0, new IOException("recorded"));
        assertThat(breaker.state()).isEqualTo(OPEN);
        ticker.advanceNanos(PAST_WAIT);
        AssertionError error = new AssertionError("not recorded as a failure");

        assertThatThrownBy(() -> breaker.run(() -> {
            throw error;
        })).isSameAs(error);

        assertThat(breaker.state()).isEqualTo(CLOSED);
        assertThat(breaker.metrics().totalSuccesses()).isOne();
    }

    @Test
    void ignoredExceptionInATrialCall_givesItsPermitBack() {
        Breaker breaker = openPastItsWait(tripsOnFirstFailure(1));

        assertThatThrownBy(() -> breaker.run(() -> {
            throw IGNORED;
        })).isSameAs(IGNORED);
        assertThat(breaker.callAsync(() -> CompletableFuture.failedFuture(IGNORED)).toCompletableFuture())
                .isCompletedExceptionally();

        BreakerMetrics metrics = breaker.metrics();
        assertThat(metrics.state()).isEqualTo(HALF_OPEN);
        assertThat(metrics.bufferedCalls()).isZero();
        assertThat(metrics.totalIgnored()).isEqualTo(2);
        long permit = breaker.acquirePermit();
        assertThat(permit).as("the permit came back").isNotNegative();
        assertThat(breaker.acquirePermit()).isNegative();
        breaker.recordSuccess(permit, 0);
        assertThat(breaker.state()).isEqualTo(CLOSED);
    }

    /**
     * Round after round, threads make trial calls that throw Errors, ignored exceptions or succeed. Whenever the
     * round ends half-open, the permits still available plus the outcomes the trial window holds must be exactly
     * the trial permits: none leaked, none duplicated.
     */
    @Test
    void trialCallsThrowingErrorsOrIgnoredExceptionsConcurrently_neverLeakAPermit() throws Exception {
        int halfOpenCalls = 3;
        Breaker breaker = Breaker.of("errors", tripsOnFirstFailure(halfOpenCalls).build());
        Error[] fatal = {new AssertionError("fatal"), new StackOverflowError(), new OutOfMemoryError("simulated")};
        int checkedRounds = 0;

        for (int round = 0; round < 300; round++) {
            if (breaker.state() == CLOSED) {
                breaker.recordFailure(breaker.acquirePermit(), 0, RECORDED);
            }
            ticker.advanceNanos(PAST_WAIT); // open and past its wait: the first caller half-opens it
            int seed = round;
            inParallel(THREADS, thread -> {
                SplittableRandom random = new SplittableRandom(seed * 31L + thread);
                int choice = random.nextInt(20);
                try {
                    breaker.run(() -> {
                        if (choice < 5) {
                            throw fatal[choice % fatal.length];
                        }
                        if (choice < 17) {
                            throw IGNORED;
                        }
                    });
                } catch (CallNotPermittedException | IgnoredException | AssertionError | StackOverflowError
                         | OutOfMemoryError expected) {
                    // counted by the breaker
                }
            });

            if (breaker.state() == HALF_OPEN) {
                checkedRounds++;
                long buffered = breaker.metrics().bufferedCalls();
                List<Long> available = new ArrayList<>();
                for (long permit; (permit = breaker.acquirePermit()) >= 0; ) {
                    available.add(permit);
                    assertThat(available).hasSizeLessThanOrEqualTo(halfOpenCalls);
                }
                assertThat(available.size() + buffered).as("round %d: permits left + outcomes held", round)
                        .isEqualTo(halfOpenCalls);
                for (long permit : available) {
                    breaker.recordFailure(permit, 0, RECORDED);
                }
                assertThat(breaker.state()).as("the completed trial decided").isIn(OPEN, CLOSED);
            }
        }
        assertThat(checkedRounds).as("rounds that ended half-open").isGreaterThan(30);
    }

    // ---------------------------------------------------------------------------------------------------------
    // The breaker-level effect of a count window's transient counts.

    /**
     * With slow-call detection off no call is ever slow, so no opening may give a slow-call rate as its reason.
     * A six-call window with a 100 % threshold and 20 % failures makes concurrent writers lap each other on its
     * slots while it rarely opens for real. Stops at the first wrong opening.
     */
    @Test
    void slowCallDetectionOff_concurrentOutcomesNeverOpenForSlowCalls() throws Exception {
        Breaker breaker = Breaker.of("no-slow-calls", config().countWindow(6).minimumCalls(6)
                .failureRateThreshold(100).build());
        AtomicLongArray reasons = new AtomicLongArray(TransitionReason.values().length);
        breaker.addListener(EnumSet.of(EventType.THRESHOLD_EXCEEDED),
                event -> reasons.incrementAndGet(((BreakerEvent.ThresholdExceeded) event).reason().ordinal()));
        int slowRate = TransitionReason.SLOW_CALL_RATE_EXCEEDED.ordinal();
        int bothRates = TransitionReason.FAILURE_AND_SLOW_CALL_RATES_EXCEEDED.ordinal();

        inParallel(THREADS, thread -> {
            SplittableRandom random = new SplittableRandom(thread);
            for (int i = 0; i < 1_000_000; i++) {
                if (breaker.state() != CLOSED) {
                    if (reasons.get(slowRate) + reasons.get(bothRates) > 0) {
                        return;
                    }
                    breaker.close();
                }
                if (random.nextInt(5) == 0) {
                    breaker.onFailure(0, RECORDED);
                } else {
                    breaker.onSuccess(0);
                }
            }
        });

        assertThat(reasons.get(slowRate)).as("openings for the slow-call rate").isZero();
        assertThat(reasons.get(bothRates)).as("openings for both rates").isZero();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers.

    private Breaker openPastItsWait(BreakerConfig.Builder config) {
        Breaker breaker = Breaker.of("trial", config.build());
        breaker.recordFailure(breaker.acquirePermit(), 0, RECORDED);
        assertThat(breaker.state()).isEqualTo(OPEN);
        ticker.advanceNanos(PAST_WAIT);
        return breaker;
    }

    private static long[] acquireAll(Breaker breaker, int permits) {
        long[] acquired = new long[permits];
        for (int i = 0; i < permits; i++) {
            acquired[i] = breaker.acquirePermit();
            assertThat(acquired[i]).as("trial permit %d", i).isNotNegative();
        }
        return acquired;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<Thread> startAll(int threads, Runnable body) {
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread thread = new Thread(body, "caller-" + i);
            thread.setDaemon(true);
            thread.start();
            started.add(thread);
        }
        return started;
    }

    private static void joinAll(List<Thread> threads) throws InterruptedException {
        for (Thread thread : threads) {
            thread.join(10_000);
            assertThat(thread.isAlive()).as("%s finished", thread.getName()).isFalse();
        }
    }

    /** What one permit-granting generation saw. */
    private static final class Generation {
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final LongAdder granted = new LongAdder();
        final LongAdder givenBack = new LongAdder();
        volatile CircuitState kind;
    }

    private static final class Tally {
        private final LongAdder[] counts = Stream.generate(LongAdder::new).limit(Outcome.values().length)
                .toArray(LongAdder[]::new);

        void count(Outcome outcome) {
            counts[outcome.ordinal()].increment();
        }

        long of(Outcome outcome) {
            return counts[outcome.ordinal()].sum();
        }
    }

    /** Counts the state-changing events of a breaker by edge. */
    static final class Transitions implements BreakerEventListener {
        private static final int KINDS = CircuitState.values().length;
        private static final Set<String> LEGAL = Set.of("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN",
                "HALF_OPEN->CLOSED");

        final AtomicLongArray edges = new AtomicLongArray(KINDS * KINDS);
        final LongAdder total = new LongAdder();
        final LongAdder thresholdsExceeded = new LongAdder();
        final LongAdder resets = new LongAdder();
        final List<TransitionReason> reasons = new java.util.concurrent.CopyOnWriteArrayList<>();

        static Transitions of(Breaker breaker) {
            Transitions transitions = new Transitions();
            breaker.addListener(EnumSet.of(EventType.STATE_TRANSITION, EventType.THRESHOLD_EXCEEDED,
                    EventType.RESET), transitions);
            return transitions;
        }

        @Override
        public void onEvent(BreakerEvent event) {
            if (event instanceof BreakerEvent.StateTransition transition) {
                edges.incrementAndGet(transition.from().ordinal() * KINDS + transition.to().ordinal());
                total.increment();
                if (reasons.size() < 100) {
                    reasons.add(transition.reason());
                }
            } else if (event instanceof BreakerEvent.ThresholdExceeded) {
                thresholdsExceeded.increment();
            } else if (event instanceof BreakerEvent.Reset) {
                resets.increment();
            }
        }

        long count(CircuitState from, CircuitState to) {
            return edges.get(from.ordinal() * KINDS + to.ordinal());
        }

        /**
         * Checks, once the breaker is quiet, that the delivered transitions are the ones it counted, that each is
         * an edge the state machine has, and that together they form one path from CLOSED to the current state:
         * a lost or duplicated transition breaks the balance of some state's entries and exits.
         */
        void assertConsistentWith(Breaker breaker) {
            BreakerMetrics metrics = breaker.metrics();
            assertThat(total.sum()).as("STATE_TRANSITION events delivered")
                    .isEqualTo(metrics.stateTransitions());
            assertThat(thresholdsExceeded.sum()).as("ThresholdExceeded events").isEqualTo(count(CLOSED, OPEN));
            for (CircuitState from : CircuitState.values()) {
                for (CircuitState to : CircuitState.values()) {
                    boolean legal = from != to && (LEGAL.contains(from + "->" + to)
                            || to == CLOSED || to == FORCED_OPEN || to == DISABLED);
                    if (!legal) {
                        assertThat(count(from, to)).as("%s -> %s", from, to).isZero();
                    }
                }
            }
            for (CircuitState kind : CircuitState.values()) {
                long in = 0;
                long out = 0;
                for (CircuitState other : CircuitState.values()) {
                    in += count(other, kind);
                    out += count(kind, other);
                }
                long expected = (kind == metrics.state() ? 1 : 0) - (kind == CLOSED ? 1 : 0);
                assertThat(in - out).as("entries - exits of %s", kind).isEqualTo(expected);
            }
        }
    }

    static final class RecordedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RecordedException() {
            super("recorded", null, false, false);
        }
    }

    static final class IgnoredException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        IgnoredException() {
            super("ignored", null, false, false);
        }
    }
}
