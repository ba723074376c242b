package dev.breaker.cloud;

import dev.breaker.Breaker;
import dev.breaker.BreakerEvent;
import dev.breaker.BreakerRegistry;
import dev.breaker.CallNotPermittedException;
import dev.breaker.CircuitState;
import dev.breaker.spring.annotation.CircuitBreaker;
import dev.breaker.spring.autoconfigure.BreakerAutoConfiguration;
import dev.breaker.spring.autoconfigure.BreakerReconfigurationAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.cloud.client.circuitbreaker.NoFallbackAvailableException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import java.io.UncheckedIOException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Spring Cloud CircuitBreaker's contract, through the abstraction an application (or OpenFeign, or Gateway) is
 * written against, on Breaker's factory in a real context.
 */
class BreakerCircuitBreakerFactoryTests {

    private static final IllegalStateException DOWN = new IllegalStateException("down");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(BreakerAutoConfiguration.class,
                    BreakerReconfigurationAutoConfiguration.class, BreakerSpringCloudAutoConfiguration.class))
            .withPropertyValues("breaker.instances.slow.consecutive-failures=2",
                    "breaker.instances.slow.wait-in-open=30s",
                    "breaker.instances.slow.ignore-exceptions=" + IllegalArgumentException.class.getName());

    private static CircuitBreakerFactory<?, ?> factory(org.springframework.context.ApplicationContext context) {
        return context.getBean(CircuitBreakerFactory.class);
    }

    private static Breaker breaker(org.springframework.context.ApplicationContext context, String name) {
        return context.getBean(BreakerRegistry.class).find(name).orElseThrow();
    }

    @Test
    void run_returnsTheValue_andTheRegistrysBreakerConfiguredByPropertiesRecordsIt() {
        runner.run(context -> {
            String value = factory(context).create("slow").run(() -> "fast enough");

            assertThat(value).isEqualTo("fast enough");
            Breaker slow = breaker(context, "slow");
            assertThat(slow.metrics().totalSuccesses()).isEqualTo(1);
            assertThat(slow.config().consecutiveFailures()).isEqualTo(2);
            assertThat(slow.config().waitInOpen()).isEqualTo(Duration.ofSeconds(30));
        });
    }

    @Test
    void run_thatFails_withoutAFallback_throwsNoFallbackAvailable_withTheCause() {
        runner.run(context -> {
            assertThatThrownBy(() -> factory(context).create("slow").run(() -> {
                throw DOWN;
            })).isInstanceOf(NoFallbackAvailableException.class).hasCause(DOWN);

            assertThat(breaker(context, "slow").metrics().totalFailures()).isEqualTo(1);
        });
    }

    @Test
    void run_thatFails_isAnsweredByTheFallback_withTheError() {
        runner.run(context -> {
            String value = factory(context).create("slow").run(() -> {
                throw DOWN;
            }, error -> "fallback(" + error.getMessage() + ")");

            assertThat(value).isEqualTo("fallback(down)");
        });
    }

    @Test
    void anOpenBreaker_rejects_andTheFallbackGetsTheRejection() {
        runner.run(context -> {
            org.springframework.cloud.client.circuitbreaker.CircuitBreaker slow = factory(context).create("slow");
            for (int i = 0; i < 2; i++) {
                slow.run(() -> {
                    throw DOWN;
                }, error -> "fallback");
            }
            assertThat(breaker(context, "slow").state()).isEqualTo(CircuitState.OPEN);
            List<Throwable> seen = new CopyOnWriteArrayList<>();

            String value = slow.run(() -> "never", error -> {
                seen.add(error);
                return "rejected";
            });

            assertThat(value).isEqualTo("rejected");
            assertThat(seen).singleElement().isInstanceOf(CallNotPermittedException.class);
            assertThatThrownBy(() -> slow.run(() -> "never")).isInstanceOf(NoFallbackAvailableException.class)
                    .hasCauseInstanceOf(CallNotPermittedException.class);
        });
    }

    @Test
    void anErrorTheBreakerIgnores_propagates_withoutTheFallback() {
        runner.run(context -> {
            IllegalArgumentException badRequest = new IllegalArgumentException("bad request");

            assertThatThrownBy(() -> factory(context).create("slow").run(() -> {
                throw badRequest;
            }, error -> "fallback")).isSameAs(badRequest);

            assertThat(breaker(context, "slow").metrics().totalIgnored()).isEqualTo(1);
        });
    }

    @Test
    void customizers_adjustTheConfiguration_afterTheProperties() {
        runner.withUserConfiguration(Customizers.class).run(context -> {
            factory(context).create("slow");
            factory(context).create("other");

            Breaker slow = breaker(context, "slow");
            assertThat(slow.config().halfOpenCalls()).as("configure(..., \"slow\")").isEqualTo(7);
            assertThat(slow.config().waitInOpen()).as("from the properties").isEqualTo(Duration.ofSeconds(30));
            assertThat(slow.config().minimumCalls()).as("the default is for breakers without a configuration")
                    .isEqualTo(20);
            assertThat(breaker(context, "other").config().minimumCalls()).as("configureDefault").isEqualTo(5);
        });
    }

    @Test
    void configure_ofABreakerThatRuns_reconfiguresIt_keepingItsState() {
        runner.withUserConfiguration(ConfigChangedEvents.class).run(context -> {
            CircuitBreakerFactory<?, ?> factory = context.getBean(BreakerCircuitBreakerFactory.class);
            factory.create("slow").run(() -> {
                throw DOWN;
            }, error -> "fallback");

            context.getBean(BreakerCircuitBreakerFactory.class)
                    .configure(builder -> builder.config(config -> config.consecutiveFailures(1)), "slow");

            Breaker slow = breaker(context, "slow");
            assertThat(slow.config().consecutiveFailures()).isEqualTo(1);
            assertThat(slow.metrics().totalFailures()).isEqualTo(1);
            assertThat(context.getBean(ConfigChangedEvents.class).sources).containsExactly("spring-cloud");
        });
    }

    @Test
    void anAnnotatedMethod_andTheFactory_shareTheBreakerOfTheirName() {
        runner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
                .withBean(Annotated.class).run(context -> {
                    assertThatThrownBy(() -> context.getBean(Annotated.class).call())
                            .isInstanceOf(IllegalStateException.class);

                    String value = factory(context).create("slow").run(() -> {
                        throw DOWN;
                    }, error -> error.getClass().getSimpleName());

                    assertThat(value).as("the second failure opened the shared breaker").isEqualTo(
                            "IllegalStateException");
                    assertThat(factory(context).create("slow").run(() -> "x", error -> error.getClass()
                            .getSimpleName())).isEqualTo("CallNotPermittedException");
                });
    }

    @Test
    void aGroupName_doesNotChangeTheBreaker() {
        runner.run(context -> {
            factory(context).create("slow", "payments").run(() -> "value");

            assertThat(breaker(context, "slow").metrics().totalSuccesses()).isEqualTo(1);
            assertThat(context.getBean(BreakerRegistry.class).find("payments")).isEmpty();
        });
    }

    @Test
    void anUncheckedIoError_isAFailure_answeredByTheFallback() {
        runner.run(context -> {
            String value = factory(context).create("io").run(() -> {
                throw new UncheckedIOException(new IOException("reset"));
            }, error -> "fallback");

            assertThat(value).isEqualTo("fallback");
            assertThat(breaker(context, "io").metrics().totalFailures()).isEqualTo(1);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Customizers {

        @Bean
        Customizer<BreakerCircuitBreakerFactory> defaults() {
            return factory -> factory.configureDefault(id -> new BreakerCloudConfig.Builder()
                    .config(config -> config.minimumCalls(5)).build());
        }

        @Bean
        Customizer<BreakerCircuitBreakerFactory> slow() {
            return factory -> factory.configure(builder -> builder.config(config -> config.halfOpenCalls(7)), "slow");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ConfigChangedEvents {

        final List<String> sources = new CopyOnWriteArrayList<>();

        @EventListener
        void on(BreakerEvent.ConfigChanged event) {
            sources.add(event.source());
        }
    }

    static class Annotated {

        @CircuitBreaker(name = "slow")
        public String call() {
            throw DOWN;
        }
    }
}
