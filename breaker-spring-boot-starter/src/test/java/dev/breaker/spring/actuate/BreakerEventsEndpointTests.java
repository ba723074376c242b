package dev.breaker.spring.actuate;

import dev.breaker.Breaker;
import dev.breaker.BreakerRegistry;
import dev.breaker.FakeTicker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.breaker.spring.actuate.ActuatorClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The breakerevents endpoint over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = ActuatorTestApp.class,
        properties = {
                "management.endpoints.web.exposure.include=breakerevents",
                "breaker.events.buffer-size=3",
                "breaker.instances.inventory.consecutive-failures=1",
                "breaker.instances.pricing.consecutive-failures=1",
                "breaker.instances.reviews.consecutive-failures=2",
                Outages.RAMPED})
class BreakerEventsEndpointTests {

    @LocalServerPort
    int port;

    @Autowired
    BreakerRegistry registry;

    @Autowired
    FakeTicker ticker;

    ActuatorClient client;

    @BeforeEach
    void setUp() {
        client = new ActuatorClient(port);
    }

    private static List<JsonNode> events(HttpResponse<String> response) {
        List<JsonNode> events = new ArrayList<>();
        json(response).get("events").forEach(events::add);
        return events;
    }

    @Test
    void configChanged_namesWhoChangedIt() throws Exception {
        Breaker tuned = registry.breaker("tuned");
        registry.reconfigure("tuned", tuned.config().toBuilder().halfOpenCalls(5).build(), "api");

        JsonNode changed = events(client.get("/actuator/breakerevents/tuned?type=CONFIG_CHANGED")).get(0);

        assertThat(changed.get("source").asString()).isEqualTo("api");
        assertThat(changed.get("breaker").asString()).isEqualTo("tuned");
    }

    @Test
    void oneBreaker_newestFirst_withTheFieldsOfEachType() throws Exception {
        Breaker pricing = registry.find("pricing").orElseThrow();
        pricing.reset();
        ticker.advance(Duration.ofSeconds(1));
        pricing.tryAcquire();
        pricing.onFailure(Duration.ofMillis(250).toNanos(), new IOException("timeout"));

        List<JsonNode> events = events(client.get("/actuator/breakerevents/pricing"));

        assertThat(events).extracting(e -> e.get("type").asString())
                .startsWith("STATE_TRANSITION", "THRESHOLD_EXCEEDED", "FAILURE");
        JsonNode transition = events.get(0);
        assertThat(transition.get("breaker").asString()).isEqualTo("pricing");
        assertThat(transition.get("time").asString()).isEqualTo(ticker.now().toString());
        assertThat(transition.get("fromState").asString()).isEqualTo("CLOSED");
        assertThat(transition.get("toState").asString()).isEqualTo("OPEN");
        assertThat(transition.get("reason").asString()).isEqualTo("CONSECUTIVE_FAILURES");
        assertThat(transition.get("errorType").isNull()).isTrue();
        JsonNode failure = events.get(2);
        assertThat(failure.get("durationMillis").asDouble()).isEqualTo(250.0);
        assertThat(failure.get("errorType").asString()).isEqualTo("java.io.IOException");
    }

    @Test
    void failureEvents_leaveTheErrorMessageOut_byDefault_soReadersSeeNoDownstreamBodyOrInternalUrl() throws Exception {
        // Defect: errorMessage carried downstream response bodies and internal URLs to anonymous readers.
        Breaker inventory = registry.find("inventory").orElseThrow();
        inventory.reset();
        inventory.tryAcquire();
        inventory.onFailure(0, new IOException("500 from http://stock.internal:8080/v1: {\"token\":\"s3cr3t\"}"));

        HttpResponse<String> response = client.get("/actuator/breakerevents/inventory?type=FAILURE");

        JsonNode failure = events(response).get(0);
        assertThat(failure.get("errorType").asString()).isEqualTo("java.io.IOException");
        assertThat(failure.get("errorMessage").isNull()).isTrue();
        assertThat(response.body()).doesNotContain("stock.internal").doesNotContain("s3cr3t");
    }

