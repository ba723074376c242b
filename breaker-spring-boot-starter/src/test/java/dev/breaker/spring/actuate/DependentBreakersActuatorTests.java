package dev.breaker.spring.actuate;

import dev.breaker.Breaker;
import dev.breaker.BreakerRegistry;
import dev.breaker.Priority;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static dev.breaker.spring.actuate.ActuatorClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who blocks whom, the limits and the rejections by reason and priority, as the breakers endpoint, health and the
 * events endpoint show them over real HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = ActuatorTestApp.class,
        properties = {
                "management.endpoints.web.exposure.include=breakers,breakerevents,health",
                "management.endpoint.health.show-details=always",
                "breaker.instances.payments.half-open-calls=1",
                "breaker.instances.checkout.depends-on=payments",
                "breaker.instances.orders.depends-on=checkout",
                "breaker.instances.search.max-concurrent-calls=2",
                "breaker.instances.search.max-calls-per-second=50",
                "breaker.instances.search.rate-limit-burst=10",
                "breaker.instances.search.reserved-for-critical=20",
                "breaker.instances.search.default-priority=sheddable-plus"})
class DependentBreakersActuatorTests {

    @LocalServerPort
    int port;

    @Autowired
    BreakerRegistry registry;

    ActuatorClient client;

    @BeforeEach
    void setUp() {
        client = new ActuatorClient(port);
        registry.all().forEach(Breaker::reset);
    }

    private Breaker breaker(String name) {
        return registry.find(name).orElseThrow();
    }

    @Test
    void aBlockedDependent_namesWhatBlocksIt_itsOwnStateUnchanged() throws Exception {
        breaker("payments").forceOpen();
        assertThat(breaker("orders").tryAcquire()).isFalse();

        JsonNode orders = json(client.get("/actuator/breakers/orders"));

        assertThat(orders.get("state").asString()).isEqualTo("CLOSED");
        assertThat(orders.get("blockedBy").asString()).isEqualTo("payments");
        assertThat(names(orders.get("dependsOn"))).containsExactlyInAnyOrder("checkout", "payments");
        assertThat(names(orders.get("config").get("dependsOn"))).containsExactly("checkout");
        assertThat(orders.get("notPermittedByReason").get("DEPENDENCY_OPEN").asLong()).isPositive();
        assertThat(orders.get("bufferedCalls").asLong()).isZero();
        breaker("payments").close();
        assertThat(json(client.get("/actuator/breakers/orders")).get("blockedBy").isNull()).isTrue();
    }

    @Test
    void health_showsTheDependenciesAndWhatBlocks_withTheStatusOfTheBreakersOwnState() throws Exception {
        breaker("payments").forceOpen();

        JsonNode breakers = json(client.get("/actuator/health")).get("components").get("breakers").get("components")
                .get("breakers").get("components");

        JsonNode checkout = breakers.get("checkout");
        assertThat(checkout.get("status").asString()).isEqualTo("UP");
        assertThat(checkout.get("details").get("blockedBy").asString()).isEqualTo("payments");
        assertThat(names(checkout.get("details").get("dependsOn"))).containsExactly("payments");
        assertThat(breakers.get("payments").get("status").asString()).isEqualTo("CIRCUIT_OPEN");
        assertThat(breakers.get("payments").get("details").has("blockedBy")).isFalse();
        assertThat(breakers.get("search").get("details").has("dependsOn")).isFalse();
    }

    @Test
    void limitsAndPriorities_inTheConfiguration_callsInFlightAndRejectionsByPriority() throws Exception {
        Priority.markInUse();
        Breaker search = breaker("search");
        long first = search.acquirePermit();
        assertThat(Breaker.isPermitted(first)).isTrue();

        JsonNode descriptor = json(client.get("/actuator/breakers/search"));
        JsonNode config = descriptor.get("config");

        assertThat(descriptor.get("callsInFlight").asInt()).isEqualTo(1);
        assertThat(config.get("maxConcurrentCalls").asInt()).isEqualTo(2);
        assertThat(config.get("maxCallsPerSecond").asDouble()).isEqualTo(50.0);
        assertThat(config.get("rateLimitBurst").asInt()).isEqualTo(10);
        assertThat(config.get("reservedForCriticalPercent").asDouble()).isEqualTo(20.0);
        assertThat(config.get("defaultPriority").asString()).isEqualTo("SHEDDABLE_PLUS");
        assertThat(config.get("shedOnWarning").asBoolean()).isFalse();
        assertThat(Breaker.isPermitted(search.acquirePermit(Priority.SHEDDABLE)))
                .as("the second slot is reserved for critical calls").isFalse();
        JsonNode after = json(client.get("/actuator/breakers/search"));
        assertThat(after.get("notPermittedByReason").get("CONCURRENCY_LIMIT").asLong()).isPositive();
        assertThat(after.get("notPermittedByPriority").get("SHEDDABLE").asLong()).isPositive();
        search.release(first);
        JsonNode payments = json(client.get("/actuator/breakers/payments"));
        assertThat(payments.get("callsInFlight").isNull()).as("no concurrency limit").isTrue();
        assertThat(payments.get("config").get("rateLimitBurst").isNull()).as("no rate limit").isTrue();
        assertThat(payments.get("config").get("defaultPriority").asString()).isEqualTo("CRITICAL");
    }

    @Test
    void events_rejectionsOfADependentNameTheReasonAndTheDependency() throws Exception {
        breaker("payments").forceOpen();
        breaker("checkout").tryAcquire();
        breaker("checkout").tryAcquire();

        JsonNode events = json(client.get("/actuator/breakerevents/checkout?type=CALL_NOT_PERMITTED")).get("events");

        JsonNode run = events.get(0);
        assertThat(run.get("reason").asString()).isEqualTo("DEPENDENCY_OPEN");
        assertThat(run.get("blockedBy").asString()).isEqualTo("payments");
        assertThat(run.get("state").asString()).isEqualTo("CLOSED");
        assertThat(run.get("count").asLong()).isGreaterThanOrEqualTo(2);
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(name -> names.add(name.asString()));
        return names;
    }
}
