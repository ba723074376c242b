package dev.breaker.spring.autoconfigure;

import dev.breaker.BreakerRegistry;
import dev.breaker.spring.actuate.BreakersHealthContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;

/**
 * The {@code breakers} health contributor; turn it off with
 * {@code management.health.breakers.enabled=false}.
 */
@AutoConfiguration(after = BreakerAutoConfiguration.class)
@ConditionalOnClass({HealthContributor.class, ConditionalOnEnabledHealthIndicator.class})
public final class BreakerHealthAutoConfiguration {

    // The health condition sits on the method: on the class it would be resolved before @ConditionalOnClass
    // could rule the class out when spring-boot-health is absent.
    // The bean name gives the contributor its name, "breakers" (Resilience4j's is "circuitBreakers").
    @Bean
    @ConditionalOnEnabledHealthIndicator("breakers")
    @ConditionalOnMissingBean(name = "breakersHealthContributor")
    BreakersHealthContributor breakersHealthContributor(BreakerRegistry registry, BreakerProperties properties) {
        return new BreakersHealthContributor(registry, new PropertiesHealthPolicy(properties.getHealth()));
    }

    /** Health statuses from {@code breaker.health.*}. */
    private record PropertiesHealthPolicy(BreakerProperties.Health health)
            implements BreakersHealthContributor.BreakerHealthPolicy {

        @Override
        public boolean includes(String name) {
            BreakerProperties.HealthInstance instance = health.getInstances().get(name);
            return instance == null || instance.isEnabled();
        }

        @Override
        public Status openStatus(String name) {
            BreakerProperties.HealthInstance instance = health.getInstances().get(name);
            String code = instance != null && instance.getOpenStatus() != null ? instance.getOpenStatus()
                    : health.getOpenStatus();
            return status(code, BreakersHealthContributor.CIRCUIT_OPEN);
        }

        @Override
        public Status halfOpenStatus(String name) {
            BreakerProperties.HealthInstance instance = health.getInstances().get(name);
            String code = instance != null && instance.getHalfOpenStatus() != null ? instance.getHalfOpenStatus()
                    : health.getHalfOpenStatus();
            return status(code, BreakersHealthContributor.CIRCUIT_HALF_OPEN);
        }

        private static Status status(String code, Status standard) {
            return standard.getCode().equals(code) ? standard : new Status(code);
        }
    }
}
