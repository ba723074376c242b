package dev.breaker.cloud;

import dev.breaker.BreakerRegistry;
import dev.breaker.spring.autoconfigure.BreakerAutoConfiguration;
import dev.breaker.spring.autoconfigure.BreakerReconfigurationAutoConfiguration;
import dev.breaker.spring.reconfigure.BreakerRefresher;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring Cloud CircuitBreaker's factories on Breaker, each customized by the {@link Customizer} beans of its type.
 * Turn it off with {@code spring.cloud.circuitbreaker.breaker.enabled=false}.
 */
@AutoConfiguration(after = {BreakerAutoConfiguration.class, BreakerReconfigurationAutoConfiguration.class})
@ConditionalOnClass(CircuitBreakerFactory.class)
@ConditionalOnBooleanProperty(name = "spring.cloud.circuitbreaker.breaker.enabled", matchIfMissing = true)
public final class BreakerSpringCloudAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    CloudCustomizations breakerCloudCustomizations() {
        return new CloudCustomizations();
    }

    @Bean
    @ConditionalOnMissingBean(CircuitBreakerFactory.class)
    BreakerCircuitBreakerFactory breakerCircuitBreakerFactory(BreakerRegistry registry, BreakerRefresher refresher,
            CloudCustomizations customizations, ObjectProvider<Customizer<BreakerCircuitBreakerFactory>> customizers) {
        BreakerCircuitBreakerFactory factory = new BreakerCircuitBreakerFactory(
                new CloudBreakers(registry, refresher, customizations));
        customizers.orderedStream().forEach(customizer -> customizer.customize(factory));
        return factory;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"reactor.core.publisher.Mono",
            "org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory"})
    static class ReactiveConfiguration {

        @Bean
        @ConditionalOnMissingBean(ReactiveCircuitBreakerFactory.class)
        BreakerReactiveCircuitBreakerFactory breakerReactiveCircuitBreakerFactory(BreakerRegistry registry,
                BreakerRefresher refresher, CloudCustomizations customizations,
                ObjectProvider<Customizer<BreakerReactiveCircuitBreakerFactory>> customizers) {
            BreakerReactiveCircuitBreakerFactory factory = new BreakerReactiveCircuitBreakerFactory(
                    new CloudBreakers(registry, refresher, customizations));
            customizers.orderedStream().forEach(customizer -> customizer.customize(factory));
            return factory;
        }
    }
}
