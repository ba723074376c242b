package dev.breaker.spring.actuate;

import dev.breaker.Breaker;
import dev.breaker.BreakerRegistry;
import dev.breaker.FakeTicker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;

import static dev.breaker.spring.actuate.ActuatorClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The breakers health contributor and its HTTP status mapping, over real HTTP. */
class BreakersHealthContributorTests {

    static void open(Breaker breaker) {
        breaker.reset();
        breaker.tryAcquire();
        breaker.onFailure(0, new IOException("down"));
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = ActuatorTestApp.class,
            properties = {
                    "management.endpoint.health.show-details=always",
                    "breaker.defaults.consecutive-failures=1",
                    "breaker.instances.inventory.half-open-calls=1",
                    "breaker.instances.pricing.half-open-calls=1",
                    "breaker.instances.internal.half-open-calls=1",
                    "breaker.health.instances.internal.enabled=false"})
    class ByDefault {

        @LocalServerPort
        int port;

        @Autowired
        BreakerRegistry registry;

        @Autowired
        FakeTicker ticker;

        @BeforeEach
        void closeAll() {
            registry.all().forEach(Breaker::reset);
        }

        private HttpResponse<String> health() throws Exception {
            return new ActuatorClient(port).get("/actuator/health");
        }

        @Test
        void allClosed_isUp_withASummary() throws Exception {
            HttpResponse<String> response = health();

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode breakers = json(response).get("components").get("breakers");
            assertThat(breakers.get("status").asString()).isEqualTo("UP");
            JsonNode summary = breakers.get("components").get("summary").get("details");
            assertThat(summary.get("total").asInt()).isEqualTo(3);
            assertThat(summary.get("closed").asInt()).isEqualTo(3);
            assertThat(summary.get("percentClosed").asDouble()).isEqualTo(100.0);
        }

        @Test
        void openBreaker_isVisibleInTheAggregate_butStillAnswers200() throws Exception {
            open(registry.find("inventory").orElseThrow());

            HttpResponse<String> response = health();

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode root = json(response);
            assertThat(root.get("status").asString()).isEqualTo("CIRCUIT_OPEN");
            JsonNode breakers = root.get("components").get("breakers");
            assertThat(breakers.get("status").asString()).isEqualTo("CIRCUIT_OPEN");
            JsonNode inventory = breakers.get("components").get("breakers").get("components").get("inventory");
            assertThat(inventory.get("status").asString()).isEqualTo("CIRCUIT_OPEN");
            assertThat(inventory.get("details").get("state").asString()).isEqualTo("OPEN");
            assertThat(inventory.get("details").get("failedCalls").asInt()).isEqualTo(1);
            JsonNode summary = breakers.get("components").get("summary").get("details");
            assertThat(summary.get("open").asInt()).isEqualTo(1);
            assertThat(summary.get("percentClosed").asDouble()).isEqualTo(200.0 / 3);
        }

        @Test
        void halfOpenBreaker_isDegradedButUp() throws Exception {
            Breaker pricing = registry.find("pricing").orElseThrow();
            open(pricing);
            ticker.advance(Duration.ofSeconds(61));
            assertThat(pricing.tryAcquire()).isTrue();

            HttpResponse<String> response = health();

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(json(response).get("components").get("breakers").get("status").asString())
                    .isEqualTo("CIRCUIT_HALF_OPEN");
        }

        @Test
        void openOutranksHalfOpen() throws Exception {
            open(registry.find("inventory").orElseThrow());
            Breaker pricing = registry.find("pricing").orElseThrow();
            open(pricing);
            ticker.advance(Duration.ofSeconds(61));
            pricing.tryAcquire();

            assertThat(json(health()).get("status").asString()).isEqualTo("CIRCUIT_OPEN");
        }

        @Test
        void optedOutBreaker_isNotPartOfHealth() throws Exception {
            open(registry.find("internal").orElseThrow());

            JsonNode breakers = json(health()).get("components").get("breakers");

            assertThat(breakers.get("status").asString()).isEqualTo("UP");
            assertThat(breakers.get("components").get("breakers").get("components").has("internal")).isFalse();
        }
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = ActuatorTestApp.class,
            properties = {
                    "breaker.defaults.consecutive-failures=1",
                    "breaker.instances.inventory.half-open-calls=1",
                    "breaker.instances.pricing.half-open-calls=1",
                    "breaker.health.instances.payments.open-status=DOWN",
                    "breaker.instances.payments.half-open-calls=1"})
    class MappedToDown {

        @LocalServerPort
        int port;

        @Autowired
        BreakerRegistry registry;

        @Test
        void anInstanceMappedToDown_makesHealthAnswer503_othersDoNot() throws Exception {
            registry.all().forEach(Breaker::reset);
            open(registry.find("inventory").orElseThrow());
            assertThat(new ActuatorClient(port).get("/actuator/health").statusCode()).isEqualTo(200);

            open(registry.find("payments").orElseThrow());
            HttpResponse<String> response = new ActuatorClient(port).get("/actuator/health");

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(json(response).get("status").asString()).isEqualTo("DOWN");
        }
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = ActuatorTestApp.class,
            properties = {
                    "management.endpoint.health.show-details=always",
                    Outages.RAMPED})
    class RecoveryAndEscalation {

        @LocalServerPort
        int port;

        @Autowired
        BreakerRegistry registry;

        @Autowired
        FakeTicker ticker;

        private JsonNode ramped(JsonNode health) {
            return health.get("components").get("breakers").get("components").get("breakers").get("components")
                    .get("ramped");
        }

        @Test
        void recoveringBreaker_isUp_withItsShareAndTheTimeLeftInTheRamp() throws Exception {
            Breaker breaker = registry.find("ramped").orElseThrow();
            Outages.recovering(breaker, ticker);
            ticker.advance(Duration.ofSeconds(30));

            HttpResponse<String> response = new ActuatorClient(port).get("/actuator/health");

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode root = json(response);
            assertThat(root.get("status").asString()).isEqualTo("UP");
            JsonNode ramped = ramped(root);
            assertThat(ramped.get("status").asString()).isEqualTo("UP");
            JsonNode details = ramped.get("details");
            assertThat(details.get("state").asString()).isEqualTo("RECOVERING");
            assertThat(details.get("level").asString()).isEqualTo("CRITICAL");
            assertThat(details.get("admittedSharePercent").asDouble()).isCloseTo(30.0, within(0.01));
            assertThat(details.get("rampRemainingMillis").asLong()).isEqualTo(70_000);
            assertThat(details.get("rampHeld").asBoolean()).isFalse();
            assertThat(details.get("escalations").asInt()).isZero();
            JsonNode summary = root.get("components").get("breakers").get("components").get("summary").get("details");
            assertThat(summary.get("recovering").asInt()).isEqualTo(1);
        }

        @Test
        void emergency_isShownInTheBreakersDetails() throws Exception {
            Breaker breaker = registry.find("ramped").orElseThrow();
            Outages.open(breaker);
            Outages.trial(breaker, ticker, false);

            JsonNode ramped = ramped(json(new ActuatorClient(port).get("/actuator/health")));

            assertThat(ramped.get("status").asString()).isEqualTo("CIRCUIT_OPEN");
            assertThat(ramped.get("details").get("state").asString()).isEqualTo("OPEN");
            assertThat(ramped.get("details").get("level").asString()).isEqualTo("EMERGENCY");
            assertThat(ramped.get("details").get("escalations").asInt()).isEqualTo(1);
            assertThat(ramped.get("details").has("admittedSharePercent")).as("no ramp while open").isFalse();
        }
    }
}
