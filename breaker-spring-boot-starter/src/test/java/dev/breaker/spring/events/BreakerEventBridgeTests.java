package dev.breaker.spring.events;

import dev.breaker.Breaker;
import dev.breaker.BreakerEvent;
import dev.breaker.BreakerRegistry;
import dev.breaker.EventType;
import dev.breaker.FakeTicker;
import dev.breaker.spring.actuate.Outages;
import dev.breaker.spring.autoconfigure.BreakerAutoConfiguration;
import dev.breaker.spring.autoconfigure.BreakerConfigCustomizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Every non-per-call event becomes a Spring application event and a log line at a level that fits it. */
@ExtendWith(OutputCaptureExtension.class)
class BreakerEventBridgeTests {

    private final FakeTicker ticker = new FakeTicker();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(BreakerAutoConfiguration.class))
            .withBean(BreakerConfigCustomizer.class, () -> (name, builder) -> builder.ticker(ticker)
                    .clock(ticker.clock()))
            .withUserConfiguration(EventCollector.class)
            .withPropertyValues(Outages.RAMPED.split("\n"));

    @Test
    void bridgesEveryTypeButThePerCallOnes() {
        assertThat(BreakerEventBridge.BRIDGED).containsExactlyInAnyOrder(
                List.of(EventType.values()).stream().filter(type -> !type.isPerCall()).toArray(EventType[]::new));
    }

    @Test
    void recoveriesLevelsAndEmergencies_arePublished_andLoggedWarnWhenTheyAreBadNews(CapturedOutput output) {
        runner.run(context -> {
            Breaker ramped = context.getBean(BreakerRegistry.class).find("ramped").orElseThrow();
            Outages.open(ramped);
            Outages.trial(ramped, ticker, true);
            Outages.admittedCall(ramped, false);
            Outages.trial(ramped, ticker, true);
            ticker.advance(Duration.ofSeconds(100));
            assertThat(ramped.tryAcquire()).isTrue();

            assertThat(context.getBean(EventCollector.class).events).extracting(BreakerEvent::type)
                    .containsSubsequence(EventType.LEVEL_CHANGED, EventType.RECOVERY_STARTED,
                            EventType.RECOVERY_FAILED, EventType.EMERGENCY, EventType.LEVEL_CHANGED,
                            EventType.RECOVERY_STARTED, EventType.LEVEL_CHANGED, EventType.RECOVERY_COMPLETED,
                            EventType.LEVEL_CHANGED);
        });

        assertThat(output).containsPattern(line("INFO", "level NORMAL -> CRITICAL"))
                .containsPattern(line("INFO", "recovering: letting 10% of calls through, growing to all within 100s"))
                .containsPattern(line("WARN", "recovery failed at 10% of calls \\(CONSECUTIVE_FAILURES\\); open again"))
                .containsPattern(line("WARN", "EMERGENCY \\(FAILED_RECOVERIES\\): 1 failed recovery in a row"))
                .containsPattern(line("WARN", "level CRITICAL -> EMERGENCY"))
                .containsPattern(line("INFO", "level EMERGENCY -> CRITICAL"))
                .containsPattern(line("INFO", "recovered: all calls let through after 100s"));
    }

    /** A log line of {@code level} from the bridge about the breaker ramped. */
    private static String line(String level, String message) {
        return "(?m)^.*\\b" + level + "\\b.*BreakerEventBridge.*Breaker 'ramped' " + message;
    }

    @Configuration(proxyBeanMethods = false)
    static class EventCollector {

        final List<BreakerEvent> events = new CopyOnWriteArrayList<>();

        @EventListener
        void on(BreakerEvent event) {
            events.add(event);
        }
    }
}
