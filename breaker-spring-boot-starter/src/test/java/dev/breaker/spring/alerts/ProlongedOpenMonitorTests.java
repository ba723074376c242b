package dev.breaker.spring.alerts;

import dev.breaker.Breaker;
import dev.breaker.BreakerRegistry;
import dev.breaker.FakeTicker;
import dev.breaker.spring.actuate.ActuatorTestApp;
import dev.breaker.spring.actuate.BreakerEventBuffer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The prolonged-open alert on a fake ticker: one event, one WARN line and one count per outage. */
@SpringBootTest(classes = ActuatorTestApp.class, properties = {
        "management.endpoints.web.exposure.include=breakerevents",
        "breaker.alerts.prolonged-open=5m",
        "breaker.instances.payments.consecutive-failures=1",
        "breaker.instances.payments.wait-in-open=1m",
        "breaker.instances.payments.half-open-calls=1"})
@ExtendWith(OutputCaptureExtension.class)
class ProlongedOpenMonitorTests {

    @Autowired
    ProlongedOpenMonitor monitor;

    @Autowired
    BreakerRegistry registry;

    @Autowired
    FakeTicker ticker;

    @Autowired
    BreakerEventBuffer events;

    @Autowired
    MeterRegistry meters;

    @Test
    void outageLongerThanTheAlertTime_alertsOnce(CapturedOutput output) throws Exception {
        Breaker payments = registry.find("payments").orElseThrow();
        payments.tryAcquire();
        payments.onFailure(0, new IOException("down"));

        for (int minute = 1; minute <= 8; minute++) {
            ticker.advance(Duration.ofMinutes(1)).advanceNanos(1);
            assertThat(payments.tryAcquire()).isTrue();
            payments.onFailure(0, new IOException("still down")); // the trial fails: the outage goes on
            monitor.check();
        }

        assertThat(events.events("payments")).filteredOn(e -> e.event().type().name().equals("PROLONGED_OPEN")).hasSize(1);
        assertThat(meters.get("breaker.prolonged.open").tag("name", "payments").counter().count()).isEqualTo(1.0);
        assertThat(output).containsOnlyOnce("Breaker 'payments' has been failing for ");
        assertThat(monitor.isRunning()).as("one shared thread checks idle breakers").isTrue();
    }
}
