package dev.breaker.spring.priority;

import dev.breaker.Breaker;
import dev.breaker.BreakerRegistry;
import dev.breaker.CallNotPermittedException;
import dev.breaker.Priority;
import dev.breaker.spring.annotation.CircuitBreaker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The priority header of a Spring MVC request over real HTTP: a lower priority is honoured by the breakers the request
 * calls, a higher one is refused unless raising is allowed, a value that names no priority is ignored with 200, and
 * RestClient calls carry the request's priority on. The breakers shed sheddable calls while they warn; batch's calls
 * are sheddable unless they say otherwise.
 */
@TestPropertySource(properties = {"breaker.defaults.sliding-window.size=4", "breaker.defaults.minimum-calls=4",
        "breaker.defaults.escalation.enabled=true", "breaker.defaults.shed-on-warning=true",
        "breaker.instances.batch.default-priority=sheddable"})
class PriorityServletFilterTests {

    static final String HEADER = "Breaker-Priority";

    @Nested
    @ExtendWith(OutputCaptureExtension.class)
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = App.class,
            properties = {"breaker.priority.enabled=true", "breaker.priority.propagate=true",
                    "logging.level.dev.breaker.spring.priority=DEBUG"})
    class LowerOnly extends Requests {

        @Test
        void aLowerPriority_isTheRequestsCallsPriority() throws Exception {
            assertThat(get("/priority", "sheddable").body()).isEqualTo("SHEDDABLE");
            assertThat(get("/priority", "Sheddable_Plus").body()).isEqualTo("SHEDDABLE_PLUS");
            assertThat(get("/priority", null).body()).as("no header, no scope").isEqualTo("none");
        }

        @Test
        void aLowerPriority_isShedByAWarningBreaker_theSameRequestWithoutItIsNot() throws Exception {
            warn("search");

            assertThat(get("/search", "sheddable").body()).isEqualTo("shed: PRIORITY");
            assertThat(get("/search", null).body()).isEqualTo("found");
        }

        @Test
        void raising_isRefused(CapturedOutput output) throws Exception {
            warn("batch");

            HttpResponse<String> raised = get("/batch", "critical-plus");

            assertThat(raised.statusCode()).isEqualTo(200);
            assertThat(raised.body()).as("the breaker's default, sheddable").isEqualTo("shed: PRIORITY");
            assertThat(get("/priority", "critical").body()).isEqualTo("none");
            assertThat(output).contains("Ignoring Breaker-Priority 'critical-plus': a request may only lower its "
                    + "priority unless breaker.priority.allow-raise is true");
        }

        @Test
        void aValueNamingNoPriority_isIgnored_with200_andADebugLine(CapturedOutput output) throws Exception {
            HttpResponse<String> garbage = get("/priority", "%%urgent!!;q=2");
            HttpResponse<String> huge = get("/search", "x".repeat(4000));

            assertThat(garbage.statusCode()).isEqualTo(200);
            assertThat(garbage.body()).isEqualTo("none");
            assertThat(huge.statusCode()).isEqualTo(200);
            assertThat(huge.body()).isEqualTo("found");
            assertThat(output).contains("Ignoring Breaker-Priority '%%urgent!!;q=2': it names no priority")
                    .contains("Ignoring Breaker-Priority '" + "x".repeat(40) + "...'");
        }

        @Test
        void restClientCalls_carryTheRequestsPriorityOn() throws Exception {
            assertThat(get("/relay", "sheddable-plus").body()).isEqualTo("sheddable-plus");
            assertThat(get("/relay", null).body()).isEqualTo("none");
        }
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = App.class,
            properties = {"breaker.priority.enabled=true", "breaker.priority.allow-raise=true",
                    "breaker.priority.header=X-Criticality"})
    class RaisingAllowed extends Requests {

        @Test
        void raising_isHonoured_inTheConfiguredHeader() throws Exception {
            warn("batch");

            assertThat(get("/batch", "critical-plus", "X-Criticality").body()).isEqualTo("exported");
            assertThat(get("/batch", "critical-plus", HEADER).body()).as("another header")
                    .isEqualTo("shed: PRIORITY");
            assertThat(get("/priority", "critical", "X-Criticality").body()).isEqualTo("CRITICAL");
        }
    }

    /** Real HTTP with the JDK's client. */
    abstract static class Requests {

        @LocalServerPort
        int port;

        @Autowired
        BreakerRegistry registry;

        @BeforeEach
        void closeBreakers() {
            registry.all().forEach(Breaker::reset);
        }

        HttpResponse<String> get(String path, String priority) throws Exception {
            return get(path, priority, HEADER);
        }

        HttpResponse<String> get(String path, String priority, String header) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
            if (priority != null) {
                request.header(header, priority);
            }
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        void warn(String name) {
            WarningBreakers.warn(registry.find(name).orElseThrow());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import({Endpoints.class, Downstream.class})
    static class App {
    }

    @RestController
    static class Endpoints {

        private final Downstream downstream;
        private final RestClient http;

        Endpoints(Downstream downstream, RestClient.Builder http) {
            this.downstream = downstream;
            this.http = http.build();
        }

        @GetMapping("/priority")
        String priority() {
            Priority current = Priority.current();
            return current == null ? "none" : current.name();
        }

        @GetMapping("/search")
        String search() {
            return downstream.search();
        }

        @GetMapping("/batch")
        String batch() {
            return downstream.export();
        }

        @GetMapping("/relay")
        String relay() {
            return http.get().uri(ServletUriComponentsBuilder.fromCurrentContextPath().path("/echo").build().toUri())
                    .retrieve().body(String.class);
        }

        @GetMapping("/echo")
        String echo(@RequestHeader(name = HEADER, required = false) String priority) {
            return priority == null ? "none" : priority;
        }
    }

    static class Downstream {

        @CircuitBreaker(name = "search", fallbackMethod = "shed")
        public String search() {
            return "found";
        }

        @CircuitBreaker(name = "batch", fallbackMethod = "shed")
        public String export() {
            return "exported";
        }

        String shed(CallNotPermittedException rejected) {
            return "shed: " + rejected.reason();
        }
    }
}
