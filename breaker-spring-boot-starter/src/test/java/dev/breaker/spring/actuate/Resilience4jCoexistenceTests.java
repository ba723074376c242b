package dev.breaker.spring.actuate;

import dev.breaker.BreakerRegistry;
import dev.breaker.CircuitState;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static dev.breaker.spring.actuate.ActuatorClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both starters in one application, as when a team migrates one service at a time or Resilience4j arrives through
 * another library: each keeps its own endpoints, health contributor, meters and annotation.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = Resilience4jCoexistenceTests.App.class,
        properties = {
                "management.endpoints.web.exposure.include=*",
                "management.endpoint.breakers.access=unrestricted",
                "management.endpoint.health.show-details=always",
                "management.health.circuitbreakers.enabled=true",
                "resilience4j.circuitbreaker.instances.legacy.sliding-window-size=10",
                "resilience4j.circuitbreaker.instances.legacy.register-health-indicator=true",
                "breaker.instances.orders.half-open-calls=2"})
class Resilience4jCoexistenceTests {

    @LocalServerPort
    int port;

    @Autowired
    BreakerRegistry breakers;

    @Autowired
    CircuitBreakerRegistry resilience4j;

    @Autowired
    MeterRegistry meters;

    @Autowired
    OrdersClient orders;

    @Autowired
    LegacyClient legacy;

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = new ActuatorClient(port).get(path);
        assertThat(response.statusCode()).as("GET " + path).isEqualTo(200);
        return json(response);
    }

    @Test
    void bothStartersStart_andEachKeepsItsOwnEndpoints() throws Exception {
        // Defect: with resilience4j-spring-boot4 on the class path, startup failed with
        // "Found two endpoints with the id 'circuitbreakers'".
        List<String> links = new ArrayList<>();
        get("/actuator").get("_links").propertyNames().forEach(links::add);

        assertThat(links).contains("breakers", "breakerevents", "circuitbreakers", "circuitbreakerevents");
        assertThat(get("/actuator/breakers").get("breakers").has("orders")).isTrue();
        assertThat(get("/actuator/breakers").get("breakers").has("legacy")).isFalse();
        assertThat(get("/actuator/breakerevents/orders").has("events")).isTrue();
        assertThat(new ActuatorClient(port).get("/actuator/circuitbreakers").body()).contains("legacy")
                .doesNotContain("orders");
    }

    @Test
    void eachAnnotationIsProtectedByItsOwnLibrary() {
        orders.place();
        legacy.call();

        assertThat(breakers.find("orders").orElseThrow().metrics().totalCalls()).isEqualTo(1);
        assertThat(breakers.find("legacy")).isEmpty();
        assertThat(resilience4j.find("legacy").orElseThrow().getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
        assertThat(resilience4j.find("orders")).isEmpty();
    }

    @Test
    void bothHealthContributors_showUnderTheirOwnNames() throws Exception {
        JsonNode components = get("/actuator/health").get("components");

        assertThat(components.get("breakers").get("components").get("breakers").get("components").has("orders"))
                .isTrue();
        assertThat(components.has("circuitBreakers")).isTrue();
        assertThat(components.get("circuitBreakers").get("details").has("legacy")).isTrue();
    }

    @Test
    void bothMeterSets_areRegistered() {
        assertThat(meters.find("breaker.state").tag("name", "orders").gauges()).isNotEmpty();
        assertThat(meters.find("resilience4j.circuitbreaker.state").tag("name", "legacy").gauges()).isNotEmpty();
    }

    @Test
    void ourActions_actOnOurBreakersOnly() throws Exception {
        breakers.find("orders").orElseThrow().reset();

        assertThat(new ActuatorClient(port).post("/actuator/breakers/orders/force-open").statusCode())
                .isEqualTo(200);

        assertThat(breakers.find("orders").orElseThrow().state()).isEqualTo(CircuitState.FORCED_OPEN);
        assertThat(resilience4j.find("legacy").orElseThrow().getState().name()).isEqualTo("CLOSED");
        breakers.find("orders").orElseThrow().reset();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        OrdersClient ordersClient() {
            return new OrdersClient();
        }

        @Bean
        LegacyClient legacyClient() {
            return new LegacyClient();
        }
    }

    /** Protected by this starter. */
    static class OrdersClient {

        @dev.breaker.spring.annotation.CircuitBreaker(name = "orders")
        public String place() {
            return "placed";
        }
    }

    /** Still protected by Resilience4j. */
    static class LegacyClient {

        @io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker(name = "legacy")
        public String call() {
            return "called";
        }
    }
}
