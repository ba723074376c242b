package dev.breaker.spring.actuate;

import dev.breaker.Breaker;
import dev.breaker.BreakerRegistry;
import dev.breaker.CircuitState;
import dev.breaker.FakeTicker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.breaker.spring.actuate.ActuatorClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The breakers endpoint over real HTTP: every field, status code and action. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = ActuatorTestApp.class,
        properties = {
                "management.endpoints.web.exposure.include=breakers",
                "management.endpoint.breakers.access=unrestricted",
                "breaker.instances.zeta.half-open-calls=2",
                "breaker.instances.inventory.sliding-window.size=4",
                "breaker.instances.inventory.minimum-calls=4",
                "breaker.instances.inventory.wait-in-open=30s",
                "breaker.instances.inventory.ignore-exceptions=java.lang.IllegalArgumentException",
                "breaker.instances.alpha.sliding-window.type=time",
                "breaker.instances.alpha.sliding-window.size=10s",
                "breaker.instances.alpha.slow-call-duration=2s",
                Outages.RAMPED,
                "breaker.instances.stepped.recovery.ramp=10m",
                "breaker.instances.stepped.recovery.mode=success-steps",
                "breaker.instances.stepped.recovery.step=25",
                "breaker.instances.stepped.recovery.successes-per-step=4"})
