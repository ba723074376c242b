package dev.breaker.sample;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The asynchronous path, {@code GET /products/{id}/reviews} (a {@code CompletableFuture} all the way), behind the
 * {@code reviews} breaker, which opens after 3 failures in a row.
 */
class ReviewsTests extends StorefrontHttpTest {

    private static final String FALLBACK = "{\"productId\":\"1\",\"reviews\":[],\"source\":\"fallback\"}";

    @Test
    void answersTheReviewsLive() {
        HttpResponse<String> response = http.get("/products/1/reviews");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"productId\":\"1\",\"reviews\":[{\"rating\":5,\"text\":"
                + "\"Keeps the crema.\"},{\"rating\":4,\"text\":\"Smaller than it looks.\"}],\"source\":\"live\"}");
    }

    @Test
    void opensAfterThreeFailuresInARowAndTheAsyncFallbackAnswers() {
        int failuresBefore = breaker("reviews", "$.totalFailures");
        int notPermittedBefore = breaker("reviews", "$.notPermittedCalls");
        chaos("reviews", "{\"failureRate\": 1.0}");

        for (int failure = 1; failure <= 2; failure++) {
            assertThat(http.get("/products/1/reviews").body()).as("failure %d", failure).isEqualTo(FALLBACK);
            assertThat(state()).as("after %d failures", failure).isEqualTo("CLOSED");
        }
        assertThat(http.get("/products/1/reviews").body()).isEqualTo(FALLBACK);
        assertThat(state()).as("after 3 failures").isEqualTo("OPEN");

        HttpResponse<String> rejected = http.get("/products/1/reviews");
        assertThat(rejected.statusCode()).isEqualTo(200);
        assertThat(rejected.body()).isEqualTo(FALLBACK);
        assertThat((Integer) breaker("reviews", "$.totalFailures")).isEqualTo(failuresBefore + 3);
        assertThat((Integer) breaker("reviews", "$.notPermittedCalls")).isEqualTo(notPermittedBefore + 1);
        String transitions = http.get("/actuator/breakerevents/reviews?type=STATE_TRANSITION").body();
        assertThat((String) JsonPath.read(transitions, "$.events[0].reason")).isEqualTo("CONSECUTIVE_FAILURES");
    }

    @Test
    void failuresThatAreNotInARowDoNotOpenIt() {
        // Every second call fails: never 3 in a row, and 6 calls are fewer than the 10 minimum calls for the rate.
        chaos("reviews", "{\"failureRate\": 0.5}");

        for (int i = 0; i < 6; i++) {
            http.get("/products/1/reviews");
        }

        assertThat(state()).isEqualTo("CLOSED");
        assertThat((Integer) breaker("reviews", "$.failedCalls")).isEqualTo(3);
    }

    private String state() {
        return breaker("reviews", "$.state");
    }
}
