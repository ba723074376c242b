package dev.breaker;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.breaker.CircuitState.CLOSED;
import static dev.breaker.CircuitState.HALF_OPEN;
import static dev.breaker.CircuitState.OPEN;
import static dev.breaker.CircuitState.RECOVERING;
import static dev.breaker.Level.CRITICAL;
import static dev.breaker.Level.EMERGENCY;
import static dev.breaker.Level.NORMAL;
import static dev.breaker.Level.WARNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Multi-level escalation: levels, escalating waits that decay, emergencies; table-driven on a fake ticker. */
class EscalationTest {

    private static final IOException DOWN = new IOException("down");

    private final FakeTicker ticker = new FakeTicker();

    private BreakerConfig.Builder config() {
        return BreakerConfig.builder().ticker(ticker).clock(ticker.clock()).countWindow(4).minimumCalls(4)
                .failureRateThreshold(50).waitInOpen(Duration.ofSeconds(30))
                .waitInOpenBackoff(2, Duration.ofSeconds(300)).halfOpenCalls(1)
                .escalation(Escalation.defaults());
    }

    /** One step of a trace and what the breaker shows right after it. */
    private record Row(String step, long atSeconds, CircuitState state, Level level, int escalations,
                       long waitSeconds) {
    }

    private final class Trace {
        private final Breaker breaker;
        private final long start = ticker.read();
        private final List<Row> rows = new ArrayList<>();

        Trace(Breaker breaker) {
            this.breaker = breaker;
        }

        Trace openByFailures() {
            for (int i = 0; i < 200 && breaker.state() == CLOSED; i++) {
                breaker.recordFailure(breaker.acquirePermit(), 0, DOWN);
            }
            return row("open by failures");
        }

        /** Lets the wait pass, then records trial outcomes until the trial is decided. */
        Trace trialAfterTheWait(boolean succeeds) {
            long rejection = breaker.acquirePermit();
            ticker.advance(breaker.rejection(rejection).retryAfter().orElseThrow()).advanceNanos(1);
            do {
                long trial = breaker.acquirePermit();
                assertThat(Breaker.isTrial(trial)).as("a trial call after the wait").isTrue();
                if (succeeds) {
                    breaker.recordSuccess(trial, 0);
                } else {
                    breaker.recordFailure(trial, 0, DOWN);
                }
            } while (breaker.state() == HALF_OPEN);
            return row(succeeds ? "trial succeeds" : "trial fails");
        }

        Trace idle(Duration duration) {
            ticker.advance(duration);
            return row("idle " + duration);
        }

        private Trace row(String step) {
            BreakerMetrics metrics = breaker.metrics();
            long wait = 0;
            if (metrics.state() == OPEN) {
                wait = breaker.rejection(breaker.acquirePermit()).retryAfter().orElseThrow().toSeconds();
            }
            rows.add(new Row(step, (ticker.read() - start) / 1_000_000_000L, metrics.state(), metrics.level(),
                    metrics.escalations(), wait));
            return this;
        }
    }

    @Test
    void flappingDependency_waitsEscalate30_60_120_240_300_300_thenDecayOnePerStablePeriod() {
        Breaker breaker = Breaker.of("flapping", config().build());

        Trace trace = new Trace(breaker).openByFailures()
                .trialAfterTheWait(false).trialAfterTheWait(false).trialAfterTheWait(false)
                .trialAfterTheWait(false).trialAfterTheWait(false).trialAfterTheWait(true)
                .idle(Duration.ofMinutes(10)).idle(Duration.ofMinutes(10)).openByFailures();

        assertThat(trace.rows).containsExactly(
                new Row("open by failures", 0, OPEN, CRITICAL, 0, 30),
                new Row("trial fails", 30, OPEN, CRITICAL, 1, 60),
                new Row("trial fails", 90, OPEN, CRITICAL, 2, 120),
                new Row("trial fails", 210, OPEN, EMERGENCY, 3, 240),
                new Row("trial fails", 450, OPEN, EMERGENCY, 4, 300),
                new Row("trial fails", 750, OPEN, EMERGENCY, 5, 300),
                new Row("trial succeeds", 1050, CLOSED, NORMAL, 5, 0),
                new Row("idle PT10M", 1650, CLOSED, NORMAL, 4, 0),
                new Row("idle PT10M", 2250, CLOSED, NORMAL, 3, 0),
                new Row("open by failures", 2250, OPEN, CRITICAL, 3, 240));
    }

    @Test
    void withoutEscalation_theBackoffStartsOverWhenTheBreakerCloses() {
        Breaker breaker = Breaker.of("plain", config().escalation(null).build());

        Trace trace = new Trace(breaker).openByFailures().trialAfterTheWait(false).trialAfterTheWait(true)
                .openByFailures();

        assertThat(trace.rows).extracting(Row::waitSeconds).containsExactly(30L, 60L, 0L, 30L);
        assertThat(trace.rows).extracting(Row::level).doesNotContain(WARNING, EMERGENCY);
    }

