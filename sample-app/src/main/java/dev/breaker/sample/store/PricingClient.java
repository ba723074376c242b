package dev.breaker.sample.store;

import dev.breaker.spring.annotation.CircuitBreaker;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

import java.util.Objects;

/**
 * Asks the pricing service for prices, behind the {@code pricing} breaker, which also opens when too many calls are
 * slow. There is deliberately no fallback: the storefront does not sell at a guessed price. While the breaker is
 * open, the starter answers the product request with 503, a {@code Retry-After} header and a problem detail.
 */
@Component
class PricingClient {

    private final RestClient http;
    private final Downstreams downstreams;

    PricingClient(RestClient http, Downstreams downstreams) {
        this.http = http;
        this.downstreams = downstreams;
    }

    @CircuitBreaker(name = "pricing")
    public Price price(String productId) {
        return Objects.requireNonNull(http.get()
                .uri(downstreams.url("/downstream/pricing/{productId}"), productId)
                .retrieve()
                .body(Price.class), "The pricing service answered no body");
    }
}
