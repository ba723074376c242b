package dev.breaker.spring.web;

import dev.breaker.BreakerRegistry;
import dev.breaker.spring.annotation.CircuitBreaker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** A rejected call that reaches Spring MVC becomes 503 with Retry-After and a problem detail, over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = CallNotPermittedProblemHandlerTests.App.class,
        properties = {"breaker.instances.pricing.wait-in-open=90s", "breaker.instances.pricing.consecutive-failures=1"})
class CallNotPermittedProblemHandlerTests {

    @LocalServerPort
    int port;

    @Autowired
    BreakerRegistry registry;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void closeBreaker() {
        registry.find("pricing").orElseThrow().reset();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void openBreaker_answers503_withRetryAfter_andAProblemDetail() throws Exception {
        assertThat(get("/price?fail=true").statusCode()).isEqualTo(500);

        HttpResponse<String> response = get("/price");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        long retryAfter = Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 90L);
        JsonNode problem = JsonMapper.builder().build().readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(503);
        assertThat(problem.get("title").asString()).isEqualTo("Service Unavailable");
        assertThat(problem.get("breaker").asString()).isEqualTo("pricing");
        assertThat(problem.get("state").asString()).isEqualTo("OPEN");
        assertThat(problem.get("level").asString()).isEqualTo("CRITICAL");
        assertThat(problem.get("reason").asString()).isEqualTo("OPEN");
        assertThat(problem.get("retryAfterSeconds").asLong()).isEqualTo(retryAfter);
        assertThat(problem.get("detail").asString())
                .matches("Breaker 'pricing' is OPEN and permits no calls for another \\d+\\.\\ds");
    }

    @Test
    void forcedOpenBreaker_answers503_withoutRetryAfter() throws Exception {
        registry.find("pricing").orElseThrow().forceOpen();

        HttpResponse<String> response = get("/price");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isEmpty();
        assertThat(response.body()).contains("\"state\":\"FORCED_OPEN\"");
    }

    @Test
    void closedBreaker_answersNormally() throws Exception {
        HttpResponse<String> response = get("/price");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("42");
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        PricingClient pricingClient() {
            return new PricingClient();
        }

        @Bean
        PriceController priceController(PricingClient client) {
            return new PriceController(client);
        }
    }

    static class PricingClient {
        @CircuitBreaker(name = "pricing")
        public int price(boolean fail) {
            if (fail) {
                throw new IllegalStateException("pricing is down");
            }
            return 42;
        }
    }

    @RestController
    static class PriceController {
        private final PricingClient client;

        PriceController(PricingClient client) {
            this.client = client;
        }

        @GetMapping("/price")
        int price(@org.springframework.web.bind.annotation.RequestParam(defaultValue = "false") boolean fail) {
            return client.price(fail);
        }
    }
}