    @Test
    void emergency_admitsOneTrialCallAtATime_andTellsTheCaller() {
        Breaker breaker = Breaker.of("emergency", config().halfOpenCalls(3).build());
        List<BreakerEvent> emergencies = new CopyOnWriteArrayList<>();
        breaker.addListener(EnumSet.of(EventType.EMERGENCY), emergencies::add);
        new Trace(breaker).openByFailures().trialAfterTheWait(false).trialAfterTheWait(false)
                .trialAfterTheWait(false);
        assertThat(breaker.level()).isEqualTo(EMERGENCY);
        assertThat(emergencies).singleElement().isInstanceOfSatisfying(BreakerEvent.Emergency.class, e -> {
            assertThat(e.cause()).isEqualTo(BreakerEvent.EmergencyCause.FAILED_RECOVERIES);
            assertThat(e.failedRecoveries()).isEqualTo(3);
        });
        CallNotPermittedException whileOpen = breaker.rejection(breaker.acquirePermit());
        assertThat(whileOpen.level()).isEqualTo(EMERGENCY);
        assertThat(whileOpen.getMessage()).contains("is OPEN (EMERGENCY)");

        ticker.advance(Duration.ofSeconds(241));
        long trial = breaker.acquirePermit();
        CallNotPermittedException second = breaker.rejection(breaker.acquirePermit());

        assertThat(Breaker.isTrial(trial)).isTrue();
        assertThat(second.state()).isEqualTo(HALF_OPEN);
        assertThat(second.reason()).isEqualTo(RejectionReason.TRIAL_CALLS_IN_FLIGHT);
        assertThat(second.getMessage()).contains("until its 1 trial call complete");
        breaker.recordSuccess(trial, 0);
        assertThat(breaker.state()).as("one successful trial call decides").isEqualTo(CLOSED);
        assertThat(breaker.level()).isEqualTo(NORMAL);
    }

    @Test
    void prolongedOutage_isAnEmergency_whenTheAlertIsConfigured() {
        Breaker breaker = Breaker.of("prolonged", config().prolongedOpenAlert(Duration.ofMinutes(2))
                .waitInOpen(Duration.ofMinutes(5)).waitInOpenBackoff(1, Duration.ofMinutes(5)).build());
        List<BreakerEvent> events = new CopyOnWriteArrayList<>();
        breaker.addListener(EnumSet.of(EventType.PROLONGED_OPEN, EventType.EMERGENCY, EventType.LEVEL_CHANGED),
                events::add);
        new Trace(breaker).openByFailures();

        ticker.advance(Duration.ofMinutes(2)).advanceNanos(1);
        breaker.checkProlongedOpen();

        assertThat(breaker.level()).isEqualTo(EMERGENCY);
        assertThat(events).extracting(BreakerEvent::type).containsExactly(EventType.LEVEL_CHANGED,
                EventType.PROLONGED_OPEN, EventType.EMERGENCY, EventType.LEVEL_CHANGED);
        assertThat(((BreakerEvent.Emergency) events.get(2)).cause())
                .isEqualTo(BreakerEvent.EmergencyCause.PROLONGED_OUTAGE);
        assertThat(((BreakerEvent.LevelChanged) events.get(3)).to()).isEqualTo(EMERGENCY);
    }

    @Test
    void warning_entersAtHalfTheThreshold_andClearsOnlyBelowAQuarter() {
        Breaker breaker = Breaker.of("warning", config().countWindow(10).minimumCalls(10).build());
        List<String> levels = new CopyOnWriteArrayList<>();
        breaker.addListener(EnumSet.of(EventType.LEVEL_CHANGED),
                event -> levels.add(((BreakerEvent.LevelChanged) event).to().name()));
        record(breaker, "SSSSSSSSSS");
        assertThat(breaker.level()).isEqualTo(NORMAL);

        record(breaker, "FF");
        assertThat(breaker.level()).as("2 of 10: 20 %, below 25 %").isEqualTo(NORMAL);
        record(breaker, "F");
        assertThat(breaker.level()).as("3 of 10: 30 %, at least half the 50 % threshold").isEqualTo(WARNING);
        record(breaker, "SSSSSSS");
        assertThat(breaker.metrics().failedCalls()).isEqualTo(3);
        assertThat(breaker.level()).isEqualTo(WARNING);
        record(breaker, "S");
        assertThat(breaker.level()).as("2 of 10: 20 %, between the marks: holds").isEqualTo(WARNING);
        record(breaker, "S");
        assertThat(breaker.level()).as("1 of 10: 10 %, below a quarter of the threshold").isEqualTo(NORMAL);
        assertThat(levels).containsExactly("WARNING", "NORMAL");
    }

