package dev.breaker.spring.priority;

import dev.breaker.Breaker;
import dev.breaker.BreakerRegistry;
import dev.breaker.CallNotPermittedException;
import dev.breaker.spring.annotation.CircuitBreaker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The priority header of a WebFlux request over real HTTP (Reactor Netty): a lower priority reaches the breakers the
 * request subscribes to through the Reactor context, a higher one is refused, a value that names no priority is
 * ignored with 200, and WebClient calls carry the request's priority on.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = PriorityWebFilterTests.App.class,
        properties = {"spring.main.web-application-type=reactive", "breaker.priority.enabled=true",
                "breaker.priority.propagate=true", "logging.level.dev.breaker.spring.priority=DEBUG",
                "breaker.defaults.sliding-window.size=4", "breaker.defaults.minimum-calls=4",
                "breaker.defaults.escalation.enabled=true", "breaker.defaults.shed-on-warning=true",
                "breaker.instances.batch.default-priority=sheddable"})
class PriorityWebFilterTests {

    static final String HEADER = "Breaker-Priority";

    @LocalServerPort
    int port;

    @Autowired
    BreakerRegistry registry;

    @BeforeEach
    void closeBreakers() {
        registry.all().forEach(Breaker::reset);
    }

    @Test
    void aLowerPriority_reachesTheBreakersThroughTheReactorContext() throws Exception {
        warn("search");

        assertThat(get("/priority", "sheddable").body()).isEqualTo("SHEDDABLE");
        assertThat(get("/search", "sheddable").body()).isEqualTo("shed: PRIORITY");
        assertThat(get("/search", null).body()).isEqualTo("found");
    }

    @Test
    void raising_isRefused(CapturedOutput output) throws Exception {
        warn("batch");

        HttpResponse<String> raised = get("/batch", "critical-plus");

        assertThat(raised.statusCode()).isEqualTo(200);
        assertThat(raised.body()).as("the breaker's default, sheddable").isEqualTo("shed: PRIORITY");
        assertThat(output).contains("Ignoring Breaker-Priority 'critical-plus': a request may only lower its "
                + "priority unless breaker.priority.allow-raise is true");
    }

    @Test
    void aValueNamingNoPriority_isIgnored_with200(CapturedOutput output) throws Exception {
        HttpResponse<String> garbage = get("/search", "sheddable, critical");

        assertThat(garbage.statusCode()).isEqualTo(200);
        assertThat(garbage.body()).isEqualTo("found");
        assertThat(output).contains("Ignoring Breaker-Priority 'sheddable, critical': it names no priority");
    }

    @Test
    void webClientCalls_carryTheRequestsPriorityOn() throws Exception {
        assertThat(get("/relay", "sheddable").body()).isEqualTo("sheddable");
        assertThat(get("/relay", null).body()).isEqualTo("none");
    }

    private HttpResponse<String> get(String path, String priority) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (priority != null) {
            request.header(HEADER, priority);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void warn(String name) {
        WarningBreakers.warn(registry.find(name).orElseThrow());
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import({Endpoints.class, Downstream.class})
    static class App {
    }

    @RestController
    static class Endpoints {

        private final Downstream downstream;
        private final WebClient http;

        Endpoints(Downstream downstream, WebClient.Builder http) {
            this.downstream = downstream;
            this.http = http.build();
        }

        @GetMapping("/priority")
        Mono<String> priority() {
            return Mono.deferContextual(context -> {
                dev.breaker.Priority carried = BreakerPriority.of(context);
                return Mono.just(carried == null ? "none" : carried.name());
            });
        }

        @GetMapping("/search")
        Mono<String> search() {
            return downstream.search();
        }

        @GetMapping("/batch")
        Mono<String> batch() {
            return downstream.export();
        }

        @GetMapping("/relay")
        Mono<String> relay(ServerHttpRequest request) {
            URI echo = URI.create(request.getURI().resolve("/echo").toString());
            return http.get().uri(echo).retrieve().bodyToMono(String.class);
        }

        @GetMapping("/echo")
        String echo(@RequestHeader(name = HEADER, required = false) String priority) {
            return priority == null ? "none" : priority;
        }
    }

    static class Downstream {

        @CircuitBreaker(name = "search", fallbackMethod = "shed")
        public Mono<String> search() {
            return Mono.just("found");
        }

        @CircuitBreaker(name = "batch", fallbackMethod = "shed")
        public Mono<String> export() {
            return Mono.just("exported");
        }

        Mono<String> shed(CallNotPermittedException rejected) {
            return Mono.just("shed: " + rejected.reason());
        }
    }
}
