package dev.breaker.sample;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Plays steps 11 and 12 of the README's tour over real HTTP: a checkout that depends on payments is rejected without
 * being tried while payments is open and comes back by itself with it; recommendations, SHEDDABLE calls to inventory,
 * are shed first while inventory recovers. The waits are shortened (the tour's are 10 s for inventory and 60 s for
 * payments; payments' stays long enough to look at the blocked checkout on a busy machine) and the ramp lengthened,
 * so that the share stays at its 20 % floor (max(20 %, t / ramp)) for the first 24 s, while the test counts.
 */
@TestPropertySource(properties = {
        "breaker.instances.payments.wait-in-open=5s",
        "breaker.instances.inventory.wait-in-open=300ms",
        "breaker.instances.inventory.max-wait-in-open=1200ms",
        "breaker.instances.inventory.recovery.ramp=120s"})
class DependencyAndPriorityTourTests extends StorefrontHttpTest {

    /** Generous for a busy 2-core machine; every wait ends as soon as its condition holds. */
    private static final Duration AT_MOST = Duration.ofSeconds(30);

    @Test
    void aCheckoutWaitsForPayments_withoutTrying_andComesBackWithIt() {
        HttpResponse<String> order = http.request("POST", "/products/1/checkout").send();
        assertThat(order.statusCode()).isEqualTo(201);
        assertThat(order.body())
                .matches("\\{\"orderId\":\"ORDER-\\d+\",\"productId\":\"1\",\"authorization\":\"AUTH-\\d+\"}");

        // 11. Payments fails: three checkouts fail (502) and the payments breaker opens after 3 in a row.
        chaos("payments", "{\"failureRate\": 1.0}");
        for (int i = 0; i < 3; i++) {
            assertThat(http.request("POST", "/products/1/checkout").send().statusCode()).isEqualTo(502);
        }
        assertThat((String) breaker("payments", "$.state")).isEqualTo("OPEN");
        int checkoutWindow = breaker("checkout", "$.bufferedCalls");

        // The next checkout is rejected without being tried: 503, naming payments, with its Retry-After.
        HttpResponse<String> rejected = http.request("POST", "/products/1/checkout").send();
        assertThat(rejected.statusCode()).isEqualTo(503);
        assertThat(rejected.headers().firstValue("Retry-After")).isPresent();
        assertThat((String) JsonPath.read(rejected.body(), "$.reason")).isEqualTo("DEPENDENCY_OPEN");
        assertThat((String) JsonPath.read(rejected.body(), "$.blockedBy")).isEqualTo("payments");
        assertThat((String) JsonPath.read(rejected.body(), "$.breaker")).isEqualTo("checkout");
        assertThat((String) JsonPath.read(rejected.body(), "$.detail"))
                .startsWith("Breaker 'checkout' permits no calls while its dependency 'payments' is open");
        assertThat((String) breaker("checkout", "$.state")).isEqualTo("CLOSED");
        assertThat((String) breaker("checkout", "$.blockedBy")).isEqualTo("payments");
        assertThat((Integer) breaker("checkout", "$.bufferedCalls")).as("its window untouched")
                .isEqualTo(checkoutWindow);
        assertThat((Integer) breaker("checkout", "$.notPermittedByReason.DEPENDENCY_OPEN")).isPositive();
        assertThat((String) JsonPath.read(http.get("/actuator/health").body(),
                "$.components.breakers.components.breakers.components.checkout.details.blockedBy"))
                .isEqualTo("payments");
        String events = http.get("/actuator/breakerevents/checkout?type=CALL_NOT_PERMITTED").body();
        assertThat((String) JsonPath.read(events, "$.events[0].reason")).isEqualTo("DEPENDENCY_OPEN");
        assertThat((String) JsonPath.read(events, "$.events[0].blockedBy")).isEqualTo("payments");

        // Payments heals: after its wait the next checkout carries the payments trial, and both are back.
        chaos("payments", "{\"failureRate\": 0.0}");
        HttpResponse<String> placed = await("a checkout placed again").atMost(AT_MOST)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> http.request("POST", "/products/1/checkout").send(), r -> r.statusCode() == 201);
        assertThat(placed.body()).contains("\"productId\":\"1\"");
        assertThat((String) breaker("payments", "$.state")).isEqualTo("CLOSED");
        assertThat((String) breaker("checkout", "$.state")).isEqualTo("CLOSED");
        Object blockedBy = breaker("checkout", "$.blockedBy");
        assertThat(blockedBy).isNull();
    }

    @Test
    void recommendations_areShedFirst_whileInventoryRecovers() {
        assertThat(source(http.get("/products/1/recommendations"))).isEqualTo("live");
        assertThat(http.get("/products/1/recommendations").body()).isEqualTo("{\"productId\":\"1\",\"products\":"
                + "[{\"id\":\"2\",\"name\":\"Moka pot\",\"stock\":7}],\"source\":\"live\"}");

        // 12. Break inventory until its breaker opens, heal it, and wait for it to recover.
        chaos("inventory", "{\"failureRate\": 1.0}");
        for (int i = 0; i < 5; i++) {
            http.get("/products/1");
        }
        assertThat((String) breaker("inventory", "$.state")).isEqualTo("OPEN");
        chaos("inventory", "{\"failureRate\": 0.0}");
        await("RECOVERING").atMost(AT_MOST).pollInterval(Duration.ofMillis(50)).until(() -> {
            http.get("/products/1");
            return breaker("inventory", "$.state").equals("RECOVERING");
        });
        int shedBefore = sheddableRejections();

        // While it lets about a fifth of the calls through, product pages (CRITICAL) get that fifth, and
        // recommendations (SHEDDABLE) get the cube of it: almost none.
        int liveStock = 0;
        int liveRecommendations = 0;
        for (int i = 0; i < 50; i++) {
            liveStock += stockSource(http.get("/products/1")).equals("live") ? 1 : 0;
            liveRecommendations += source(http.get("/products/1/recommendations")).equals("live") ? 1 : 0;
        }

        assertThat((String) breaker("inventory", "$.state")).isEqualTo("RECOVERING");
        assertThat(liveStock).as("about 20 % of 50").isBetween(9, 13);
        assertThat(liveRecommendations).as("about 0.2^3 of 50").isLessThanOrEqualTo(1);
        assertThat(sheddableRejections() - shedBefore).isGreaterThanOrEqualTo(49);
        // A request may lower its own priority too: the product page, asked for as SHEDDABLE, is shed like them.
        List<String> sheddablePages = java.util.stream.IntStream.range(0, 10).mapToObj(i -> stockSource(
                http.request("GET", "/products/1").header("Breaker-Priority", "sheddable").send())).toList();
        assertThat(sheddablePages).containsOnly("cache");
    }

    private int sheddableRejections() {
        Map<String, Integer> byPriority = JsonPath.read(http.get("/actuator/breakers/inventory").body(),
                "$.notPermittedByPriority");
        return byPriority.getOrDefault("SHEDDABLE", 0);
    }

    private static String source(HttpResponse<String> recommendations) {
        assertThat(recommendations.statusCode()).isEqualTo(200);
        return JsonPath.read(recommendations.body(), "$.source");
    }

    private static String stockSource(HttpResponse<String> product) {
        assertThat(product.statusCode()).isEqualTo(200);
        return JsonPath.read(product.body(), "$.stockSource");
    }
}
