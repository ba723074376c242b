package dev.breaker;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** State-machine scenarios on a fake ticker, through the low-level protocol. */
class BreakerStateMachineTest {

    private static final RuntimeException BOOM = new RuntimeException("boom");

    private final FakeTicker ticker = new FakeTicker();
    private final List<BreakerEvent.StateTransition> transitions = new ArrayList<>();

    private Breaker breaker(BreakerConfig.Builder config) {
        Breaker breaker = Breaker.of("inventory", config.ticker(ticker).clock(ticker.clock()).build());
        breaker.addListener(EnumSet.of(EventType.STATE_TRANSITION),
                event -> transitions.add((BreakerEvent.StateTransition) event));
        return breaker;
    }

    private static void succeed(Breaker breaker, int times) {
        for (int i = 0; i < times; i++) {
            assertThat(breaker.tryAcquire()).isTrue();
            breaker.onSuccess(0);
        }
    }

    private static void fail(Breaker breaker, int times) {
        for (int i = 0; i < times; i++) {
            assertThat(breaker.tryAcquire()).isTrue();
            breaker.onFailure(0, BOOM);
        }
    }

    private Breaker opened(BreakerConfig.Builder config) {
        Breaker breaker = breaker(config.consecutiveFailures(2));
        fail(breaker, 2);
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        return breaker;
    }

    @Test
    void closed_opensWhenTheFailureRateReachesTheThreshold_afterTheMinimumCalls() {
        Breaker breaker = breaker(BreakerConfig.builder().countWindow(10).minimumCalls(4).failureRateThreshold(50));

        fail(breaker, 3);
        assertThat(breaker.state()).as("3 failures but minimum 4").isEqualTo(CircuitState.CLOSED);

        succeed(breaker, 1);
        assertThat(breaker.state()).as("3 of 4 failed").isEqualTo(CircuitState.OPEN);
        assertThat(transitions).singleElement().satisfies(t -> {
            assertThat(t.from()).isEqualTo(CircuitState.CLOSED);
            assertThat(t.to()).isEqualTo(CircuitState.OPEN);
            assertThat(t.reason()).isEqualTo(TransitionReason.FAILURE_RATE_EXCEEDED);
        });
    }

    @Test
    void closed_staysClosedBelowTheThreshold() {
        Breaker breaker = breaker(BreakerConfig.builder().countWindow(10).minimumCalls(10).failureRateThreshold(50));

        for (int i = 0; i < 100; i++) {
            fail(breaker, 4);
            succeed(breaker, 6);
        }

        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(breaker.metrics().failureRate()).isEqualTo(40f);
    }

    @Test
    void closed_opensOnTheSlowCallRate_whenCallsTakeStrictlyLongerThanTheSlowCallDuration() {
        Breaker breaker = breaker(BreakerConfig.builder().countWindow(4).minimumCalls(4)
                .slowCallDuration(Duration.ofMillis(100)).slowCallRateThreshold(50));
        long slowCall = Duration.ofMillis(100).toNanos();

        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onSuccess(slowCall);
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onSuccess(slowCall);
        succeed(breaker, 2);
        assertThat(breaker.state()).as("exactly the slow-call duration is not slow").isEqualTo(CircuitState.CLOSED);

        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onSuccess(slowCall + 1);
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onFailure(slowCall + 1, BOOM);

        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        assertThat(transitions.get(0).reason()).isEqualTo(TransitionReason.SLOW_CALL_RATE_EXCEEDED);
    }

    @Test
    void closed_consecutiveFailures_openWhateverTheRate() {
        Breaker breaker = breaker(BreakerConfig.builder().countWindow(100).minimumCalls(100).consecutiveFailures(3));

        fail(breaker, 2);
        succeed(breaker, 1);
        fail(breaker, 2);
        assertThat(breaker.state()).as("a success breaks the run").isEqualTo(CircuitState.CLOSED);
        assertThat(breaker.metrics().consecutiveFailures()).isEqualTo(2);

        fail(breaker, 1);

        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        assertThat(transitions.get(0).reason()).isEqualTo(TransitionReason.CONSECUTIVE_FAILURES);
    }

    @Test
    void closed_consecutiveFailuresAndRate_whicheverTripsFirst() {
        Breaker breaker = breaker(BreakerConfig.builder().countWindow(4).minimumCalls(4).consecutiveFailures(10));

        fail(breaker, 1);
        succeed(breaker, 1);
        fail(breaker, 2);

        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        assertThat(transitions.get(0).reason()).isEqualTo(TransitionReason.FAILURE_RATE_EXCEEDED);
    }

