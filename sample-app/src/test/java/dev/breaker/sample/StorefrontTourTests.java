package dev.breaker.sample;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plays steps 1 to 8 of the README's tour step by step, over real HTTP, and checks what each step shows; steps 9
 * and 10 (recovery and emergency) are {@link RecoveryTourTests}.
 */
class StorefrontTourTests extends StorefrontHttpTest {

    private static final String FAILURES = "breaker_calls_total{name=\"inventory\",outcome=\"failure\"}";
    private static final String NOT_PERMITTED = "breaker_calls_total{name=\"inventory\",outcome=\"not_permitted\"}";
    private static final String OPENINGS = "breaker_transitions_total{from=\"closed\",name=\"inventory\",to=\"open\"}";

    @Test
    void theTourShowsABreakerOpeningAnsweringFromTheFallbackAndBeingReset() {
        // Lifetime counters, which other tests of the shared context may have moved already.
        int notPermittedBefore = breaker("inventory", "$.notPermittedCalls");
        double failuresBefore = prometheus(FAILURES);
        double notPermittedMetricBefore = prometheus(NOT_PERMITTED);
        double openingsBefore = prometheus(OPENINGS);

        // 1. Call a product: stock from the inventory service, price from the pricing service.
        HttpResponse<String> product = http.get("/products/1");
        assertThat(product.statusCode()).isEqualTo(200);
        assertThat(product.body()).isEqualTo("{\"id\":\"1\",\"name\":\"Espresso cup\",\"stock\":42,"
                + "\"stockSource\":\"live\",\"price\":12.50,\"currency\":\"EUR\"}");
        assertThat(state("inventory")).isEqualTo("CLOSED");

        // 2. Break inventory through chaos: refused without credentials, accepted from the admin.
        HttpResponse<String> anonymous = http.request("PUT", "/chaos/inventory").json("{\"failureRate\": 1.0}").send();
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Basic"));
        HttpResponse<String> broken = asAdmin("PUT", "/chaos/inventory").json("{\"failureRate\": 1.0}").send();
        assertThat(broken.statusCode()).isEqualTo(200);
        assertThat(broken.body()).isEqualTo("{\"failureRate\":1.0,\"latencyMs\":0}");
        assertThat(http.get("/chaos").body()).contains("\"inventory\":{\"failureRate\":1.0,\"latencyMs\":0}");

        // 3. Call the product 5 times: every answer still comes, with the stock from the fallback's cache.
        for (int i = 1; i <= 5; i++) {
            HttpResponse<String> answer = http.get("/products/1");
            assertThat(answer.statusCode()).as("call %d", i).isEqualTo(200);
            assertThat(answer.body()).as("call %d", i).isEqualTo("{\"id\":\"1\",\"name\":\"Espresso cup\","
                    + "\"stock\":42,\"stockSource\":\"cache\",\"price\":12.50,\"currency\":\"EUR\"}");
        }

        // 4. Watch the breaker open: the window holds the minimum 5 calls after the 4th failure, and 4 failures out
        // of 5 calls (80%) reach the 50% threshold. The 5th call of the loop was already answered without calling
        // inventory.
        HttpResponse<String> all = http.get("/actuator/breakers");
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat((String) JsonPath.read(all.body(), "$.breakers.inventory.state")).isEqualTo("OPEN");
        assertThat((String) JsonPath.read(all.body(), "$.breakers.pricing.state")).isEqualTo("CLOSED");
        String inventory = http.get("/actuator/breakers/inventory").body();
        assertThat((String) JsonPath.read(inventory, "$.state")).isEqualTo("OPEN");
        assertThat((String) JsonPath.read(inventory, "$.level")).isEqualTo("CRITICAL");
        assertThat((Double) JsonPath.read(inventory, "$.failureRate")).isEqualTo(80.0);
        assertThat((Integer) JsonPath.read(inventory, "$.failedCalls")).isEqualTo(4);
        assertThat((Integer) JsonPath.read(inventory, "$.notPermittedCalls")).isEqualTo(notPermittedBefore + 1);
        String transitions = http.get("/actuator/breakerevents/inventory?type=STATE_TRANSITION").body();
        assertThat((String) JsonPath.read(transitions, "$.events[0].toState")).isEqualTo("OPEN");
        assertThat((String) JsonPath.read(transitions, "$.events[0].reason")).isEqualTo("FAILURE_RATE_EXCEEDED");

        // 5. The open breaker no longer calls inventory: the fallback answers at once.
        HttpResponse<String> fallback = http.get("/products/1");
        assertThat(fallback.statusCode()).isEqualTo(200);
        assertThat(fallback.body()).contains("\"stock\":42,\"stockSource\":\"cache\"");
        assertThat((Integer) breaker("inventory", "$.notPermittedCalls")).isEqualTo(notPermittedBefore + 2);

        // 6. Health: the breaker shows as CIRCUIT_OPEN, and the application still answers 200.
        HttpResponse<String> health = http.get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat((String) JsonPath.read(health.body(),
                "$.components.breakers.components.breakers.components.inventory.status"))
                .isEqualTo("CIRCUIT_OPEN");

        // 7. The metric in Prometheus' format.
        HttpResponse<String> prometheus = http.get("/actuator/prometheus");
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body().lines())
                .contains("breaker_state{name=\"inventory\",state=\"open\"} 1.0")
                .contains("breaker_state{name=\"inventory\",state=\"closed\"} 0.0")
                .contains("breaker_state{name=\"inventory\",state=\"recovering\"} 0.0")
                .contains("breaker_level{level=\"critical\",name=\"inventory\"} 1.0")
                .contains("breaker_admitted_share_percent{name=\"inventory\"} 0.0");
        assertThat(prometheus(FAILURES)).isEqualTo(failuresBefore + 4);
        assertThat(prometheus(NOT_PERMITTED)).isEqualTo(notPermittedMetricBefore + 2);
        assertThat(prometheus(OPENINGS)).isEqualTo(openingsBefore + 1);

        // 8. The dashboard page.
        HttpResponse<String> dashboard = http.get("/breakers");
        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(dashboard.body()).contains("<title>Circuit breakers</title>");

        // 9. Heal inventory, then reset the breaker: refused without or with wrong credentials, done by the admin.
        asAdmin("PUT", "/chaos/inventory").json("{\"failureRate\": 0.0}").send();
        String reset = "/actuator/breakers/inventory/reset";
        HttpResponse<String> noCredentials = http.request("POST", reset).send();
        assertThat(noCredentials.statusCode()).isEqualTo(401);
        assertThat(noCredentials.headers().firstValue("WWW-Authenticate")).isPresent();
        HttpResponse<String> wrongPassword = http.request("POST", reset).basicAuth("admin", "not-the-password").send();
        assertThat(wrongPassword.statusCode()).isEqualTo(401);
        assertThat(state("inventory")).isEqualTo("OPEN");
        HttpResponse<String> admin = asAdmin("POST", reset).send();
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(admin.body()).isEqualTo("{\"name\":\"inventory\",\"state\":\"CLOSED\"}");

        // 10. Closed again, and the stock is live again.
        assertThat(state("inventory")).isEqualTo("CLOSED");
        assertThat(http.get("/products/1").body()).contains("\"stock\":42,\"stockSource\":\"live\"");
        assertThat(http.get("/actuator/prometheus").body().lines())
                .contains("breaker_state{name=\"inventory\",state=\"closed\"} 1.0");
    }

    private String state(String name) {
        return breaker(name, "$.state");
    }
}
