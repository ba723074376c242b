package dev.breaker.sample.store;

import dev.breaker.spring.annotation.CircuitBreaker;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Asks the reviews service for a product's reviews asynchronously, behind the {@code reviews} breaker, which opens
 * after a few failures in a row. The breaker records the outcome when the future completes; the fallback answers an
 * empty list, since a product page does well enough without reviews.
 */
@Component
class ReviewsClient {

    private static final ParameterizedTypeReference<List<Reviews.Review>> REVIEW_LIST =
            new ParameterizedTypeReference<>() {
            };

    private final RestClient http;
    private final Downstreams downstreams;
    private final Executor executor;

    ReviewsClient(RestClient http, Downstreams downstreams,
                  @Qualifier("applicationTaskExecutor") Executor executor) {
        this.http = http;
        this.downstreams = downstreams;
        this.executor = executor;
    }

    @CircuitBreaker(name = "reviews", fallbackMethod = "noReviews")
    public CompletableFuture<Reviews> reviews(String productId) {
        return CompletableFuture.supplyAsync(() -> new Reviews(productId, Objects.requireNonNull(http.get()
                .uri(downstreams.url("/downstream/reviews/{productId}"), productId)
                .retrieve()
                .body(REVIEW_LIST), "The reviews service answered no body"), Reviews.LIVE), executor);
    }

    /** The fallback of {@link #reviews}: no reviews. */
    CompletableFuture<Reviews> noReviews(String productId, Throwable error) {
        return CompletableFuture.completedFuture(new Reviews(productId, List.of(), Reviews.FALLBACK));
    }
}
