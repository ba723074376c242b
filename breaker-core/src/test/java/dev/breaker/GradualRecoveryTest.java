package dev.breaker;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import static dev.breaker.CircuitState.CLOSED;
import static dev.breaker.CircuitState.HALF_OPEN;
import static dev.breaker.CircuitState.OPEN;
import static dev.breaker.CircuitState.RECOVERING;
import static dev.breaker.Concurrently.inParallel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Gradual recovery through {@link CircuitState#RECOVERING}, on a fake ticker. */
@Timeout(60)
class GradualRecoveryTest {

    private static final IOException DOWN = new IOException("down");

    private final FakeTicker ticker = new FakeTicker();

    private BreakerConfig.Builder config(GradualRecovery recovery) {
        return BreakerConfig.builder().ticker(ticker).clock(ticker.clock()).countWindow(20).minimumCalls(10)
                .failureRateThreshold(50).waitInOpen(Duration.ofSeconds(30)).halfOpenCalls(3)
                .gradualRecovery(recovery);
    }

    /** Opens the breaker, lets the wait pass and passes the trial: the breaker is recovering. */
    private void recover(Breaker breaker) {
        breaker.recordFailure(breaker.acquirePermit(), 0, DOWN);
        for (int i = 0; i < 20 && breaker.state() == CLOSED; i++) {
            breaker.recordFailure(breaker.acquirePermit(), 0, DOWN);
        }
        assertThat(breaker.state()).isEqualTo(OPEN);
        ticker.advance(breaker.config().waitInOpen()).advanceNanos(1);
        for (int i = 0; i < 3; i++) {
            breaker.recordSuccess(breaker.acquirePermit(), 0);
        }
        assertThat(breaker.state()).isEqualTo(RECOVERING);
    }

    /** Asks {@code calls} times, records a success for each admitted call; returns how many were admitted. */
    private static int admitted(Breaker breaker, int calls) {
        int admitted = 0;
        for (int i = 0; i < calls; i++) {
            long permit = breaker.acquirePermit();
            if (Breaker.isPermitted(permit)) {
                admitted++;
                breaker.recordSuccess(permit, 0);
            }
        }
        return admitted;
    }

    @ParameterizedTest
    @ValueSource(floats = {10, 25, 50, 90})
    void constantShare_admitsFloorOfCallsTimesShare_orOneMore(float percent) {
        Breaker breaker = Breaker.of("constant", config(GradualRecovery.over(Duration.ofDays(1000))
                .withMinShare(percent)).build());
        recover(breaker);

        int admitted = admitted(breaker, 1_000);

        int expected = (int) Math.floor(1_000 * percent / 100);
        assertThat(admitted).isBetween(expected, expected + 1);
        assertThat(breaker.metrics().totalNotPermitted()).isEqualTo(1_000 - admitted);
        assertThat(breaker.state()).isEqualTo(RECOVERING);
    }

    @Test
    void linearRamp_shareFollowsTheCurve_thenCloses() {
        Breaker breaker = Breaker.of("ramp", config(GradualRecovery.over(Duration.ofSeconds(100))).build());
        recover(breaker);

        record Row(int second, float sharePercent, CircuitState state) {
        }
        List<Row> expected = List.of(new Row(0, 10, RECOVERING), new Row(5, 10, RECOVERING),
                new Row(10, 10, RECOVERING), new Row(25, 25, RECOVERING), new Row(50, 50, RECOVERING),
                new Row(90, 90, RECOVERING), new Row(100, 100, CLOSED));
        long start = ticker.read();
        for (Row row : expected) {
            ticker.advanceNanos(start + row.second * 1_000_000_000L - ticker.read());
            breaker.tryAcquire();
            BreakerMetrics metrics = breaker.metrics();
            assertThat(metrics.state()).as("state at %ds", row.second).isEqualTo(row.state);
            assertThat(metrics.admittedSharePercent()).as("share at %ds", row.second)
                    .isCloseTo(row.sharePercent, Offset.offset(0.01f));
        }
    }

    @Test
    void aggressionAbove1_rampsUpFasterEarly() {
        Breaker breaker = Breaker.of("aggressive", config(GradualRecovery.over(Duration.ofSeconds(100))
                .withAggression(2)).build());
        recover(breaker);

        ticker.advance(Duration.ofSeconds(25));

        assertThat(breaker.metrics().admittedSharePercent()).as("sqrt(0.25)")
                .isCloseTo(50f, Offset.offset(0.01f));
    }

    @Test
    void callsOverTheShare_areRejectedAsRecovering_notCountedAsFailures() {
        Breaker breaker = Breaker.of("over", config(GradualRecovery.over(Duration.ofDays(1))).build());
        recover(breaker);
        long rejection = -1;
        for (int i = 0; i < 10 && rejection == -1; i++) {
            long permit = breaker.acquirePermit();
            if (Breaker.isPermitted(permit)) {
                breaker.recordSuccess(permit, 0);
            } else {
                rejection = permit;
            }
        }

        CallNotPermittedException e = breaker.rejection(rejection);
        assertThat(e.state()).isEqualTo(RECOVERING);
        assertThat(e.reason()).isEqualTo(RejectionReason.RECOVERING);
        assertThat(e.level()).isEqualTo(Level.CRITICAL);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
        assertThat(breaker.metrics().totalFailures()).as("the opening failures only").isEqualTo(10);
        assertThat(breaker.state()).isEqualTo(RECOVERING);
    }

    @Test
    void failuresOnTheRamp_reachingTheThreshold_openAgain_asAFailedRecovery() {
        Breaker breaker = Breaker.of("relapse", config(GradualRecovery.over(Duration.ofDays(1)))
                .waitInOpenBackoff(2, Duration.ofMinutes(5)).build());
        List<BreakerEvent> events = new CopyOnWriteArrayList<>();
        breaker.addListener(EnumSet.of(EventType.STATE_TRANSITION, EventType.RECOVERY_STARTED,
                EventType.RECOVERY_FAILED), events::add);
        recover(breaker);

        recordOutcomes(breaker, 0, 4);
        assertThat(breaker.state()).as("4 failures: below the minimum of 10 calls scaled by 10 %, at least 5")
                .isEqualTo(RECOVERING);
        recordOutcomes(breaker, 0, 1);

        assertThat(breaker.state()).as("5 of 5 failed").isEqualTo(OPEN);
        assertThat(breaker.metrics().escalations()).isEqualTo(1);
        assertThat(breaker.rejection(breaker.acquirePermit()).retryAfter()).contains(Duration.ofSeconds(60));
        assertThat(events).extracting(BreakerEvent::type).containsExactly(EventType.STATE_TRANSITION,
                EventType.STATE_TRANSITION, EventType.STATE_TRANSITION, EventType.RECOVERY_STARTED,
                EventType.RECOVERY_FAILED, EventType.STATE_TRANSITION);
        BreakerEvent.RecoveryFailed failed = (BreakerEvent.RecoveryFailed) events.get(4);
        assertThat(failed.cause()).isEqualTo(TransitionReason.FAILURE_RATE_EXCEEDED);
        assertThat(failed.sharePercent()).isCloseTo(10f, Offset.offset(0.01f));
        assertThat(((BreakerEvent.StateTransition) events.get(5)).reason())
                .isEqualTo(TransitionReason.RECOVERY_FAILED);
    }

    @Test
    void failureRateAtHalfTheThreshold_holdsTheShare_untilItEases() {
        Breaker breaker = Breaker.of("hold", config(GradualRecovery.over(Duration.ofSeconds(100))).build());
        recover(breaker);
        ticker.advance(Duration.ofSeconds(30));
        assertThat(breaker.metrics().admittedSharePercent()).isCloseTo(30f, Offset.offset(0.01f));
        // 5 outcomes, 2 failures: 40 %, above half the 50 % threshold, below the threshold.
        recordOutcomes(breaker, 3, 2);
        assertThat(breaker.metrics().rampHeld()).isTrue();

        ticker.advance(Duration.ofSeconds(20));
        assertThat(breaker.metrics().admittedSharePercent()).as("held").isCloseTo(30f,
                Offset.offset(0.01f));
        assertThat(breaker.metrics().rampRemaining()).isEqualTo(Duration.ofSeconds(70));

        recordOutcomes(breaker, 6, 0);
        assertThat(breaker.metrics().rampHeld()).as("2 of 11: 18 %, below half").isFalse();
        ticker.advance(Duration.ofSeconds(10));
        assertThat(breaker.metrics().admittedSharePercent()).as("grows again from where it was held")
                .isCloseTo(40f, Offset.offset(0.01f));
    }

    /** Records successes and failures through permits, asking until each is admitted. */
    private static void recordOutcomes(Breaker breaker, int successes, int failures) {
        for (int i = 0; i < successes + failures; i++) {
            long permit;
            do {
                permit = breaker.acquirePermit();
            } while (!Breaker.isPermitted(permit));
            if (i < successes) {
                breaker.recordSuccess(permit, 0);
            } else {
                breaker.recordFailure(permit, 0, DOWN);
            }
        }
    }

    @Test
    void successSteps_shareGrowsPerSuccesses_andClosesAtTheWholeTraffic() {
        Breaker breaker = Breaker.of("steps", config(GradualRecovery.over(Duration.ofHours(1))
                .withMinShare(20).bySuccessSteps(40, 4)).build());
        recover(breaker);
        assertThat(breaker.metrics().admittedSharePercent()).isCloseTo(20f, Offset.offset(0.01f));

        recordOutcomes(breaker, 4, 0);
        assertThat(breaker.metrics().admittedSharePercent()).isCloseTo(60f, Offset.offset(0.01f));
        recordOutcomes(breaker, 3, 0);
        assertThat(breaker.state()).isEqualTo(RECOVERING);
        recordOutcomes(breaker, 1, 0);

        assertThat(breaker.state()).as("20 + 2 x 40 = 100 %").isEqualTo(CLOSED);
    }

    @Test
    void rampWithoutTraffic_readsClosedOnceItsTimeIsOver_withoutWaitingForACall() {
        Breaker breaker = Breaker.of("idle", config(GradualRecovery.over(Duration.ofMinutes(1))).build());
        List<BreakerEvent> completed = new CopyOnWriteArrayList<>();
        breaker.addListener(EnumSet.of(EventType.RECOVERY_COMPLETED), completed::add);
        recover(breaker);

        ticker.advance(Duration.ofMinutes(1));

        assertThat(breaker.metrics().state()).isEqualTo(CLOSED);
        assertThat(breaker.state()).isEqualTo(CLOSED);
        assertThat(completed).hasSize(1);
    }

    @Test
    void successSteps_withoutTraffic_closesWhenTheRampTimeIsOver() {
        Breaker breaker = Breaker.of("quiet", config(GradualRecovery.over(Duration.ofMinutes(10))
                .bySuccessSteps(10, 100)).build());
        recover(breaker);

        ticker.advance(Duration.ofMinutes(10));

        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.state()).isEqualTo(CLOSED);
    }

    @Test
    void outcomesOfCallsAdmittedBeforeTheRamp_neverDecideIt() {
        Breaker breaker = Breaker.of("stale", config(GradualRecovery.over(Duration.ofSeconds(100))
                .withMinShare(100)).build());
        long closedPermit = breaker.acquirePermit();
        recover(breaker);

        for (int i = 0; i < 10; i++) {
            breaker.recordFailure(closedPermit, 0, DOWN);
        }

        assertThat(breaker.state()).isEqualTo(RECOVERING);
        assertThat(breaker.metrics().bufferedCalls()).isZero();
    }

    @Test
    void sixteenThreads_admittedCallsNeverExceedTheCredit_andOutcomesAreConserved() throws Exception {
        Breaker breaker = Breaker.of("stress", config(GradualRecovery.over(Duration.ofDays(1)).withMinShare(25))
                .build());
        recover(breaker);
        long before = breaker.metrics().totalCalls();
        LongAdder asked = new LongAdder();
        LongAdder admitted = new LongAdder();
        AtomicLong inside = new AtomicLong();

        inParallel(16, thread -> {
            for (int i = 0; i < 10_000; i++) {
                asked.increment();
                long permit = breaker.acquirePermit();
                if (Breaker.isPermitted(permit)) {
                    admitted.increment();
                    inside.incrementAndGet();
                    inside.decrementAndGet();
                    breaker.recordSuccess(permit, 0);
                }
            }
        });

        long expected = asked.sum() / 4;
        assertThat(admitted.sum()).as("admitted of %d asked at 25 %%", asked.sum()).isBetween(expected, expected + 1);
        BreakerMetrics metrics = breaker.metrics();
        assertThat(metrics.totalCalls() - before).as("every call answered once").isEqualTo(asked.sum());
        assertThat(metrics.state()).isEqualTo(RECOVERING);
        assertThat(inside.get()).isZero();
    }

    @Test
    void configuration_isValidatedNamingTheOption() {
        assertThatThrownBy(() -> BreakerConfig.builder().gradualRecovery(GradualRecovery.over(Duration.ZERO)).build())
                .hasMessage("gradualRecovery.ramp must be positive, was PT0S");
        assertThatThrownBy(() -> BreakerConfig.builder()
                .gradualRecovery(GradualRecovery.over(Duration.ofMinutes(1)).withMinShare(0)).build())
                .hasMessage("gradualRecovery.minShare must be in (0, 100], was 0.0");
        assertThatThrownBy(() -> BreakerConfig.builder()
                .gradualRecovery(GradualRecovery.over(Duration.ofMinutes(1)).withAggression(-1)).build())
                .hasMessage("gradualRecovery.aggression must be positive, was -1.0");
        assertThatThrownBy(() -> BreakerConfig.builder()
                .gradualRecovery(GradualRecovery.over(Duration.ofMinutes(1)).bySuccessSteps(10, 0)).build())
                .hasMessage("gradualRecovery.successesPerStep must be at least 1, was 0");
    }

    @Test
    void off_byDefault_theTrialClosesAtOnce() {
        Breaker breaker = Breaker.of("off", config(null).build());
        breaker.recordFailure(breaker.acquirePermit(), 0, DOWN);
        for (int i = 0; i < 20 && breaker.state() == CLOSED; i++) {
            breaker.recordFailure(breaker.acquirePermit(), 0, DOWN);
        }
        ticker.advance(Duration.ofSeconds(31));
        for (int i = 0; i < 3; i++) {
            assertThat(breaker.state()).isIn(OPEN, HALF_OPEN);
            breaker.recordSuccess(breaker.acquirePermit(), 0);
        }
        assertThat(breaker.state()).isEqualTo(CLOSED);
    }
}
