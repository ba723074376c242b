package dev.breaker.spring.actuate;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/**
 * Orders the breaker health statuses between DOWN and UP (most severe first: DOWN, OUT_OF_SERVICE, CIRCUIT_OPEN,
 * CIRCUIT_HALF_OPEN, UP, UNKNOWN), as a default the application's own
 * {@code management.endpoint.health.status.order} replaces. Without it, unknown statuses would rank above DOWN.
 */
public final class BreakerHealthStatusOrder implements EnvironmentPostProcessor {

    static final String PROPERTY = "management.endpoint.health.status.order";
    static final String ORDER = "DOWN,OUT_OF_SERVICE,CIRCUIT_OPEN,CIRCUIT_HALF_OPEN,UP,UNKNOWN";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource("breakerHealthStatusOrder",
                Map.of(PROPERTY, ORDER)));
    }
}
