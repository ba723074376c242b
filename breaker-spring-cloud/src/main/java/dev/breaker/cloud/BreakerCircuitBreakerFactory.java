package dev.breaker.cloud;

import dev.breaker.Breaker;
import org.springframework.cloud.client.circuitbreaker.CircuitBreaker;
import org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory;

import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Spring Cloud's {@link CircuitBreakerFactory} on Breaker: {@code create(id)} is the registry's breaker called
 * {@code id}, configured by {@code breaker.instances.<id>} like any other (and by {@link #configure} and
 * {@link #configureDefault}, after the properties). A group name does not change the breaker.
 */
public final class BreakerCircuitBreakerFactory
        extends CircuitBreakerFactory<BreakerCloudConfig, BreakerCloudConfig.Builder> {

    private final CloudBreakers breakers;

    BreakerCircuitBreakerFactory(CloudBreakers breakers) {
        this.breakers = breakers;
    }

    @Override
    public CircuitBreaker create(String id) {
        return new BreakerCircuitBreaker(breakers.breaker(id));
    }

    @Override
    protected BreakerCloudConfig.Builder configBuilder(String id) {
        return new BreakerCloudConfig.Builder();
    }

    /** Adjusts the configuration of the breakers called {@code ids}, now and when they are made. */
    @Override
    public void configure(Consumer<BreakerCloudConfig.Builder> consumer, String... ids) {
        breakers.configure(consumer, ids);
    }

    /** Adjusts the configuration of every breaker asked for through a factory that has none of its own. */
    @Override
    public void configureDefault(Function<String, BreakerCloudConfig> defaultConfiguration) {
        breakers.configureDefault(defaultConfiguration);
    }

    /**
     * One breaker as Spring Cloud's {@link CircuitBreaker}: a rejected call and a call that fails with an error the
     * breaker records as a failure are answered by the fallback; other errors propagate as they are.
     */
    private record BreakerCircuitBreaker(Breaker breaker) implements CircuitBreaker {

        @Override
        public <T> T run(Supplier<T> toRun, Function<Throwable, T> fallback) {
            return breaker.get(toRun, fallback::apply);
        }
    }
}
