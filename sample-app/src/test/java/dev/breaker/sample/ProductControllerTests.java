package dev.breaker.sample;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /products}: the inventory fallback, the pricing breaker's slow calls, and downstream failures. */
class ProductControllerTests extends StorefrontHttpTest {

    @Test
    void listsTheCatalog() {
        HttpResponse<String> response = http.get("/products");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("[{\"id\":\"1\",\"name\":\"Espresso cup\"},{\"id\":\"2\",\"name\":"
                + "\"Moka pot\"},{\"id\":\"3\",\"name\":\"Burr grinder\"}]");
    }

    @Test
    void anUnknownProductIs404() {
        HttpResponse<String> response = http.get("/products/99");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("No product with id '99'");
    }

    @Test
    void withoutAnyStockLevelSeenTheFallbackSaysTheStockIsUnknown() {
        // Product 3 is fetched live by no other test, so the fallback has no stock level of it to answer.
        chaos("inventory", "{\"failureRate\": 1.0}");

        HttpResponse<String> response = http.get("/products/3");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"id\":\"3\",\"name\":\"Burr grinder\",\"stock\":null,"
                + "\"stockSource\":\"unknown\",\"price\":129.00,\"currency\":\"EUR\"}");
    }

    @Test
    void aFailingPricingServiceIs502WhileItsBreakerIsClosed() {
        chaos("pricing", "{\"failureRate\": 1.0}");

        HttpResponse<String> response = http.get("/products/2");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("\"detail\":\"A downstream service answered 503\"");
        assertThat(state("pricing")).isEqualTo("CLOSED");
    }

    @Test
    void slowPricingOpensItsBreakerAndTheProductAnswers503WithRetryAfter() {
        // 600ms is slower than the slow-call duration (500ms) and faster than the read timeout (2s).
        chaos("pricing", "{\"latencyMs\": 600}");
        for (int i = 1; i <= 4; i++) {
            assertThat(http.get("/products/2").statusCode()).as("slow call %d", i).isEqualTo(200);
        }

        String pricing = http.get("/actuator/breakers/pricing").body();
        assertThat((String) JsonPath.read(pricing, "$.state")).isEqualTo("OPEN");
        assertThat((Double) JsonPath.read(pricing, "$.slowCallRate")).isEqualTo(100.0);
        assertThat((Integer) JsonPath.read(pricing, "$.failedCalls")).isZero();

        HttpResponse<String> rejected = http.get("/products/2");
        assertThat(rejected.statusCode()).isEqualTo(503);
        assertThat(rejected.headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Integer.parseInt(seconds)).isBetween(1, 15));
        assertThat(rejected.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat((String) JsonPath.read(rejected.body(), "$.breaker")).isEqualTo("pricing");
        assertThat((String) JsonPath.read(rejected.body(), "$.state")).isEqualTo("OPEN");
        String transitions = http.get("/actuator/breakerevents/pricing?type=STATE_TRANSITION").body();
        assertThat((String) JsonPath.read(transitions, "$.events[0].reason")).isEqualTo("SLOW_CALL_RATE_EXCEEDED");
    }

    @Test
    void aReadTimeoutIsAFailure() {
        // 2.2 s is longer than the read timeout (2 s): the call fails, and the fallback answers.
        http.get("/products/1");
        chaos("inventory", "{\"latencyMs\": 2200}");

        HttpResponse<String> response = http.get("/products/1");

        assertThat(response.body()).contains("\"stockSource\":\"cache\"");
        String inventory = http.get("/actuator/breakers/inventory").body();
        assertThat((Integer) JsonPath.read(inventory, "$.failedCalls")).isEqualTo(1);
    }

    private String state(String name) {
        return breaker(name, "$.state");
    }
}