    @Test
    void buffer_keepsTheConfiguredNumberPerBreakerAndType() throws Exception {
        Breaker pricing = registry.find("pricing").orElseThrow();
        for (int i = 0; i < 5; i++) {
            ticker.advance(Duration.ofSeconds(1));
            pricing.reset();
        }

        assertThat(events(client.get("/actuator/breakerevents/pricing?type=RESET")))
                .extracting(e -> e.get("time").asString()).containsExactly(ticker.now().toString(),
                        ticker.now().minusSeconds(1).toString(), ticker.now().minusSeconds(2).toString());
    }

    @Test
    void aFloodOfRejections_neverPushesOutTheOpeningAndTheFailuresThatCausedIt() throws Exception {
        // Defect: at ~380 requests/s, CALL_NOT_PERMITTED events evicted the CLOSED -> OPEN transition and its
        // failures from the buffer within 0.1 s, so the endpoint no longer said why the breaker had opened.
        Breaker reviews = registry.find("reviews").orElseThrow();
        reviews.reset();
        ticker.advance(Duration.ofSeconds(1));
        for (String message : List.of("first", "second")) {
            reviews.tryAcquire();
            reviews.onFailure(0, new IOException(message));
        }
        Instant openedAt = ticker.now();
        for (int i = 0; i < 1000; i++) {
            ticker.advance(Duration.ofMillis(3));
            assertThat(reviews.tryAcquire()).isFalse();
        }

        List<JsonNode> events = events(client.get("/actuator/breakerevents/reviews"));

        assertThat(events).extracting(e -> e.get("type").asString()).containsExactly("CALL_NOT_PERMITTED",
                "STATE_TRANSITION", "THRESHOLD_EXCEEDED", "FAILURE", "FAILURE", "RESET");
        JsonNode rejections = events.get(0);
        assertThat(rejections.get("state").asString()).isEqualTo("OPEN");
        assertThat(rejections.get("count").asLong()).isEqualTo(1000);
        assertThat(rejections.get("firstTime").asString()).isEqualTo(openedAt.plusMillis(3).toString());
        assertThat(rejections.get("time").asString()).isEqualTo(ticker.now().toString());
        JsonNode opening = events.get(1);
        assertThat(opening.get("fromState").asString()).isEqualTo("CLOSED");
        assertThat(opening.get("toState").asString()).isEqualTo("OPEN");
        assertThat(opening.get("reason").asString()).isEqualTo("CONSECUTIVE_FAILURES");
        assertThat(events(client.get("/actuator/breakerevents/reviews?type=STATE_TRANSITION")))
                .first().satisfies(e -> assertThat(e.get("toState").asString()).isEqualTo("OPEN"));
    }

    @Test
    void rejections_areCountedPerStretchInOneState() throws Exception {
        Breaker ratings = registry.breaker("ratings");
        ratings.forceOpen();
        ratings.tryAcquire();
        ratings.tryAcquire();
        ratings.reset();
        ratings.forceOpen();
        ratings.tryAcquire();

        List<JsonNode> rejections = events(client.get("/actuator/breakerevents/ratings?type=CALL_NOT_PERMITTED"));

        assertThat(rejections).extracting(e -> e.get("count").asLong()).containsExactly(1L, 2L);
        assertThat(rejections).allSatisfy(e -> assertThat(e.get("state").asString()).isEqualTo("FORCED_OPEN"));
    }

    @Test
    void all_mergesBreakers_newestFirst() throws Exception {
        ticker.advance(Duration.ofSeconds(10));
        registry.find("inventory").orElseThrow().reset();
        ticker.advance(Duration.ofSeconds(1));
        registry.find("pricing").orElseThrow().reset();

        List<JsonNode> events = events(client.get("/actuator/breakerevents"));

        assertThat(events.get(0).get("breaker").asString()).isEqualTo("pricing");
        assertThat(events.get(1).get("breaker").asString()).isEqualTo("inventory");
        assertThat(events).extracting(e -> e.get("time").asString())
                .isSortedAccordingTo((a, b) -> b.compareTo(a));
    }

