package dev.breaker.cloud;

import dev.breaker.Breaker;
import dev.breaker.BreakerRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory;
import org.springframework.cloud.context.refresh.ContextRefresher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application with Spring Cloud on its class path, auto-configured as it would be: code written against Spring
 * Cloud's abstraction runs on Breaker, and a Spring Cloud refresh reconfigures the breakers.
 */
@SpringBootTest(classes = SpringCloudApplicationTests.App.class)
class SpringCloudApplicationTests {

    private static final String MINIMUM_CALLS = "breaker.instances.payments.minimum-calls";
    /** Imported by the test application.properties; what a config server or an edited file would change. */
    private static final Path REFRESHED = Path.of("target", "refreshed", "breaker.properties");

    @Autowired
    Payments payments;

    @Autowired
    BreakerRegistry registry;

    @Autowired
    ContextRefresher refresher;

    @Test
    void codeWrittenAgainstTheAbstraction_runsOnTheRegistrysBreakers() {
        assertThat(payments.charge(10)).isEqualTo("charged 10");
        Breaker breaker = registry.breaker("payments");
        long successes = breaker.metrics().totalSuccesses();
        long failures = breaker.metrics().totalFailures();

        assertThat(payments.charge(20)).isEqualTo("charged 20");
        assertThat(payments.charge(-1)).isEqualTo("declined");

        assertThat(breaker.metrics().totalSuccesses()).isEqualTo(successes + 1);
        assertThat(breaker.metrics().totalFailures()).isEqualTo(failures + 1);
    }

    @Test
    void aSpringCloudRefresh_reconfiguresTheBreakersWhosePropertiesChanged() throws IOException {
        payments.charge(10);
        Breaker breaker = registry.breaker("payments");
        assertThat(breaker.config().minimumCalls()).isEqualTo(20);
        Files.createDirectories(REFRESHED.getParent());
        Files.writeString(REFRESHED, MINIMUM_CALLS + "=4\n");
        try {
            Set<String> changed = refresher.refresh();

            assertThat(changed).contains(MINIMUM_CALLS);
            assertThat(registry.breaker("payments")).as("the same breaker").isSameAs(breaker);
            assertThat(breaker.config().minimumCalls()).isEqualTo(4);
        } finally {
            // Rewritten rather than deleted: a refresh keeps the property source of a file that has gone.
            Files.writeString(REFRESHED, "sample.note=minimum-calls taken back\n");
            refresher.refresh();
        }
        assertThat(breaker.config().minimumCalls()).as("the property taken back").isEqualTo(20);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Payments payments(CircuitBreakerFactory<?, ?> circuitBreakers) {
            return new Payments(circuitBreakers);
        }
    }

    /** Written against Spring Cloud CircuitBreaker only. */
    static class Payments {

        private final CircuitBreakerFactory<?, ?> circuitBreakers;

        Payments(CircuitBreakerFactory<?, ?> circuitBreakers) {
            this.circuitBreakers = circuitBreakers;
        }

        String charge(int amount) {
            return circuitBreakers.create("payments").run(() -> {
                if (amount < 0) {
                    throw new IllegalStateException("gateway error");
                }
                return "charged " + amount;
            }, error -> "declined");
        }
    }
}