    @Test
    void warning_halfTheConsecutiveFailures_thenOpening_announcesLevelsInOrder() {
        Breaker breaker = Breaker.of("consecutive", config().countWindow(100).minimumCalls(100)
                .consecutiveFailures(4).build());
        List<String> events = new CopyOnWriteArrayList<>();
        breaker.addListener(EnumSet.of(EventType.LEVEL_CHANGED, EventType.STATE_TRANSITION), event -> events.add(
                event instanceof BreakerEvent.LevelChanged level ? level.from() + "->" + level.to()
                        : ((BreakerEvent.StateTransition) event).to().name()));

        record(breaker, "FF");
        assertThat(breaker.level()).isEqualTo(WARNING);
        record(breaker, "FF");

        assertThat(breaker.state()).isEqualTo(OPEN);
        assertThat(events).containsExactly("NORMAL->WARNING", "OPEN", "WARNING->CRITICAL");
    }

    @Test
    void warning_pausesTheDecayOfTheEscalationCount() {
        Breaker breaker = Breaker.of("pause", config().countWindow(10).minimumCalls(10).build());
        new Trace(breaker).openByFailures().trialAfterTheWait(false).trialAfterTheWait(true);
        assertThat(breaker.metrics().escalations()).isEqualTo(1);
        record(breaker, "SSSSSSSFFF");
        assertThat(breaker.level()).isEqualTo(WARNING);

        ticker.advance(Duration.ofMinutes(30));
        assertThat(breaker.metrics().escalations()).as("no decay while warning").isEqualTo(1);

        record(breaker, "SSSSSSSSSS");
        assertThat(breaker.level()).isEqualTo(NORMAL);
        ticker.advance(Duration.ofMinutes(10));
        assertThat(breaker.metrics().escalations()).isZero();
    }

    @Test
    void recoveringLevel_isCritical_andAFailedRampCountsTowardsTheEmergency() {
        Breaker breaker = Breaker.of("ramp", config().countWindow(10).minimumCalls(5)
                .gradualRecovery(GradualRecovery.over(Duration.ofMinutes(10)).withMinShare(100)).build());
        Trace trace = new Trace(breaker).openByFailures().trialAfterTheWait(false).trialAfterTheWait(false)
                .trialAfterTheWait(true);
        assertThat(trace.rows.get(3)).isEqualTo(new Row("trial succeeds", 90 + 120, RECOVERING, CRITICAL, 2, 0));

        record(breaker, "FFFFF");

        assertThat(breaker.state()).isEqualTo(OPEN);
        assertThat(breaker.level()).as("the third failed recovery in a row").isEqualTo(EMERGENCY);
        assertThat(breaker.metrics().escalations()).isEqualTo(3);
    }

    @Test
    void reset_forgetsTheEscalation() {
        Breaker breaker = Breaker.of("reset", config().build());
        new Trace(breaker).openByFailures().trialAfterTheWait(false).trialAfterTheWait(false);
        assertThat(breaker.metrics().escalations()).isEqualTo(2);

        breaker.reset();

        assertThat(breaker.metrics().escalations()).isZero();
        assertThat(breaker.level()).isEqualTo(NORMAL);
    }

    @Test
    void configuration_isValidatedNamingTheOption() {
        assertThatThrownBy(() -> config().escalation(Escalation.defaults().withWarning(50, 60)).build())
                .hasMessage("escalation.warningClearAt must be in [0, escalation.warningAt (50.0)], was 60.0");
        assertThatThrownBy(() -> config().escalation(Escalation.defaults().withEmergencyAfter(0)).build())
                .hasMessage("escalation.emergencyAfter must be at least 1, was 0");
        assertThatThrownBy(() -> config().escalation(Escalation.defaults().withStablePeriod(Duration.ZERO)).build())
                .hasMessage("escalation.stablePeriod must be positive, was PT0S");
        assertThatThrownBy(() -> config().escalation(Escalation.defaults().withJitter(1)).build())
                .hasMessage("escalation.jitter must be in [0, 1), was 1.0");
    }

    /** Records outcomes through permits: S a success, F a failure. */
    private static void record(Breaker breaker, String outcomes) {
        for (char outcome : outcomes.toCharArray()) {
            long permit = breaker.acquirePermit();
            assertThat(Breaker.isPermitted(permit)).isTrue();
            if (outcome == 'S') {
                breaker.recordSuccess(permit, 0);
            } else {
                breaker.recordFailure(permit, 0, DOWN);
            }
        }
    }
}
