package dev.breaker.cloud;

import dev.breaker.BreakerConfig;
import org.springframework.cloud.client.circuitbreaker.ConfigBuilder;

import java.util.function.Consumer;

/**
 * What a Spring Cloud {@code Customizer} changes in the configuration of some circuit breakers: adjustments made
 * after the {@code breaker.*} properties, like a {@code BreakerConfigCustomizer}'s.
 *
 * @param adjustments applied to the builder of each breaker concerned
 */
public record BreakerCloudConfig(Consumer<BreakerConfig.Builder> adjustments) {

    /** Builds a {@link BreakerCloudConfig} for {@code CircuitBreakerFactory.configure}. */
    public static final class Builder implements ConfigBuilder<BreakerCloudConfig> {

        private Consumer<BreakerConfig.Builder> adjustments = builder -> {
        };

        /** Adds adjustments of the breaker's configuration, made after those added before. */
        public Builder config(Consumer<BreakerConfig.Builder> adjustment) {
            adjustments = adjustments.andThen(adjustment);
            return this;
        }

        @Override
        public BreakerCloudConfig build() {
            return new BreakerCloudConfig(adjustments);
        }
    }
}