    @Test
    void typeFilter_keepsOneType() throws Exception {
        Breaker inventory = registry.find("inventory").orElseThrow();
        inventory.reset();
        inventory.tryAcquire();
        inventory.onFailure(0, new IOException());

        List<JsonNode> events = events(client.get("/actuator/breakerevents/inventory?type=STATE_TRANSITION"));

        assertThat(events).isNotEmpty()
                .allSatisfy(e -> assertThat(e.get("type").asString()).isEqualTo("STATE_TRANSITION"));
        assertThat(events(client.get("/actuator/breakerevents?type=state-transition"))).isNotEmpty();
    }

    @Test
    void unknownType_is400_namingTheValidOnes() throws Exception {
        HttpResponse<String> response = client.get("/actuator/breakerevents?type=EXPLOSION");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asString()).isEqualTo("Unknown event type 'EXPLOSION'; valid types "
                + "are STATE_TRANSITION, THRESHOLD_EXCEEDED, RESET, PROLONGED_OPEN, LEVEL_CHANGED, RECOVERY_STARTED, "
                + "RECOVERY_COMPLETED, RECOVERY_FAILED, EMERGENCY, CONFIG_CHANGED, CALL_NOT_PERMITTED, SUCCESS, FAILURE, IGNORED_ERROR");
    }

    @Test
    void recoveriesLevelsAndEmergencies_areKeptByDefault_withTheirFields() throws Exception {
        Breaker ramped = registry.find("ramped").orElseThrow();
        Outages.open(ramped);
        Instant openedAt = ticker.now();
        Outages.trial(ramped, ticker, true);
        Outages.admittedCall(ramped, false);
        Duration outage = Duration.between(openedAt, ticker.now());
        Outages.trial(ramped, ticker, true);
        ticker.advance(Duration.ofSeconds(100));
        assertThat(ramped.tryAcquire()).isTrue();

        List<JsonNode> events = events(client.get("/actuator/breakerevents/ramped"));

        assertThat(events).extracting(e -> e.get("type").asString()).containsSubsequence("LEVEL_CHANGED",
                "RECOVERY_COMPLETED", "LEVEL_CHANGED", "RECOVERY_STARTED", "LEVEL_CHANGED", "EMERGENCY",
                "RECOVERY_FAILED", "RECOVERY_STARTED");
        assertThat(events(client.get("/actuator/breakerevents/ramped?type=LEVEL_CHANGED")))
                .extracting(e -> e.get("fromLevel").asString() + "->" + e.get("toLevel").asString())
                .containsExactly("CRITICAL->NORMAL", "EMERGENCY->CRITICAL", "CRITICAL->EMERGENCY");
        JsonNode started = only(client.get("/actuator/breakerevents/ramped?type=RECOVERY_STARTED"), 2);
        assertThat(started.get("ramp").asString()).isEqualTo("PT1M40S");
        assertThat(started.get("sharePercent").asDouble()).isEqualTo(10.0);
        JsonNode failed = only(client.get("/actuator/breakerevents/ramped?type=RECOVERY_FAILED"), 1);
        assertThat(failed.get("reason").asString()).isEqualTo("CONSECUTIVE_FAILURES");
        assertThat(failed.get("sharePercent").asDouble()).isCloseTo(10.0, within(0.01));
        JsonNode emergency = only(client.get("/actuator/breakerevents/ramped?type=EMERGENCY"), 1);
        assertThat(emergency.get("reason").asString()).isEqualTo("FAILED_RECOVERIES");
        assertThat(emergency.get("failedRecoveries").asInt()).isEqualTo(1);
        assertThat(emergency.get("durationMillis").asDouble()).isEqualTo((double) outage.toMillis());
        JsonNode completed = only(client.get("/actuator/breakerevents/ramped?type=RECOVERY_COMPLETED"), 1);
        assertThat(completed.get("durationMillis").asDouble()).isEqualTo(100_000.0);
        assertThat(completed.get("time").asString()).isEqualTo(ticker.now().toString());
    }

    /** The newest of the {@code expected} events of a response. */
    private static JsonNode only(HttpResponse<String> response, int expected) {
        List<JsonNode> events = events(response);
        assertThat(events).hasSize(expected);
        return events.get(0);
    }

    @Test
    void unknownBreaker_is404() throws Exception {
        assertThat(client.get("/actuator/breakerevents/nope").statusCode()).isEqualTo(404);
        assertThat(registry.find("nope")).isEmpty();
    }
}
