package dev.breaker.spring.autoconfigure;

import dev.breaker.BreakerRegistry;
import dev.breaker.EventType;
import dev.breaker.spring.actuate.BreakerClusterOperations;
import dev.breaker.spring.actuate.BreakerEventBuffer;
import dev.breaker.spring.actuate.BreakerEventsEndpoint;
import dev.breaker.spring.actuate.BreakerHistoryEndpoint;
import dev.breaker.spring.alerts.BreakerAlerts;
import dev.breaker.spring.alerts.BreakerTransitions;
import dev.breaker.spring.history.BreakerHistory;
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

import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;

/**
 * The {@code breakers}, {@code breakerevents} and {@code breakerhistory} Actuator endpoints, and what they read: the
 * recent events, the last transitions and alerts, the sampled history.
 */
@AutoConfiguration(after = BreakerAutoConfiguration.class)
@ConditionalOnClass({WebEndpoint.class, ConditionalOnAvailableEndpoint.class})
public final class BreakerEndpointsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(BreakersEndpoint.class)
    BreakersEndpoint breakersEndpoint(BreakerRegistry registry, ObjectProvider<BreakerClusterOperations> cluster,
                                      BreakerTransitions transitions, BreakerAlerts alerts) {
        return new BreakersEndpoint(registry, cluster.getIfAvailable(), transitions, alerts);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(BreakersEndpoint.class)
    BreakerTransitions breakerTransitions(BreakerRegistry registry) {
        return new BreakerTransitions(registry);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(BreakersEndpoint.class)
    BreakerAlerts breakerAlerts(BreakerRegistry registry, BreakerTransitions transitions,
                                BreakerProperties properties) {
        int kept = properties.getAlerts().getKept();
        if (kept < 1) {
            throw new InvalidBreakerPropertyException("breaker.alerts.kept", kept, "must be at least 1",
                    "Set breaker.alerts.kept to the number of recent alerts to keep, all breakers together.");
        }
        return new BreakerAlerts(registry, transitions, kept);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(BreakerHistoryEndpoint.class)
    BreakerHistory breakerHistory(BreakerRegistry registry, BreakerProperties properties) {
        BreakerProperties.History history = properties.getHistory();
        if (history.getInterval().toMillis() < 1) {
            throw new InvalidBreakerPropertyException("breaker.history.interval", history.getInterval(),
                    "must be at least 1 ms", "Set breaker.history.interval to how often to sample, such as 5s.");
        }
        if (history.getSamples() < 2) {
            throw new InvalidBreakerPropertyException("breaker.history.samples", history.getSamples(),
                    "must be at least 2", "Set breaker.history.samples to the samples to keep per breaker, such as "
                            + "720 (an hour at one per 5 s).");
        }
        return new BreakerHistory(registry, history.getInterval(), history.getSamples(), Clock.systemUTC());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(BreakerHistoryEndpoint.class)
    BreakerHistoryEndpoint breakerHistoryEndpoint(BreakerRegistry registry, BreakerHistory history) {
        return new BreakerHistoryEndpoint(registry, history);
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
