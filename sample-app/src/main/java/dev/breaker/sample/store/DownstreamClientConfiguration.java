package dev.breaker.sample.store;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

/**
 * The one {@link RestClient} of the downstream clients, from Spring Boot's builder: its timeouts are
 * {@code spring.http.clients.connect-timeout} and {@code read-timeout} (see application.yml), and its calls are
 * observed as {@code http.client.requests}.
 */
@Configuration(proxyBeanMethods = false)
class DownstreamClientConfiguration {

    @Bean
    RestClient downstreamRestClient(RestClient.Builder builder) {
        return builder.build();
    }
}
