package dev.breaker.spring.autoconfigure;

import dev.breaker.BreakerRegistry;
import dev.breaker.Ticker;
import dev.breaker.spring.http.BreakerClientHttpRequestInterceptor;
import dev.breaker.spring.http.BreakerExchangeFilterFunction;
import dev.breaker.spring.http.FailureStatuses;
import dev.breaker.spring.http.HostBreakerNames;
import dev.breaker.spring.http.HostBreakers;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import java.time.Duration;

/**
 * A breaker per downstream host for the {@code RestClient.Builder} and {@code WebClient.Builder} Spring Boot
 * provides, when {@code breaker.http-client.enabled} is true.
 */
@AutoConfiguration(after = BreakerAutoConfiguration.class)
@ConditionalOnBooleanProperty("breaker.http-client.enabled")
public final class BreakerHttpClientAutoConfiguration {

    private static final String PREFIX = "breaker.http-client.";

    @Bean
    @ConditionalOnMissingBean
    HostBreakers breakerHostBreakers(BreakerRegistry registry, BreakerProperties properties,
                                     ObjectProvider<Ticker> ticker) {
        BreakerProperties.HttpClient http = properties.getHttpClient();
        // The pattern was checked with the other breaker properties, when the registry's factory was created.
        HostBreakerNames names = HostBreakerNames.of(http.getNamePattern());
        for (int i = 0; i < http.getFailureStatuses().size(); i++) {
            String entry = http.getFailureStatuses().get(i);
            if (!FailureStatuses.isValid(entry)) {
                String key = PREFIX + "failure-statuses[" + i + "]";
                throw new InvalidBreakerPropertyException(key, entry,
                        "must be a status code from 100 to 599 or a class from 1xx to 5xx",
                        "Set " + key + " to a status code such as 503 or a class such as 5xx.");
            }
        }
        if (http.getMaxBreakers() < 0) {
            throw new InvalidBreakerPropertyException(PREFIX + "max-breakers", http.getMaxBreakers(),
                    "must be at least 0", "Set " + PREFIX + "max-breakers to the most hosts with a breaker each.");
        }
        Duration idle = http.getIdleEviction();
        if (idle.isNegative()) {
            throw new InvalidBreakerPropertyException(PREFIX + "idle-eviction", idle, "must not be negative",
                    "Set " + PREFIX + "idle-eviction to a duration such as 10m, or 0 to keep idle breakers.");
        }
        return new HostBreakers(registry, names, FailureStatuses.of(http.getFailureStatuses()),
                host -> http.getHosts().keySet().stream().anyMatch(listed -> listed.equalsIgnoreCase(host)),
                http.getMaxBreakers(), http.getOverflowBreaker(), idle, ticker.getIfUnique(Ticker::system));
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({RestClient.class, RestClientCustomizer.class})
    static class RestClientConfiguration {

        @Bean
        @ConditionalOnMissingBean
        BreakerClientHttpRequestInterceptor breakerClientHttpRequestInterceptor(HostBreakers hosts) {
            return new BreakerClientHttpRequestInterceptor(hosts);
        }

        @Bean
        RestClientCustomizer breakerRestClientCustomizer(BreakerClientHttpRequestInterceptor interceptor) {
            return builder -> builder.requestInterceptor(interceptor);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({WebClient.class, WebClientCustomizer.class})
    static class WebClientConfiguration {

        @Bean
        @ConditionalOnMissingBean
        BreakerExchangeFilterFunction breakerExchangeFilterFunction(HostBreakers hosts) {
            return new BreakerExchangeFilterFunction(hosts);
        }

        @Bean
        WebClientCustomizer breakerWebClientCustomizer(BreakerExchangeFilterFunction filter) {
            return builder -> builder.filter(filter);
        }
    }
}