class BreakersEndpointTests {

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
        registry.all().forEach(Breaker::reset);
    }

    /** 2 successes, 2 failures (trips at 50 %), 1 rejected call, on the fake ticker. */
    private Breaker tripInventory() {
        Breaker inventory = registry.find("inventory").orElseThrow();
        inventory.tryAcquire();
        inventory.onSuccess(0);
        ticker.advance(Duration.ofSeconds(1));
        inventory.tryAcquire();
        inventory.onFailure(0, new IOException("down"));
        inventory.tryAcquire();
        inventory.onSuccess(0);
        ticker.advance(Duration.ofSeconds(1));
        inventory.tryAcquire();
        inventory.onFailure(0, new IOException("down"));
        ticker.advance(Duration.ofSeconds(2));
        assertThat(inventory.tryAcquire()).isFalse();
        return inventory;
    }

    @Test
    void list_returnsEveryBreakerSortedByName() throws Exception {
        HttpResponse<String> response = client.get("/actuator/breakers");

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        json(response).get("breakers").propertyNames().forEach(names::add);
        assertThat(names).containsExactly("alpha", "inventory", "ramped", "stepped", "zeta");
    }

    @Test
    void one_reportsEveryFigureAndTimestamp_afterAKnownSequence() throws Exception {
        long transitionsBefore = registry.find("inventory").orElseThrow().metrics().stateTransitions();
        long totalBefore = registry.find("inventory").orElseThrow().metrics().totalCalls();
        long notPermittedBefore = registry.find("inventory").orElseThrow().metrics().totalNotPermitted();
        tripInventory();

        JsonNode inventory = json(client.get("/actuator/breakers/inventory"));

        assertThat(inventory.get("state").asString()).isEqualTo("OPEN");
        assertThat(inventory.get("failureRate").asDouble()).isEqualTo(50.0);
        assertThat(inventory.get("slowCallRate").asDouble()).isEqualTo(0.0);
        assertThat(inventory.get("bufferedCalls").asLong()).isEqualTo(4);
        assertThat(inventory.get("failedCalls").asLong()).isEqualTo(2);
        assertThat(inventory.get("slowCalls").asLong()).isEqualTo(0);
        assertThat(inventory.get("successfulCalls").asLong()).isEqualTo(2);
        assertThat(inventory.get("notPermittedCalls").asLong()).isEqualTo(notPermittedBefore + 1);
        assertThat(inventory.get("totalCalls").asLong()).isEqualTo(totalBefore + 5);
        assertThat(inventory.get("stateTransitions").asLong()).isEqualTo(transitionsBefore + 1);
        String failedAt = ticker.now().minus(Duration.ofSeconds(2)).toString();
        assertThat(inventory.get("lastFailureTime").asString()).isEqualTo(failedAt);
        assertThat(inventory.get("lastSuccessTime").asString())
                .isEqualTo(ticker.now().minus(Duration.ofSeconds(3)).toString());
        assertThat(inventory.get("lastStateChangeTime").asString()).isEqualTo(failedAt);
        assertThat(inventory.get("timeInStateMillis").asLong()).isEqualTo(2000);
    }

    @Test
    void one_explainsItsLastTransition_andCountsDownTheWaitInOpen() throws Exception {
        tripInventory();

        JsonNode inventory = json(client.get("/actuator/breakers/inventory"));

        JsonNode last = inventory.get("lastTransition");
        assertThat(last.get("summary").asString()).isEqualTo("Opened: failure rate 50 % ≥ 50 %");
        assertThat(last.get("from").asString()).isEqualTo("CLOSED");
        assertThat(last.get("to").asString()).isEqualTo("OPEN");
        assertThat(last.get("reason").asString()).isEqualTo("FAILURE_RATE_EXCEEDED");
        assertThat(last.get("failureRate").asDouble()).isEqualTo(50.0);
        assertThat(last.get("failureRateThreshold").asDouble()).isEqualTo(50.0);
        assertThat(last.get("time").asString()).isEqualTo(ticker.now().minus(Duration.ofSeconds(2)).toString());
        assertThat(inventory.get("remainingWaitMillis").asLong()).as("30 s wait, 2 s passed").isEqualTo(28_000);
        assertThat(json(client.get("/actuator/breakers/zeta")).get("remainingWaitMillis").asLong()).isZero();
    }

    @Test
    void list_carriesTheRecentAlerts_newestFirst_withASummary() throws Exception {
        tripInventory();
        registry.find("zeta").orElseThrow().forceOpen();

        JsonNode alerts = json(client.get("/actuator/breakers")).get("alerts");

        JsonNode newest = alerts.get("recent").get(0);
        assertThat(newest.get("breaker").asString()).isEqualTo("zeta");
        assertThat(newest.get("severity").asString()).isEqualTo("INFO");
        assertThat(newest.get("summary").asString()).isEqualTo("Forced open by hand");
        JsonNode opening = alerts.get("recent").get(1);
        assertThat(opening.get("breaker").asString()).isEqualTo("inventory");
        assertThat(opening.get("severity").asString()).isEqualTo("HIGH");
        assertThat(opening.get("summary").asString()).isEqualTo("Opened: failure rate 50 % ≥ 50 %");
        assertThat(opening.get("time").asString()).isEqualTo(ticker.now().minus(Duration.ofSeconds(2)).toString());
        JsonNode summary = alerts.get("summary");
        assertThat(summary.get("bySeverity").get("HIGH").asInt()).isPositive();
        assertThat(summary.get("breakers").asInt()).isEqualTo(5);
        assertThat(summary.get("healthy").asInt()).as("all but inventory and zeta").isEqualTo(3);
        assertThat(summary.get("healthyPercent").asDouble()).isEqualTo(60.0);
    }

    @Test
    void breakerNamedLikeASection_isStillThatBreaker() throws Exception {
        registry.breaker("alerts");
        try {
            HttpResponse<String> response = client.get("/actuator/breakers/alerts");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(json(response).get("state").asString()).isEqualTo("CLOSED");
        } finally {
            registry.remove("alerts");
        }
    }

    @Test
    void one_neverCalled_hasNullTimestampsAndRatesOfMinusOne() throws Exception {
        JsonNode zeta = json(client.get("/actuator/breakers/zeta"));

        assertThat(zeta.get("state").asString()).isEqualTo("CLOSED");
        assertThat(zeta.get("failureRate").asDouble()).isEqualTo(-1.0);
        assertThat(zeta.get("slowCallRate").asDouble()).isEqualTo(-1.0);
        assertThat(zeta.get("lastFailureTime").isNull()).isTrue();
        assertThat(zeta.get("lastSuccessTime").isNull()).isTrue();
    }

    @Test
    void one_reportsTheEffectiveConfiguration() throws Exception {
        JsonNode inventory = json(client.get("/actuator/breakers/inventory")).get("config");
        JsonNode alpha = json(client.get("/actuator/breakers/alpha")).get("config");

        assertThat(inventory.get("slidingWindowType").asString()).isEqualTo("count");
        assertThat(inventory.get("slidingWindowSize").asString()).isEqualTo("4");
        assertThat(inventory.get("minimumCalls").asInt()).isEqualTo(4);
        assertThat(inventory.get("failureRateThreshold").asDouble()).isEqualTo(50.0);
        assertThat(inventory.get("waitInOpen").asString()).isEqualTo("PT30S");
        assertThat(inventory.get("halfOpenCalls").asInt()).isEqualTo(3);
        assertThat(inventory.get("slowCallDuration").isNull()).isTrue();
        assertThat(inventory.get("ignoreExceptions").get(0).asString())
                .isEqualTo("java.lang.IllegalArgumentException");
        assertThat(inventory.get("prolongedOpenAlert").asString()).isEqualTo("PT5M");
        assertThat(alpha.get("slidingWindowType").asString()).isEqualTo("time");
        assertThat(alpha.get("slidingWindowSize").asString()).isEqualTo("PT10S");
        assertThat(alpha.get("slowCallDuration").asString()).isEqualTo("PT2S");
    }

    @Test
    void one_closed_isNormal_andLetsEveryCallThrough() throws Exception {
        JsonNode zeta = json(client.get("/actuator/breakers/zeta"));

        assertThat(zeta.get("level").asString()).isEqualTo("NORMAL");
        assertThat(zeta.get("admittedSharePercent").asDouble()).isEqualTo(100.0);
        assertThat(zeta.get("rampRemainingMillis").asLong()).isZero();
        assertThat(zeta.get("rampHeld").asBoolean()).isFalse();
        assertThat(zeta.get("escalations").asInt()).isZero();
    }

    @Test
    void one_recovering_reportsItsShareAndTheTimeLeftInTheRamp() throws Exception {
        Outages.recovering(registry.find("ramped").orElseThrow(), ticker);
        ticker.advance(Duration.ofSeconds(40));

        JsonNode ramped = json(client.get("/actuator/breakers/ramped"));

        assertThat(ramped.get("state").asString()).isEqualTo("RECOVERING");
        assertThat(ramped.get("level").asString()).isEqualTo("CRITICAL");
        assertThat(ramped.get("admittedSharePercent").asDouble()).isCloseTo(40.0, within(0.01));
        assertThat(ramped.get("rampRemainingMillis").asLong()).isEqualTo(60_000);
        assertThat(ramped.get("rampHeld").asBoolean()).isFalse();
        assertThat(ramped.get("timeInStateMillis").asLong()).isEqualTo(40_000);
    }

    @Test
    void one_inAnEmergency_reportsTheLevelAndTheEscalations() throws Exception {
        Breaker ramped = registry.find("ramped").orElseThrow();
        Outages.open(ramped);
        Outages.trial(ramped, ticker, false);

        JsonNode descriptor = json(client.get("/actuator/breakers/ramped"));

        assertThat(descriptor.get("state").asString()).isEqualTo("OPEN");
        assertThat(descriptor.get("level").asString()).isEqualTo("EMERGENCY");
        assertThat(descriptor.get("escalations").asInt()).isEqualTo(1);
        assertThat(descriptor.get("admittedSharePercent").asDouble()).isZero();
    }

    @Test
    void one_reportsTheRecoveryAndEscalationConfiguration_nullWhenOff() throws Exception {
        JsonNode ramped = json(client.get("/actuator/breakers/ramped")).get("config");
        JsonNode stepped = json(client.get("/actuator/breakers/stepped")).get("config");
        JsonNode inventory = json(client.get("/actuator/breakers/inventory")).get("config");

        JsonNode recovery = ramped.get("gradualRecovery");
        assertThat(recovery.get("ramp").asString()).isEqualTo("PT1M40S");
        assertThat(recovery.get("minSharePercent").asDouble()).isEqualTo(10.0);
        assertThat(recovery.get("aggression").asDouble()).isEqualTo(1.0);
        assertThat(recovery.get("mode").asString()).isEqualTo("time");
        assertThat(recovery.get("stepPercent").isNull()).isTrue();
        assertThat(recovery.get("successesPerStep").isNull()).isTrue();
        JsonNode escalation = ramped.get("escalation");
        assertThat(escalation.get("warningAtPercent").asDouble()).isEqualTo(50.0);
        assertThat(escalation.get("warningClearAtPercent").asDouble()).isEqualTo(25.0);
        assertThat(escalation.get("emergencyAfter").asInt()).isEqualTo(1);
        assertThat(escalation.get("stablePeriod").asString()).isEqualTo("PT10M");
        assertThat(escalation.get("jitter").asDouble()).isZero();
        assertThat(stepped.get("gradualRecovery").get("mode").asString()).isEqualTo("success-steps");
        assertThat(stepped.get("gradualRecovery").get("stepPercent").asDouble()).isEqualTo(25.0);
        assertThat(stepped.get("gradualRecovery").get("successesPerStep").asInt()).isEqualTo(4);
        assertThat(stepped.get("escalation").isNull()).isTrue();
        assertThat(inventory.get("gradualRecovery").isNull()).isTrue();
        assertThat(inventory.get("escalation").isNull()).isTrue();
    }

    @Test
    void one_unknownName_is404_andCreatesNothing() throws Exception {
        assertThat(client.get("/actuator/breakers/nope").statusCode()).isEqualTo(404);
        assertThat(registry.find("nope")).isEmpty();
    }

    @Test
    void actions_answerTheNewState() throws Exception {
        tripInventory();

        assertAction("force-open", "FORCED_OPEN");
        assertAction("disable", "DISABLED");
        assertAction("close", "CLOSED");
        assertAction("reset", "CLOSED");
        assertThat(registry.find("inventory").orElseThrow().metrics().bufferedCalls()).isZero();
    }

    private void assertAction(String action, String state) throws Exception {
        HttpResponse<String> response = client.post("/actuator/breakers/inventory/" + action);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("name").asString()).isEqualTo("inventory");
        assertThat(json(response).get("state").asString()).isEqualTo(state);
        assertThat(registry.find("inventory").orElseThrow().state()).isEqualTo(CircuitState.valueOf(state));
    }

    @Test
    void action_unknownName_is404_andNeverCreatesABreaker() throws Exception {
        HttpResponse<String> response = client.post("/actuator/breakers/nope/reset");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("error").asString()).isEqualTo("No breaker named 'nope'");
        assertThat(registry.find("nope")).isEmpty();
    }

    @Test
    void action_unknown_is400_namingTheValidOnes() throws Exception {
        HttpResponse<String> response = client.post("/actuator/breakers/inventory/explode");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asString())
                .isEqualTo("Unknown action 'explode'; valid actions are reset, force-open, disable, close,"
                        + " and config with a JSON body of the options to set");
        assertThat(registry.find("inventory").orElseThrow().state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void withoutACluster_theLocalScopeActsAsBefore_andTheClusterScopeIsABadRequest() throws Exception {
        HttpResponse<String> local = client.post("/actuator/breakers/inventory/force-open/local");
        assertThat(local.statusCode()).isEqualTo(200);
        assertThat(local.body()).isEqualTo("{\"name\":\"inventory\",\"state\":\"FORCED_OPEN\"}");

        HttpResponse<String> cluster = client.post("/actuator/breakers/inventory/reset/cluster");
        assertThat(cluster.statusCode()).isEqualTo(400);
        assertThat(json(cluster).get("error").asString()).isEqualTo("There is no cluster to act on: cluster"
                + " coordination is off (breaker.cluster.enabled); leave out the scope to act on this instance");
        assertThat(registry.find("inventory").orElseThrow().state()).isEqualTo(CircuitState.FORCED_OPEN);
        assertThat(json(client.get("/actuator/breakers/inventory")).get("cluster").isNull()).isTrue();
    }

    @Test
    void malformedNames_are4xx_never500() throws Exception {
        for (String name : List.of("%00", "..%2F..%2Fetc", "a%20b", "%E2%9C%93", "x".repeat(5000))) {
            int read = client.get("/actuator/breakers/" + name).statusCode();
            int write = client.post("/actuator/breakers/" + name + "/reset").statusCode();
            assertThat(read).as("GET " + name).isBetween(400, 499);
            assertThat(write).as("POST " + name).isBetween(400, 499);
        }
    }

    @Test
    void oversizedBody_is413_andChangesNothing() throws Exception {
        tripInventory();
        String body = "{\"x\":\"" + "y".repeat(4 * 1024) + "\"}";

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create(client.url("/actuator/breakers/inventory/reset")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(registry.find("inventory").orElseThrow().state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void hugeBody_isRefusedWithoutBeingRead() throws Exception {
        // 20 MB announced: the server answers from the headers, before the body arrives. A raw socket, because
        // the JDK client gives up on a response that arrives while it is still sending.
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /actuator/breakers/inventory/reset HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 20971520\r\n\r\n{\"x\":\"")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();

            assertThat(statusLine).startsWith("HTTP/1.1 413");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"*/*", "application/*", "*/json", "application/*+json"})
    void wildcardContentType_is415_not500_andChangesNothing(String contentType) throws Exception {
        // Defect: an admin POST with Content-Type */* or application/* answered 500 (Spring MVC's
        // ServletServerHttpRequest throws IllegalArgumentException when it adds the request charset to a
        // wildcard type, spring-framework#27957, while Actuator reads the optional body of every operation).
        tripInventory();

        HttpResponse<String> write = client.send(HttpRequest.newBuilder(
                        URI.create(client.url("/actuator/breakers/inventory/reset")))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        HttpResponse<String> read = client.send(HttpRequest.newBuilder(
                        URI.create(client.url("/actuator/breakers/inventory")))
                .header("Content-Type", contentType).GET().build());

        assertThat(write.statusCode()).isEqualTo(415);
        assertThat(read.statusCode()).isEqualTo(415);
        assertThat(registry.find("inventory").orElseThrow().state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void unexpectedContentType_is4xx_andChangesNothing() throws Exception {
        tripInventory();

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create(client.url("/actuator/breakers/inventory/reset")))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("reset please")).build());

        assertThat(response.statusCode()).isBetween(400, 499);
        assertThat(registry.find("inventory").orElseThrow().state()).isEqualTo(CircuitState.OPEN);
    }
}
