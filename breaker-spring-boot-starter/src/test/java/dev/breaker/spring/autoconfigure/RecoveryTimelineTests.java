package dev.breaker.spring.autoconfigure;

import dev.breaker.Breaker;
import dev.breaker.BreakerMetrics;
import dev.breaker.BreakerRegistry;
import dev.breaker.CircuitState;
import dev.breaker.FakeTicker;
import dev.breaker.spring.actuate.Outages;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The timeline of one outage and recovery in the README's "Gradual recovery and escalation" section, played on a fake
 * ticker with the sample's inventory configuration: every row of that table is asserted here.
 */
class RecoveryTimelineTests {

    private final FakeTicker ticker = new FakeTicker();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(BreakerAutoConfiguration.class))
            .withBean(BreakerConfigCustomizer.class, () -> (name, builder) -> builder.ticker(ticker)
                    .clock(ticker.clock()))
            .withPropertyValues(
                    "breaker.instances.inventory.sliding-window.size=10",
                    "breaker.instances.inventory.minimum-calls=5",
                    "breaker.instances.inventory.failure-rate-threshold=50",
                    "breaker.instances.inventory.wait-in-open=10s",
                    "breaker.instances.inventory.wait-in-open-multiplier=2",
                    "breaker.instances.inventory.max-wait-in-open=40s",
                    "breaker.instances.inventory.half-open-calls=2",
                    "breaker.instances.inventory.recovery.ramp=30s",
                    "breaker.instances.inventory.recovery.min-share=20",
                    "breaker.instances.inventory.escalation.enabled=true",
                    "breaker.instances.inventory.escalation.emergency-after=2");

    /** What the breaker shows after one step: time as m:ss, share in whole percent, the wait while open. */
    record Row(String time, String step, String state, String level, String share, String waitInOpen, int escalations) {
    }

    @Test
    void oneOutageAndItsRecovery_asTheReadmeTellsIt() {
        runner.run(context -> {
            Breaker inventory = context.getBean(BreakerRegistry.class).find("inventory").orElseThrow();
            long start = ticker.read();
            List<Row> rows = new ArrayList<>();

            calls(inventory, "SSSFF");
            rows.add(row(inventory, start, "2 of 5 calls fail (40 %)"));
            calls(inventory, "F");
            rows.add(row(inventory, start, "3 of 6 fail (50 %)"));
            Outages.trial(inventory, ticker, false);
            rows.add(row(inventory, start, "the 2 trial calls fail"));
            Outages.trial(inventory, ticker, false);
            rows.add(row(inventory, start, "the 2 trial calls fail again"));
            Outages.trial(inventory, ticker, true);
            rows.add(row(inventory, start, "healed: the 1 trial call succeeds"));
            ticker.advance(Duration.ofSeconds(15));
            rows.add(row(inventory, start, "half the ramp"));
            ticker.advance(Duration.ofSeconds(15));
            rows.add(row(inventory, start, "the ramp is over: the breaker closes (with or without a call)"));
            ticker.advance(Duration.ofMinutes(10));
            rows.add(row(inventory, start, "10 minutes closed, NORMAL"));
            calls(inventory, "SFFFF");
            rows.add(row(inventory, start, "it fails again: 4 of 5 calls"));

            assertThat(rows).containsExactly(
                    new Row("0:00", "2 of 5 calls fail (40 %)", "CLOSED", "WARNING", "100 %", "", 0),
                    new Row("0:00", "3 of 6 fail (50 %)", "OPEN", "CRITICAL", "0 %", "10 s", 0),
                    new Row("0:10", "the 2 trial calls fail", "OPEN", "CRITICAL", "0 %", "20 s", 1),
                    new Row("0:30", "the 2 trial calls fail again", "OPEN", "EMERGENCY", "0 %", "40 s", 2),
                    new Row("1:10", "healed: the 1 trial call succeeds", "RECOVERING", "CRITICAL", "20 %", "", 2),
                    new Row("1:25", "half the ramp", "RECOVERING", "CRITICAL", "50 %", "", 2),
                    new Row("1:40", "the ramp is over: the breaker closes (with or without a call)", "CLOSED", "NORMAL", "100 %", "", 2),
                    new Row("11:40", "10 minutes closed, NORMAL", "CLOSED", "NORMAL", "100 %", "", 1),
                    new Row("11:40", "it fails again: 4 of 5 calls", "OPEN", "CRITICAL", "0 %", "20 s", 1));
        });
    }

    private Row row(Breaker breaker, long start, String step) {
        BreakerMetrics metrics = breaker.metrics();
        long seconds = (ticker.read() - start) / 1_000_000_000L;
        String wait = "";
        if (metrics.state() == CircuitState.OPEN) {
            wait = breaker.rejection(breaker.acquirePermit()).retryAfter().orElseThrow().toSeconds() + " s";
        }
        return new Row(seconds / 60 + ":" + String.format("%02d", seconds % 60), step, metrics.state().name(),
                metrics.level().name(), Math.round(metrics.admittedSharePercent()) + " %", wait,
                metrics.escalations());
    }

    /** Records outcomes through admitted calls: S a success, F a failure. */
    private static void calls(Breaker breaker, String outcomes) {
        for (char outcome : outcomes.toCharArray()) {
            long permit = breaker.acquirePermit();
            assertThat(Breaker.isPermitted(permit)).isTrue();
            if (outcome == 'S') {
                breaker.recordSuccess(permit, 0);
            } else {
                breaker.recordFailure(permit, 0, new IOException("inventory is down"));
            }
        }
    }
}
