package dev.breaker.sample.store;

import dev.breaker.spring.annotation.CircuitBreaker;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

import java.util.Objects;

/**
 * Asks the payments service to authorize payments, behind the {@code payments} breaker, which opens after a few
 * failures in a row. No fallback: a payment is authorized or it is not.
 */
@Component
class PaymentsClient {

    /** The payments service's answer. */
    record Authorization(String productId, String authorization) {
    }

    private final RestClient http;
    private final Downstreams downstreams;

    PaymentsClient(RestClient http, Downstreams downstreams) {
        this.http = http;
        this.downstreams = downstreams;
    }

    @CircuitBreaker(name = "payments")
    public Authorization authorize(String productId) {
        return Objects.requireNonNull(http.post()
                .uri(downstreams.url("/downstream/payments/{productId}"), productId)
                .retrieve()
                .body(Authorization.class), "The payments service answered no body");
    }
}
