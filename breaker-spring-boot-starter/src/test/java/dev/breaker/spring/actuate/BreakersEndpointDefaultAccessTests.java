package dev.breaker.spring.actuate;

import dev.breaker.BreakerRegistry;
import dev.breaker.CircuitState;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application without Spring Security that exposes the endpoint, as the README suggests, but says nothing about
 * its access: reads are open, writes do not exist.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = ActuatorTestApp.class,
        properties = {
                "management.endpoints.web.exposure.include=breakers",
                "breaker.instances.inventory.minimum-calls=5"})
class BreakersEndpointDefaultAccessTests {

    @LocalServerPort
    int port;

    @Autowired
    BreakerRegistry registry;

    @Test
    void anAnonymousPost_cannotForceABreakerOpen_byDefault() throws Exception {
        // Defect: access defaulted to unrestricted, so anyone could force a breaker open with an anonymous POST.
        ActuatorClient client = new ActuatorClient(port);

        int status = client.post("/actuator/breakers/inventory/force-open").statusCode();

        assertThat(status).isBetween(400, 499);
        assertThat(registry.find("inventory").orElseThrow().state()).isEqualTo(CircuitState.CLOSED);
        assertThat(client.get("/actuator/breakers/inventory").statusCode()).as("reads stay open")
                .isEqualTo(200);
    }

    @Test
    void anAnonymousConfigWrite_doesNotExist_byDefault() throws Exception {
        ActuatorClient client = new ActuatorClient(port);

        int status = client.postJson("/actuator/breakers/inventory/config", "{\"minimum-calls\": 50}").statusCode();

        assertThat(status).isBetween(400, 499);
        assertThat(registry.find("inventory").orElseThrow().config().minimumCalls()).isEqualTo(5);
    }
}
