package dev.breaker.spring.alerts;

import dev.breaker.Breaker;
import dev.breaker.BreakerConfig;
import dev.breaker.BreakerRegistry;
import dev.breaker.CircuitState;
import dev.breaker.FakeTicker;
import dev.breaker.TransitionReason;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Transitions explained, and alerts with their severity, on a fake ticker. */
class BreakerAlertsTests {

    private final FakeTicker ticker = new FakeTicker();
    private final BreakerRegistry registry = BreakerRegistry.of(BreakerConfig.builder()
            .countWindow(10).minimumCalls(10).slowCallDuration(Duration.ofMillis(100))
            .slowCallRateThreshold(50).waitInOpen(Duration.ofMinutes(1)).halfOpenCalls(1)
            .prolongedOpenAlert(Duration.ofMinutes(5)).ticker(ticker).clock(ticker.clock()).build());
    private final BreakerTransitions transitions = new BreakerTransitions(registry);
    private final BreakerAlerts alerts = new BreakerAlerts(registry, transitions, 3);

    private static void call(Breaker breaker, long millis, boolean fails) {
        breaker.tryAcquire();
        if (fails) {
            breaker.onFailure(TimeUnit.MILLISECONDS.toNanos(millis), new IOException("down"));
        } else {
            breaker.onSuccess(TimeUnit.MILLISECONDS.toNanos(millis));
        }
    }

    @Test
    void openingBySlowCalls_isExplainedWithTheRateAgainstItsThreshold_andIsAHighAlert() {
        Breaker payments = registry.breaker("payments");
        for (int i = 0; i < 10; i++) {
            call(payments, i < 8 ? 300 : 10, false);
        }
        assertThat(payments.state()).isEqualTo(CircuitState.OPEN);

        Transition last = transitions.last("payments").orElseThrow();
        assertThat(last.reason()).isEqualTo(TransitionReason.SLOW_CALL_RATE_EXCEEDED);
        assertThat(last.slowCallRate()).isEqualTo(80f);
        assertThat(last.slowCallRateThreshold()).isEqualTo(50f);
        assertThat(last.summary()).isEqualTo("Opened: slow-call rate 80 % ≥ 50 %");
        assertThat(alerts.recent()).singleElement().satisfies(alert -> {
            assertThat(alert.severity()).isEqualTo(Alert.Severity.HIGH);
            assertThat(alert.breaker()).isEqualTo("payments");
            assertThat(alert.summary()).isEqualTo("Opened: slow-call rate 80 % ≥ 50 %");
        });
    }

    @Test
    void failedTrial_isExplainedWithTheTrialsRate_andARecoveryIsInfo() {
        Breaker payments = registry.breaker("payments");
        for (int i = 0; i < 10; i++) {
            call(payments, 0, i < 6);
        }
        assertThat(transitions.last("payments").orElseThrow().summary())
                .isEqualTo("Opened: failure rate 60 % ≥ 50 %");
        ticker.advance(Duration.ofMinutes(1).plusNanos(1));
        call(payments, 0, true);
        assertThat(transitions.last("payments").orElseThrow().summary())
                .isEqualTo("Opened: the trial calls failed (failure rate 100 % ≥ 50 %)");

        ticker.advance(Duration.ofMinutes(2));
        call(payments, 0, false);
        assertThat(payments.state()).isEqualTo(CircuitState.CLOSED);

        assertThat(alerts.recent()).extracting(Alert::severity, Alert::summary).containsExactly(
                tuple(Alert.Severity.INFO, "Closed: the trial calls succeeded"),
                tuple(Alert.Severity.HIGH,
                        "Opened: the trial calls failed (failure rate 100 % ≥ 50 %)"),
                tuple(Alert.Severity.HIGH, "Opened: failure rate 60 % ≥ 50 %"));
        assertThat(transitions.last("payments").orElseThrow().failureRate()).isNull();
    }

    @Test
    void prolongedOutage_isCritical_changesByHandAreInfo_andTheRingKeepsTheLatest() {
        Breaker payments = registry.breaker("payments");
        registry.breaker("orders");
        for (int i = 0; i < 10; i++) {
            call(payments, 0, true);
        }
        ticker.advance(Duration.ofMinutes(6));
        registry.checkProlongedOpen();
        payments.reset();

        assertThat(alerts.recent()).extracting(Alert::severity, Alert::summary).containsExactly(
                tuple(Alert.Severity.INFO, "Closed: reset by hand"),
                tuple(Alert.Severity.CRITICAL,
                        "Prolonged outage: failing for 6 min 0 s"),
                tuple(Alert.Severity.HIGH, "Opened: failure rate 100 % ≥ 50 %"));

        registry.breaker("orders").disable();
        assertThat(alerts.recent()).as("3 kept").hasSize(3).first().extracting(Alert::summary)
                .isEqualTo("Disabled by hand");
        BreakerAlerts.Summary summary = alerts.summary();
        assertThat(summary.bySeverity()).containsEntry(Alert.Severity.CRITICAL, 1)
                .containsEntry(Alert.Severity.HIGH, 0).containsEntry(Alert.Severity.INFO, 2);
        assertThat(summary.breakers()).isEqualTo(2);
        assertThat(summary.healthy()).as("closed and disabled let calls through").isEqualTo(2);
        assertThat(summary.healthyPercent()).isEqualTo(100.0);
        payments.forceOpen();
        assertThat(alerts.summary().healthyPercent()).isEqualTo(50.0);
        assertThat(alerts.recent().get(0)).extracting(Alert::severity, Alert::summary)
                .containsExactly(Alert.Severity.INFO, "Forced open by hand");
    }
}
