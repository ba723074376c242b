package dev.breaker.cloud;

import dev.breaker.spring.autoconfigure.BreakerAutoConfiguration;
import dev.breaker.spring.autoconfigure.BreakerReconfigurationAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.circuitbreaker.CircuitBreaker;
import org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory;
import org.springframework.cloud.client.circuitbreaker.ConfigBuilder;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory;
import reactor.core.publisher.Mono;

import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class BreakerSpringCloudAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(BreakerAutoConfiguration.class,
                    BreakerReconfigurationAutoConfiguration.class, BreakerSpringCloudAutoConfiguration.class));

    @Test
    void providesBothFactories() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(CircuitBreakerFactory.class);
            assertThat(context.getBean(CircuitBreakerFactory.class)).isInstanceOf(BreakerCircuitBreakerFactory.class);
            assertThat(context).hasSingleBean(ReactiveCircuitBreakerFactory.class);
        });
    }

    @Test
    void backsOffForAFactoryOfTheApplication() {
        runner.withBean("ownFactory", CircuitBreakerFactory.class, OwnFactory::new)
                .run(context -> assertThat(context.getBean(CircuitBreakerFactory.class))
                        .isInstanceOf(OwnFactory.class));
    }

    @Test
    void withoutReactor_onlyTheBlockingFactory() {
        runner.withClassLoader(new FilteredClassLoader(Mono.class)).run(context -> {
            assertThat(context).hasSingleBean(CircuitBreakerFactory.class);
            assertThat(context).doesNotHaveBean(ReactiveCircuitBreakerFactory.class);
        });
    }

    @Test
    void canBeTurnedOff() {
        runner.withPropertyValues("spring.cloud.circuitbreaker.breaker.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(CircuitBreakerFactory.class));
    }

    @Test
    void withoutSpringCloud_nothing() {
        runner.withClassLoader(new FilteredClassLoader(CircuitBreakerFactory.class))
                .run(context -> assertThat(context).doesNotHaveBean(CloudCustomizations.class));
    }

    static class OwnFactory extends CircuitBreakerFactory<Object, ConfigBuilder<Object>> {

        @Override
        public CircuitBreaker create(String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        protected ConfigBuilder<Object> configBuilder(String id) {
            return Object::new;
        }

        @Override
        public void configureDefault(Function<String, Object> defaultConfiguration) {
        }
    }
}
