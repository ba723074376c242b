package dev.breaker.spring.actuate;

import dev.breaker.Breaker;
import dev.breaker.BreakerRegistry;
import dev.breaker.CircuitState;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static dev.breaker.spring.actuate.ActuatorClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /actuator/breakers/{name}/config} over real HTTP: options changed while the breaker keeps its state. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = ActuatorTestApp.class,
        properties = {
                "management.endpoints.web.exposure.include=breakers,breakerevents",
                "management.endpoint.breakers.access=unrestricted",
                "breaker.instances.inventory.sliding-window.size=10",
                "breaker.instances.inventory.minimum-calls=10",
                "breaker.instances.inventory.wait-in-open=30s"})
@DirtiesContext
class BreakerConfigOperationTests {

    @LocalServerPort
    int port;

    @Autowired
    BreakerRegistry registry;

    private ActuatorClient client() {
        return new ActuatorClient(port);
    }

    @Test
    void config_changesTheOptions_andTheBreakerKeepsItsStateAndWindow() throws Exception {
        Breaker orders = registry.breaker("orders");
        for (int i = 0; i < 4; i++) {
            orders.recordSuccess(orders.acquirePermit(), 0);
        }

        HttpResponse<String> response = client().postJson("/actuator/breakers/orders/config",
                "{\"failure-rate-threshold\": 20, \"sliding-window.size\": 100, \"wait-in-open\": \"45s\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode config = json(response).get("config");
        assertThat(config.get("failureRateThreshold").asDouble()).isEqualTo(20);
        assertThat(config.get("waitInOpen").asString()).isEqualTo("PT45S");
        assertThat(json(response).get("bufferedCalls").asLong()).as("same window kind and size").isEqualTo(4);
        assertThat(registry.breaker("orders")).isSameAs(orders);
        assertThat(orders.config().failureRateThreshold()).isEqualTo(20);
    }

    @Test
    void config_ofAnOpenBreaker_keepsItOpen_andTheEventNamesTheEndpoint() throws Exception {
        Breaker inventory = registry.breaker("inventory");
        inventory.forceOpen();

        HttpResponse<String> response = client().postJson("/actuator/breakers/inventory/config",
                "{\"half-open-calls\": 5}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(inventory.state()).isEqualTo(CircuitState.FORCED_OPEN);
        assertThat(inventory.config().halfOpenCalls()).isEqualTo(5);
        assertThat(json(response).get("lastTransition").get("reason").asString())
                .as("the breaker as GET shows it, its last transition explained").isEqualTo("MANUAL_FORCE_OPEN");
        List<JsonNode> changes = new ArrayList<>();
        json(client().get("/actuator/breakerevents/inventory?type=CONFIG_CHANGED")).get("events")
                .forEach(changes::add);
        assertThat(changes).last().satisfies(event -> {
            assertThat(event.get("type").asString()).isEqualTo("CONFIG_CHANGED");
            assertThat(event.get("source").asString()).isEqualTo("endpoint");
        });
    }

    @Test
    void config_withInvalidOptions_is400_listingEachOne_andChangesNothing() throws Exception {
        Breaker inventory = registry.breaker("inventory");

        HttpResponse<String> response = client().postJson("/actuator/breakers/inventory/config",
                "{\"failure-rate-threshold\": 150, \"wait-in-open\": \"soon\", \"minimum-cals\": 5, "
                        + "\"half-open-calls\": 2}");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = json(response);
        assertThat(body.get("error").asString()).isEqualTo("Invalid options for breaker 'inventory'; nothing changed");
        List<String> problems = new ArrayList<>();
        body.get("problems").forEach(problem -> problems.add(problem.get("option").asString() + " = "
                + problem.get("value").asString() + ": " + problem.get("reason").asString() + " ("
                + problem.get("property").asString() + ")"));
        assertThat(problems).containsExactlyInAnyOrder(
                "failure-rate-threshold = 150: must be in (0, 100] "
                        + "(breaker.instances.inventory.failure-rate-threshold)",
                "wait-in-open = soon: must be a duration such as 500ms, 10s or PT10S "
                        + "(breaker.instances.inventory.wait-in-open)",
                "minimum-cals = 5: is no breaker option; did you mean breaker.instances.inventory.minimum-calls? "
                        + "(breaker.instances.inventory.minimum-cals)");
        assertThat(inventory.config().halfOpenCalls()).as("nothing applied, the valid option neither").isEqualTo(3);
        assertThat(inventory.config().waitInOpen().toSeconds()).isEqualTo(30);
    }

    @Test
    void config_withoutABody_is400_sayingWhatToSend() throws Exception {
        HttpResponse<String> response = client().post("/actuator/breakers/inventory/config");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asString()).startsWith("Give the options to change as a JSON body");
    }

    @Test
    void config_ofAnUnknownBreaker_is404_andCreatesNone() throws Exception {
        HttpResponse<String> response = client().postJson("/actuator/breakers/nope/config",
                "{\"minimum-calls\": 5}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(registry.find("nope")).isEmpty();
    }

    @Test
    void config_acceptsABodyOverTheLimitOfTheOtherOperations_upTo16KiB() throws Exception {
        String padding = "\"record-exceptions\": \"" + IOException.class.getName() + ","
                + (IllegalStateException.class.getName() + ",").repeat(60) + IOException.class.getName() + "\"";
        assertThat(padding.length()).isGreaterThan((int) EndpointRequestBodyFilter.MAX_BODY_BYTES);

        HttpResponse<String> accepted = client().postJson("/actuator/breakers/inventory/config",
                "{" + padding + "}");
        HttpResponse<String> tooLarge = client().postJson("/actuator/breakers/inventory/config",
                "{\"x\": \"" + "y".repeat(17 * 1024) + "\"}");

        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(registry.breaker("inventory").config().recordExceptions()).contains(IOException.class,
                IllegalStateException.class);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
    }

    @Test
    void actions_stillWorkWithoutABody() throws Exception {
        registry.breaker("inventory");

        HttpResponse<String> response = client().post("/actuator/breakers/inventory/reset");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("state").asString()).isEqualTo("CLOSED");
    }
}
