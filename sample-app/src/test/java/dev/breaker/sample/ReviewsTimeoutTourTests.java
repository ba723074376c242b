package dev.breaker.sample;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's slow-reviews step over real HTTP: the reviews service answers in 1.5 s, and the {@code reviews}
 * breaker's timeout (shortened here from the sample's 1 s to 300 ms) fails each call well before that. The
 * fallback answers, three timeouts in a row open the breaker, and from then on the fallback answers at once.
 */
@TestPropertySource(properties = "breaker.instances.reviews.timeout=300ms")
class ReviewsTimeoutTourTests extends StorefrontHttpTest {

    private static final String FALLBACK = "{\"productId\":\"1\",\"reviews\":[],\"source\":\"fallback\"}";
    private static final Duration SERVICE_LATENCY = Duration.ofMillis(1500);

    @Test
    void aSlowReviewsServiceTimesOut_opensTheBreaker_andTheFallbackAnswersBeforeTheService() {
        assertThat((Double) breaker("reviews", "$.timeoutMillis")).isEqualTo(300.0);
        assertThat(prometheus("breaker_timeout_seconds{name=\"reviews\"}")).isEqualTo(0.3);
        int notPermittedBefore = breaker("reviews", "$.notPermittedCalls");
        chaos("reviews", "{\"latencyMs\": " + SERVICE_LATENCY.toMillis() + "}");

        for (int call = 1; call <= 3; call++) {
            long started = System.nanoTime();
            HttpResponse<String> answer = http.get("/products/1/reviews");
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).as("call %d", call).isEqualTo(FALLBACK);
            assertThat(took).as("call %d: answered at the timeout, not when the service answered", call)
                    .isLessThan(SERVICE_LATENCY);
        }

        assertThat((String) breaker("reviews", "$.state")).isEqualTo("OPEN");
        String failures = http.get("/actuator/breakerevents/reviews?type=FAILURE").body();
        List<String> errors = JsonPath.read(failures, "$.events[*].errorType");
        assertThat(errors).hasSize(3).containsOnly("dev.breaker.CallTimeoutException");
        String transitions = http.get("/actuator/breakerevents/reviews?type=STATE_TRANSITION").body();
        assertThat((String) JsonPath.read(transitions, "$.events[0].reason")).isEqualTo("CONSECUTIVE_FAILURES");

        HttpResponse<String> rejected = http.get("/products/1/reviews");
        assertThat(rejected.body()).isEqualTo(FALLBACK);
        assertThat((Integer) breaker("reviews", "$.notPermittedCalls")).isEqualTo(notPermittedBefore + 1);
    }
}
