package dev.breaker.spring.actuate;

import dev.breaker.Breaker;
import dev.breaker.BreakerRegistry;
import dev.breaker.FakeTicker;
import dev.breaker.spring.history.BreakerHistory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;

import static dev.breaker.spring.actuate.ActuatorClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The breakerhistory endpoint over real HTTP, its samples taken by the test on the fake clock. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = {ActuatorTestApp.class, BreakerHistoryEndpointTests.FakeClockHistory.class},
        properties = {
                "management.endpoints.web.exposure.include=breakers,breakerhistory",
                "breaker.instances.orders.minimum-calls=2"})
class BreakerHistoryEndpointTests {

    @LocalServerPort
    int port;

    @Autowired
    BreakerRegistry registry;

    @Autowired
    FakeTicker ticker;

    @Autowired
    BreakerHistory history;

    @Test
    void history_ofEveryBreakerAndOfOne_andOnlyWhatIsNewAfterSince() throws Exception {
        Breaker orders = registry.breaker("orders");
        long first = ticker.now().toEpochMilli();
        history.sample();
        for (int i = 0; i < 10; i++) {
            if (orders.tryAcquire()) {
                orders.onFailure(0, new IOException("down"));
            }
        }
        ticker.advance(Duration.ofSeconds(5));
        history.sample();
        ActuatorClient client = new ActuatorClient(port);

        JsonNode all = json(client.get("/actuator/breakerhistory"));
        assertThat(all.get("intervalMillis").asLong()).as("this test's hour").isEqualTo(3_600_000);
        assertThat(all.get("samplesKept").asInt()).isEqualTo(720);
        assertThat(all.get("bytesPerBreaker").asLong()).isEqualTo(21_792);
        JsonNode samples = all.get("breakers").get("orders");
        assertThat(samples.get("time").get(0).asLong()).isEqualTo(first);
        assertThat(samples.get("callsPerSecond").get(0).isNull()).isTrue();
        assertThat(samples.get("callsPerSecond").get(1).asDouble()).as("10 calls in 5 s").isEqualTo(2.0);
        assertThat(samples.get("rejectedPerSecond").get(1).asDouble()).as("8 rejected in 5 s").isEqualTo(1.6);
        assertThat(samples.get("state").get(1).asString()).isEqualTo("OPEN");
        assertThat(samples.get("failureRate").get(1).asDouble()).isEqualTo(100.0);

        JsonNode newer = json(client.get("/actuator/breakerhistory/orders?since=" + first));
        assertThat(newer.get("breakers").get("orders").get("time")).hasSize(1);
        assertThat(newer.get("breakers").get("orders").get("time").get(0).asLong()).isEqualTo(first + 5000);
        assertThat(json(client.get("/actuator/breakerhistory?since=" + (first + 5000))).get("breakers")
                .get("orders").get("time")).isEmpty();
    }

    @Test
    void unknownBreaker_is404() throws Exception {
        HttpResponse<String> response = new ActuatorClient(port).get("/actuator/breakerhistory/nope");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("error").asString()).isEqualTo("No breaker named 'nope'");
    }

    /** The history on the breakers' fake clock, sampled by the test alone (its task's first run is an hour away). */
    @Configuration(proxyBeanMethods = false)
    static class FakeClockHistory {

        @Bean
        BreakerHistory breakerHistory(BreakerRegistry registry, FakeTicker ticker) {
            return new BreakerHistory(registry, Duration.ofHours(1), 720, ticker.clock());
        }
    }
}
