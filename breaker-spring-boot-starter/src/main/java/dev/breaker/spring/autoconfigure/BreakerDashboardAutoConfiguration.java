package dev.breaker.spring.autoconfigure;

import dev.breaker.spring.actuate.BreakerEventsEndpoint;
import dev.breaker.spring.actuate.BreakerHistoryEndpoint;
import dev.breaker.spring.dashboard.BreakerDashboardController;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The live dashboard page at {@code breaker.dashboard.path} (default {@code /breakers}), served by Spring MVC or
 * WebFlux when {@code breaker.dashboard.enabled=true}. The page reads the {@code breakers} Actuator endpoint, and the
 * {@code breakerhistory} and {@code breakerevents} endpoints where they are exposed, at the paths Actuator maps them
 * to, on the same port.
 */
@AutoConfiguration(after = BreakerAutoConfiguration.class)
@ConditionalOnWebApplication
@ConditionalOnClass({GetMapping.class, PathMappedEndpoints.class})
@ConditionalOnBooleanProperty(name = "breaker.dashboard.enabled")
@EnableConfigurationProperties(BreakerProperties.class)
public final class BreakerDashboardAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    BreakerDashboardController breakerDashboardController(BreakerProperties properties,
                                                          ObjectProvider<PathMappedEndpoints> endpoints) {
        PathMappedEndpoints paths = endpoints.getIfAvailable();
        return new BreakerDashboardController(BreakerEndpointPaths.breakersPath(paths),
                BreakerEndpointPaths.exposedPath(paths, BreakerHistoryEndpoint.ID),
                BreakerEndpointPaths.exposedPath(paths, BreakerEventsEndpoint.ID), properties.getDashboard().getPath());
    }
}
