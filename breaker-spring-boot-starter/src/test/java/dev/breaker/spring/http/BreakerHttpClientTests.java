package dev.breaker.spring.http;

import dev.breaker.Breaker;
import dev.breaker.BreakerRegistry;
import dev.breaker.CallNotPermittedException;
import dev.breaker.CircuitState;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Requests of Boot's RestClient and WebClient builders over real HTTP, each protected by the breaker of its host.
 * Every test talks to loopback addresses of its own (127.0.0.N), so that each has breakers of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = HttpClientTestApp.class,
        properties = {
                "breaker.http-client.enabled=true",
                "breaker.defaults.consecutive-failures=2",
                "breaker.http-client.hosts[127.0.0.5].consecutive-failures=1",
                "breaker.http-client.hosts[127.0.0.5].wait-in-open=5m"})
class BreakerHttpClientTests {

    @LocalServerPort
    int port;

    @Autowired
    RestClient.Builder restClients;

    @Autowired
    WebClient.Builder webClients;

    @Autowired
    BreakerRegistry registry;

    @Autowired
    HttpClientTestApp.Downstream downstream;

    private String url(String host, int status) {
        return "http://" + host + ":" + port + "/downstream/" + status;
    }

    private Breaker breaker(String host) {
        return registry.find("http:" + host).orElseThrow(() -> new AssertionError("no breaker for " + host));
    }

    private void get(String host, int status) {
        restClients.build().get().uri(url(host, status)).retrieve().toBodilessEntity();
    }

    @Test
    void restClient_recordsFiveHundredsAsFailures_andFourHundredsAsSuccesses_perHost() {
        get("127.0.0.1", 200);
        assertThatThrownBy(() -> get("127.0.0.1", 404)).isInstanceOf(HttpClientErrorException.class);
        assertThatThrownBy(() -> get("127.0.0.1", 503)).isInstanceOf(HttpServerErrorException.class);
        get("localhost", 200);

        assertThat(breaker("127.0.0.1").metrics().totalSuccesses()).as("200 and 404").isEqualTo(2);
        assertThat(breaker("127.0.0.1").metrics().totalFailures()).as("503").isEqualTo(1);
        assertThat(breaker("localhost").metrics().totalSuccesses()).isEqualTo(1);
        assertThat(breaker("localhost").metrics().totalFailures()).isZero();
    }

    @Test
    void restClient_openBreaker_failsFastWithItsException_withoutReachingTheHost() {
        assertThatThrownBy(() -> get("127.0.0.2", 500)).isInstanceOf(HttpServerErrorException.class);
        assertThatThrownBy(() -> get("127.0.0.2", 500)).isInstanceOf(HttpServerErrorException.class);
        assertThat(breaker("127.0.0.2").state()).isEqualTo(CircuitState.OPEN);
        int reached = downstream.requestsTo("127.0.0.2");

        assertThatThrownBy(() -> get("127.0.0.2", 200)).isInstanceOfSatisfying(CallNotPermittedException.class,
                rejected -> assertThat(rejected.breakerName()).isEqualTo("http:127.0.0.2"));

        assertThat(downstream.requestsTo("127.0.0.2")).as("no request sent").isEqualTo(reached);
        get("127.0.0.3", 200);
        assertThat(downstream.requestsTo("127.0.0.3")).as("other hosts are not affected").isEqualTo(1);
    }

    @Test
    void restClient_anIoError_isAFailure() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        assertThatThrownBy(() -> restClients.build().get().uri("http://127.0.0.4:" + closedPort + "/nothing")
                .retrieve().toBodilessEntity()).isInstanceOf(ResourceAccessException.class);

        assertThat(breaker("127.0.0.4").metrics().totalFailures()).isEqualTo(1);
    }

    @Test
    void hostOptions_configureThatHostsBreaker() {
        assertThatThrownBy(() -> get("127.0.0.5", 502)).isInstanceOf(HttpServerErrorException.class);

        Breaker host = breaker("127.0.0.5");
        assertThat(host.state()).as("one failure opens it").isEqualTo(CircuitState.OPEN);
        assertThat(host.config().waitInOpen()).isEqualTo(Duration.ofMinutes(5));
        assertThat(host.config().consecutiveFailures()).isEqualTo(1);
    }

    @Test
    void aRejectionReachingAController_isA503ProblemDetail() throws Exception {
        assertThatThrownBy(() -> get("127.0.0.6", 500)).isInstanceOf(HttpServerErrorException.class);
        assertThatThrownBy(() -> get("127.0.0.6", 500)).isInstanceOf(HttpServerErrorException.class);

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://localhost:" + port + "/proxy?url=" + url("127.0.0.6", 200))).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        JsonNode problem = JsonMapper.builder().build().readTree(response.body());
        assertThat(problem.get("breaker").asString()).isEqualTo("http:127.0.0.6");
        assertThat(problem.get("state").asString()).isEqualTo("OPEN");
    }

    @Test
    void webClient_recordsEachExchange_andAnOpenBreakerFailsFast() {
        WebClient client = webClients.build();
        client.get().uri(url("127.0.0.7", 204)).retrieve().toBodilessEntity().block(Duration.ofSeconds(10));
        for (int i = 0; i < 2; i++) {
            StepVerifier.create(client.get().uri(url("127.0.0.7", 500)).retrieve().toBodilessEntity())
                    .expectError(WebClientResponseException.InternalServerError.class).verify(Duration.ofSeconds(10));
        }
        int reached = downstream.requestsTo("127.0.0.7");

        StepVerifier.create(client.get().uri(url("127.0.0.7", 200)).retrieve().toBodilessEntity())
                .expectError(CallNotPermittedException.class).verify(Duration.ofSeconds(10));

        Breaker breaker = breaker("127.0.0.7");
        assertThat(breaker.metrics().totalSuccesses()).isEqualTo(1);
        assertThat(breaker.metrics().totalFailures()).isEqualTo(2);
        assertThat(breaker.metrics().totalNotPermitted()).isEqualTo(1);
        assertThat(downstream.requestsTo("127.0.0.7")).isEqualTo(reached);
    }

    @Test
    void webClient_eachSubscriptionIsAnExchange_withAPermitOfItsOwn() {
        var exchange = webClients.build().get().uri(url("127.0.0.8", 200)).retrieve().toBodilessEntity();

        exchange.block(Duration.ofSeconds(10));
        exchange.block(Duration.ofSeconds(10));

        assertThat(breaker("127.0.0.8").metrics().totalSuccesses()).isEqualTo(2);
    }
}
