package dev.breaker.sample;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Plays steps 9 and 10 of the README's tour over real HTTP: an inventory outage that escalates to an EMERGENCY
 * (the fallback answers differently), then heals and comes back through RECOVERING to CLOSED. The waits and the ramp
 * are shortened (the tour's are 10 s, 20 s, 40 s and 30 s), the rest is the sample's configuration.
 */
@TestPropertySource(properties = {
        "breaker.instances.inventory.wait-in-open=300ms",
        "breaker.instances.inventory.max-wait-in-open=1200ms",
        "breaker.instances.inventory.recovery.ramp=2s"})
class RecoveryTourTests extends StorefrontHttpTest {

    /** Generous for a busy 2-core machine; every wait ends as soon as its condition holds. */
    private static final Duration AT_MOST = Duration.ofSeconds(30);

    @Test
    void anOutageEscalatesToAnEmergency_thenRecoversGraduallyToClosed() {
        // Product 1 seen live once, so that the fallback has a stock level to answer from.
        assertThat(stockSource(http.get("/products/1"))).isEqualTo("live");

        // 9. Break inventory: the breaker opens (4 failures of 5 calls), the fallback answers from the cache.
        chaos("inventory", "{\"failureRate\": 1.0}");
        for (int i = 0; i < 4; i++) {
            assertThat(stockSource(http.get("/products/1"))).isEqualTo("cache");
        }
        assertThat((String) inventory("$.state")).isEqualTo("OPEN");
        assertThat((String) inventory("$.level")).isEqualTo("CRITICAL");

        // 10. Left broken, each trial fails: after the second failed recovery in a row the level is EMERGENCY,
        // and rejected calls answer "emergency" instead of the stale stock.
        HttpResponse<String> emergency = await("the fallback's emergency answer").atMost(AT_MOST)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> http.get("/products/1"), product -> stockSource(product).equals("emergency"));
        assertThat(emergency.body()).isEqualTo("{\"id\":\"1\",\"name\":\"Espresso cup\",\"stock\":null,"
                + "\"stockSource\":\"emergency\",\"price\":12.50,\"currency\":\"EUR\"}");
        assertThat((String) inventory("$.level")).isEqualTo("EMERGENCY");
        assertThat((Integer) inventory("$.escalations")).isEqualTo(2);
        assertThat((String) JsonPath.read(http.get("/actuator/health").body(),
                "$.components.breakers.components.breakers.components.inventory.details.level"))
                .isEqualTo("EMERGENCY");
        String emergencies = http.get("/actuator/breakerevents/inventory?type=EMERGENCY").body();
        assertThat((String) JsonPath.read(emergencies, "$.events[0].reason")).isEqualTo("FAILED_RECOVERIES");
        assertThat((Integer) JsonPath.read(emergencies, "$.events[0].failedRecoveries")).isEqualTo(2);
        assertThat(prometheus("breaker_level{level=\"emergency\",name=\"inventory\"}")).isEqualTo(1.0);

        // Heal inventory: after the wait, one trial call (one at a time in an emergency) succeeds, and the breaker
        // is RECOVERING: UP in health, with the share it lets through and the time left in its ramp.
        chaos("inventory", "{\"failureRate\": 0.0}");
        await("RECOVERING").atMost(AT_MOST).pollInterval(Duration.ofMillis(50)).until(() -> {
            http.get("/products/1");
            return inventory("$.state").equals("RECOVERING");
        });
        String recovering = http.get("/actuator/breakers/inventory").body();
        assertThat((String) JsonPath.read(recovering, "$.level")).isEqualTo("CRITICAL");
        assertThat(((Number) JsonPath.read(recovering, "$.admittedSharePercent")).doubleValue()).isBetween(20.0, 100.0);
        assertThat(((Number) JsonPath.read(recovering, "$.rampRemainingMillis")).longValue()).isBetween(0L, 2000L);
        String health = http.get("/actuator/health/breakers/breakers/inventory").body();
        assertThat((String) JsonPath.read(health, "$.status")).isEqualTo("UP");
        assertThat((String) JsonPath.read(health, "$.details.state")).isEqualTo("RECOVERING");
        assertThat(((Number) JsonPath.read(health, "$.details.admittedSharePercent")).doubleValue()).isBetween(20.0,
                100.0);
        assertThat(prometheus("breaker_state{name=\"inventory\",state=\"recovering\"}")).isEqualTo(1.0);

        // Calls over the share answer from the cache (the level is CRITICAL again), the others live; once the ramp
        // is over the next call closes the breaker.
        List<String> sources = new ArrayList<>();
        await("CLOSED").atMost(AT_MOST).pollInterval(Duration.ofMillis(50)).until(() -> {
            sources.add(stockSource(http.get("/products/1")));
            return inventory("$.state").equals("CLOSED");
        });
        assertThat(sources).contains("live").isSubsetOf("live", "cache");
        assertThat((String) inventory("$.level")).isEqualTo("NORMAL");
        assertThat(((Number) inventory("$.admittedSharePercent")).doubleValue()).isEqualTo(100.0);
        String events = http.get("/actuator/breakerevents/inventory").body();
        List<String> types = JsonPath.read(events, "$.events[*].type");
        assertThat(types).containsSubsequence("RECOVERY_COMPLETED", "RECOVERY_STARTED", "EMERGENCY");
        assertThat(stockSource(http.get("/products/1"))).isEqualTo("live");
    }

    private <T> T inventory(String jsonPath) {
        return breaker("inventory", jsonPath);
    }

    private static String stockSource(HttpResponse<String> product) {
        assertThat(product.statusCode()).isEqualTo(200);
        return JsonPath.read(product.body(), "$.stockSource");
    }
}
