package dev.breaker.spring.autoconfigure;

import dev.breaker.spring.priority.PriorityExchangeFilter;
import dev.breaker.spring.priority.PriorityHeader;
import dev.breaker.spring.priority.PriorityRequestInterceptor;
import dev.breaker.spring.priority.PriorityServletFilter;
import dev.breaker.spring.priority.PriorityWebFilter;
import jakarta.servlet.Filter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.WebFilter;

/**
 * The priority of web requests and of the calls they make: a servlet filter (Spring MVC) or a web filter (WebFlux)
 * reading {@code breaker.priority.header} when {@code breaker.priority.enabled} is true, and the header on the
 * calls of the application's {@code RestClient} and {@code WebClient} builders when {@code breaker.priority.propagate}
 * is true. Both are off by default.
 */
@AutoConfiguration(after = BreakerAutoConfiguration.class)
public final class BreakerPriorityAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @Conditional(PriorityHeaderInUse.class)
    PriorityHeader breakerPriorityHeader(BreakerProperties properties) {
        BreakerProperties.RequestPriority priority = properties.getPriority();
        if (priority.getHeader() == null || priority.getHeader().isBlank()) {
            throw new InvalidBreakerPropertyException("breaker.priority.header", priority.getHeader(),
                    "must name a header", "Set breaker.priority.header to a header name such as Breaker-Priority.");
        }
        return new PriorityHeader(priority.getHeader().trim(), priority.isAllowRaise());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty("breaker.priority.enabled")
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(Filter.class)
    static class ServletConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "breakerPriorityFilter")
        FilterRegistrationBean<PriorityServletFilter> breakerPriorityFilter(PriorityHeader header) {
            FilterRegistrationBean<PriorityServletFilter> registration =
                    new FilterRegistrationBean<>(new PriorityServletFilter(header));
            // Early, so that every later filter and the handler run in the request's priority.
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
            return registration;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty("breaker.priority.enabled")
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    @ConditionalOnClass({WebFilter.class, reactor.core.publisher.Mono.class})
    static class ReactiveConfiguration {

        @Bean
        @ConditionalOnMissingBean
        PriorityWebFilter breakerPriorityWebFilter(PriorityHeader header) {
            return new PriorityWebFilter(header);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty("breaker.priority.propagate")
    @ConditionalOnClass(RestClientCustomizer.class)
    static class RestClientPropagation {

        @Bean
        RestClientCustomizer breakerPriorityRestClientCustomizer(PriorityHeader header) {
            PriorityRequestInterceptor interceptor = new PriorityRequestInterceptor(header.name());
            return builder -> builder.requestInterceptor(interceptor);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty("breaker.priority.propagate")
    @ConditionalOnClass({WebClientCustomizer.class, WebClient.class})
    static class WebClientPropagation {

        @Bean
        WebClientCustomizer breakerPriorityWebClientCustomizer(PriorityHeader header) {
            PriorityExchangeFilter filter = new PriorityExchangeFilter(header.name());
            return builder -> builder.filter(filter);
        }
    }

    /** The header is read by the filters or written by the clients: {@code enabled} or {@code propagate}. */
    static final class PriorityHeaderInUse extends AnyNestedCondition {

        PriorityHeaderInUse() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnBooleanProperty("breaker.priority.enabled")
        static final class Enabled {
        }

        @ConditionalOnBooleanProperty("breaker.priority.propagate")
        static final class Propagated {
        }
    }
}
