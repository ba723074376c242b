package dev.breaker.spring.autoconfigure;

import dev.breaker.BreakerRegistry;
import dev.breaker.EventType;
import dev.breaker.spring.actuate.BreakerClusterOperations;
import dev.breaker.spring.actuate.BreakerEventBuffer;
import dev.breaker.spring.actuate.BreakerEventsEndpoint;
import dev.breaker.spring.actuate.BreakersEndpoint;
import dev.breaker.spring.actuate.EndpointRequestBodyFilter;
import jakarta.servlet.Filter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import java.util.EnumSet;
import java.util.Set;

/** The {@code breakers} and {@code breakerevents} Actuator endpoints. */
@AutoConfiguration(after = BreakerAutoConfiguration.class)
@ConditionalOnClass({WebEndpoint.class, ConditionalOnAvailableEndpoint.class})
public final class BreakerEndpointsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(BreakersEndpoint.class)
    BreakersEndpoint breakersEndpoint(BreakerRegistry registry, ObjectProvider<BreakerClusterOperations> cluster) {
        return new BreakersEndpoint(registry, cluster.getIfAvailable());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(BreakerEventsEndpoint.class)
    BreakerEventBuffer breakerEventBuffer(BreakerRegistry registry, BreakerProperties properties) {
        BreakerProperties.Events events = properties.getEvents();
        return new BreakerEventBuffer(registry, eventTypes(events), events.getBufferSize());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(BreakerEventsEndpoint.class)
    BreakerEventsEndpoint breakerEventsEndpoint(BreakerRegistry registry, BreakerEventBuffer buffer,
                                                BreakerProperties properties) {
        return new BreakerEventsEndpoint(registry, buffer, properties.getEvents().isIncludeMessages());
    }

    /** Refuses request bodies the breaker endpoints do not take (413, 415) before anything parses them. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(Filter.class)
    static class RequestBodyConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "breakerEndpointRequestBodyFilter")
        FilterRegistrationBean<EndpointRequestBodyFilter> breakerEndpointRequestBodyFilter(
                ObjectProvider<PathMappedEndpoints> endpoints) {
            FilterRegistrationBean<EndpointRequestBodyFilter> registration =
                    new FilterRegistrationBean<>(new EndpointRequestBodyFilter());
            BreakerEndpointPaths.exposedPaths(endpoints.getIfAvailable())
                    .forEach(path -> registration.addUrlPatterns(path, path + "/*"));
            // Without a pattern a registration would filter every request: none of ours is exposed, nothing to do.
            registration.setEnabled(!registration.getUrlPatterns().isEmpty());
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
            return registration;
        }
    }

    private static Set<EventType> eventTypes(BreakerProperties.Events events) {
        if (events.getBufferSize() < 1) {
            throw new InvalidBreakerPropertyException("breaker.events.buffer-size", events.getBufferSize(),
                    "must be at least 1",
                    "Set breaker.events.buffer-size to the number of events to keep per breaker and event type.");
        }
        Set<EventType> types = EnumSet.noneOf(EventType.class);
        types.addAll(events.getTypes());
        return types;
    }
}