    @Test
    void open_rejectsUntilTheWaitHasStrictlyPassed_thenTheFirstCallHalfOpens() {
        Breaker breaker = opened(BreakerConfig.builder().waitInOpen(Duration.ofSeconds(10)));

        ticker.advance(Duration.ofSeconds(10));
        assertThat(breaker.tryAcquire()).isFalse();
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);

        ticker.advanceNanos(1);
        assertThat(breaker.state()).as("no background thread moves it").isEqualTo(CircuitState.OPEN);
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(transitions.get(1).reason()).isEqualTo(TransitionReason.WAIT_IN_OPEN_ELAPSED);
    }

    @Test
    void halfOpen_admitsOnlyItsTrialCalls() {
        Breaker breaker = opened(BreakerConfig.builder().halfOpenCalls(3));
        ticker.advance(Duration.ofSeconds(61));

        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.tryAcquire()).isFalse();
        assertThat(breaker.metrics().notPermittedCalls()).isEqualTo(1);
    }

    @Test
    void halfOpen_closesWhenTheTrialCallsPass() {
        Breaker breaker = opened(BreakerConfig.builder().halfOpenCalls(3).failureRateThreshold(50));
        ticker.advance(Duration.ofSeconds(61));

        succeed(breaker, 2);
        fail(breaker, 1);

        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(transitions.get(2).reason()).isEqualTo(TransitionReason.TRIAL_CALLS_SUCCEEDED);
        assertThat(breaker.metrics().bufferedCalls()).as("closed starts with an empty window").isZero();
    }

    @Test
    void halfOpen_opensAgainWhenTheTrialCallsFail() {
        Breaker breaker = opened(BreakerConfig.builder().halfOpenCalls(3).failureRateThreshold(50));
        ticker.advance(Duration.ofSeconds(61));

        succeed(breaker, 1);
        fail(breaker, 2);

        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        assertThat(transitions.get(2).reason()).isEqualTo(TransitionReason.TRIAL_CALLS_FAILED);
    }

    @Test
    void halfOpen_verdictComesAfterTheMinimumCalls_whenFewerThanTheTrialCalls() {
        Breaker breaker = opened(BreakerConfig.builder().halfOpenCalls(5).minimumCalls(2));
        ticker.advance(Duration.ofSeconds(61));

        succeed(breaker, 2);

        assertThat(breaker.state()).as("minimum calls 2 < 5 trial calls").isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void halfOpen_maxWait_opensAgainWhenTrialCallsNeverFinish() {
        Breaker breaker = opened(BreakerConfig.builder().halfOpenCalls(1).maxWaitInHalfOpen(Duration.ofSeconds(30)));
        ticker.advance(Duration.ofSeconds(61));
        assertThat(breaker.tryAcquire()).isTrue(); // a probe that never completes

        ticker.advance(Duration.ofSeconds(30));
        assertThat(breaker.tryAcquire()).isFalse();
        assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);

        ticker.advanceNanos(1);
        assertThat(breaker.tryAcquire()).isFalse();
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        assertThat(transitions.get(transitions.size() - 1).reason())
                .isEqualTo(TransitionReason.TRIAL_CALLS_TIMED_OUT);

        ticker.advance(Duration.ofSeconds(61));
        assertThat(breaker.tryAcquire()).as("a fresh trial after the next wait").isTrue();
    }

    @Test
    void halfOpen_withoutMaxWait_staysHalfOpenWhileProbesAreOutstanding() {
        Breaker breaker = opened(BreakerConfig.builder().halfOpenCalls(1));
        ticker.advance(Duration.ofSeconds(61));
        assertThat(breaker.tryAcquire()).isTrue();

        ticker.advance(Duration.ofDays(1));

        assertThat(breaker.tryAcquire()).isFalse();
        assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
    }

    @Test
    void backoff_growsTheWaitOnEachReopening_andResetsWhenClosed() {
        Breaker breaker = opened(BreakerConfig.builder().halfOpenCalls(1).waitInOpen(Duration.ofSeconds(10))
                .waitInOpenBackoff(2, Duration.ofSeconds(30)));

        ticker.advance(Duration.ofSeconds(10)).advanceNanos(1);
        fail(breaker, 1); // trial fails: second opening waits 20 s
        ticker.advance(Duration.ofSeconds(20));
        assertThat(breaker.tryAcquire()).isFalse();
        ticker.advanceNanos(1);
        fail(breaker, 1); // third opening: 40 s capped at 30 s
        ticker.advance(Duration.ofSeconds(30));
        assertThat(breaker.tryAcquire()).isFalse();
        ticker.advanceNanos(1);
        succeed(breaker, 1);
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);

        fail(breaker, 2); // opens again after closing: back to 10 s
        ticker.advance(Duration.ofSeconds(10)).advanceNanos(1);
        assertThat(breaker.tryAcquire()).isTrue();
    }

    @Test
    void ignoredError_isNotRecorded_andGivesTheHalfOpenPermitBack() {
        Breaker breaker = opened(BreakerConfig.builder().halfOpenCalls(1).ignoreExceptions(IOException.class));
        ticker.advance(Duration.ofSeconds(61));

        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onFailure(0, new IOException());

        assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.metrics().totalIgnored()).isEqualTo(1);
    }

    @Test
    void errorNeitherRecordedNorIgnored_countsAsSuccess() {
        Breaker breaker = breaker(BreakerConfig.builder().countWindow(2).minimumCalls(2)
                .recordExceptions(IOException.class));

        fail(breaker, 2);

        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(breaker.metrics().totalSuccesses()).isEqualTo(2);
    }

    @Test
    void release_givesAHalfOpenPermitBack() {
        Breaker breaker = opened(BreakerConfig.builder().halfOpenCalls(1));
        ticker.advance(Duration.ofSeconds(61));
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.tryAcquire()).isFalse();

        breaker.release();

        assertThat(breaker.tryAcquire()).isTrue();
    }

    @Test
    void reset_closesWithAnEmptyWindow_fromAnyState() {
        Breaker breaker = opened(BreakerConfig.builder());
        List<BreakerEvent> resets = new ArrayList<>();
        breaker.addListener(EnumSet.of(EventType.RESET), resets::add);

        breaker.reset();

        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(breaker.metrics().bufferedCalls()).isZero();
        assertThat(resets).hasSize(1);
        assertThat(transitions.get(1).reason()).isEqualTo(TransitionReason.RESET);

        fail(breaker, 1);
        breaker.reset();
        assertThat(breaker.metrics().bufferedCalls()).as("reset clears a closed window too").isZero();
        assertThat(resets).hasSize(2);
        assertThat(transitions).as("closed to closed is no transition").hasSize(2);
    }

    @Test
    void forceOpen_rejectsUntilClosed_whateverTheTime() {
        Breaker breaker = breaker(BreakerConfig.builder());

        breaker.forceOpen();
        ticker.advance(Duration.ofDays(1));

        assertThat(breaker.tryAcquire()).isFalse();
        assertThat(breaker.state()).isEqualTo(CircuitState.FORCED_OPEN);
        breaker.close();
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(transitions).extracting(BreakerEvent.StateTransition::reason)
                .containsExactly(TransitionReason.MANUAL_FORCE_OPEN, TransitionReason.MANUAL_CLOSE);
    }

    @Test
    void disable_letsEverythingThrough_andEvaluatesNothing() {
        Breaker breaker = breaker(BreakerConfig.builder().countWindow(2).minimumCalls(2));

        breaker.disable();
        fail(breaker, 50);

        assertThat(breaker.state()).isEqualTo(CircuitState.DISABLED);
        assertThat(breaker.metrics().totalFailures()).isEqualTo(50);
        breaker.close();
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void manualControl_toTheCurrentState_isNoTransition() {
        Breaker breaker = breaker(BreakerConfig.builder());

        breaker.close();
        breaker.forceOpen();
        breaker.forceOpen();
        breaker.disable();
        breaker.disable();

        assertThat(transitions).hasSize(2);
        assertThat(breaker.metrics().stateTransitions()).isEqualTo(2);
    }

    @Test
    void timeWindow_forgetsFailuresOlderThanTheWindow() {
        Breaker breaker = breaker(BreakerConfig.builder().timeWindow(Duration.ofSeconds(10)).minimumCalls(4));

        fail(breaker, 3);
        ticker.advance(Duration.ofSeconds(10));
        succeed(breaker, 1);
        fail(breaker, 2);

        assertThat(breaker.state()).as("2 of 3 calls in the window failed, but minimum is 4").isEqualTo(CircuitState.CLOSED);
        fail(breaker, 1);
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    }
}
