package dev.breaker.spring.autoconfigure;

import dev.breaker.BreakerRegistry;
import dev.breaker.spring.actuate.BreakerConfigOperation;
import dev.breaker.spring.actuate.BreakersEndpoint;
import dev.breaker.spring.reconfigure.BreakerEnvironmentChangeListener;
import dev.breaker.spring.reconfigure.BreakerRefresher;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvokerAdvisor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Live reconfiguration: the {@link BreakerRefresher}, a refresh on Spring Cloud's {@code EnvironmentChangeEvent},
 * and {@code POST /actuator/breakers/{name}/config}.
 */
@AutoConfiguration(after = BreakerAutoConfiguration.class)
public final class BreakerReconfigurationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    BreakerRefresher breakerRefresher(ConfigurableEnvironment environment, BreakerConfigFactory factory,
                                      BreakerRegistry registry) {
        return new BreakerRefresher(environment, factory, registry);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.cloud.context.environment.EnvironmentChangeEvent")
    static class SpringCloudRefreshConfiguration {

        @Bean
        @ConditionalOnMissingBean
        BreakerEnvironmentChangeListener breakerEnvironmentChangeListener(BreakerRefresher refresher) {
            return new BreakerEnvironmentChangeListener(refresher);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({OperationInvokerAdvisor.class, ConditionalOnAvailableEndpoint.class})
    static class EndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnAvailableEndpoint(BreakersEndpoint.class)
        BreakerConfigOperation breakerConfigOperation(BreakerRefresher refresher, BreakersEndpoint endpoint) {
            return new BreakerConfigOperation(refresher, endpoint);
        }
    }
}
