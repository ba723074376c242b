package dev.breaker.spring.actuate;

import dev.breaker.Breaker;
import dev.breaker.BreakerConfig;
import dev.breaker.BreakerRegistry;
import dev.breaker.CircuitState;
import dev.breaker.redis.ClusterEvent;
import dev.breaker.redis.ClusterPolicy;
import dev.breaker.redis.RedisCluster;
import dev.breaker.redis.testing.RedisServer;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.breaker.spring.actuate.ActuatorClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The breakers endpoint over real HTTP with cluster coordination on: this application is one instance, a plain
 * {@link RedisCluster} on a registry of its own is the other, both on a real redis-server.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = BreakersEndpointClusterTests.ClusterApp.class,
        properties = {
                "spring.autoconfigure.exclude=",
                "spring.application.name=endpoint-cluster",
                "management.endpoints.web.exposure.include=breakers",
                "management.endpoint.breakers.access=unrestricted",
                "breaker.cluster.enabled=true",
                "breaker.cluster.instance-id=web",
                "breaker.cluster.publish-interval=200ms",
                "breaker.instances.inventory.cluster.policy=share-open",
                "breaker.instances.inventory.wait-in-open=30s",
                "breaker.instances.inventory.sliding-window.size=4",
                "breaker.instances.inventory.minimum-calls=4"})
class BreakersEndpointClusterTests {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final Duration BOUND = Duration.ofSeconds(10);

    private static RedisClient client;
    private static BreakerRegistry otherRegistry;
    private static RedisCluster other;
    private static final List<ClusterEvent> otherEvents = new CopyOnWriteArrayList<>();

    @LocalServerPort
    int port;

    @Autowired
    BreakerRegistry registry;

    @Autowired
    RedisCluster cluster;

    ActuatorClient http;

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry properties) {
        properties.add("spring.data.redis.host", () -> "127.0.0.1");
        properties.add("spring.data.redis.port", redis::port);
    }

    @BeforeAll
    static void startTheOtherInstance() {
        client = RedisClient.create(redis.uri());
        otherRegistry = BreakerRegistry.of(BreakerConfig.builder().countWindow(4).minimumCalls(4)
                .waitInOpen(Duration.ofSeconds(30)).build());
        other = RedisCluster.builder(client).namespace("endpoint-cluster").instanceId("other")
                .publishInterval(Duration.ofMillis(200)).policies(name -> ClusterPolicy.SHARE_OPEN)
                .start(otherRegistry);
        other.addListener(otherEvents::add);
        otherRegistry.breaker("inventory");
    }

    @AfterAll
    static void stopTheOtherInstance() {
        other.close();
        client.shutdown();
    }

    @BeforeEach
    void bothConnectedAndClosed() {
        http = new ActuatorClient(port);
        await().atMost(BOUND).until(() -> cluster.connected() && other.connected());
        cluster.act("inventory", dev.breaker.redis.ManualAction.RESET, true).join();
        await().atMost(BOUND).until(() -> otherBreaker().state() == CircuitState.CLOSED);
        otherEvents.clear();
    }

    private static Breaker otherBreaker() {
        return otherRegistry.breaker("inventory");
    }

    @Test
    void eachBreakerHasAClusterSection_withTheLiveInstancesAndTheirStates() throws Exception {
        await("both instances reported").atMost(BOUND).untilAsserted(() -> {
            JsonNode section = json(http.get("/actuator/breakers/inventory")).get("cluster");
            assertThat(section.get("policy").asString()).isEqualTo("share-open");
            assertThat(section.get("connected").asBoolean()).isTrue();
            assertThat(section.get("instance").asString()).isEqualTo("web");
            assertThat(section.get("liveInstances").valueStream().map(i -> i.get("instance").asString()))
                    .containsExactlyInAnyOrder("web", "other");
            assertThat(section.get("probeLeaseHolder").isNull()).isTrue();
        });
    }

    @Test
    void anOpeningOnTheOtherInstance_showsHere_withWhoOpenedIt() throws Exception {
        for (int i = 0; i < 4; i++) {
            long permit = otherBreaker().acquirePermit();
            otherBreaker().recordFailure(permit, 0, new IOException("down"));
        }

        await().atMost(BOUND).untilAsserted(() -> {
            JsonNode inventory = json(http.get("/actuator/breakers/inventory"));
            assertThat(inventory.get("state").asString()).isEqualTo("OPEN");
            JsonNode section = inventory.get("cluster");
            assertThat(section.get("following").asBoolean()).isTrue();
            assertThat(section.get("openedBy").asString()).isEqualTo("other");
            assertThat(section.get("openCause").asString()).isEqualTo("FAILURE_RATE_EXCEEDED");
            assertThat(section.get("openRemainingMillis").asLong()).isBetween(1L, 30_000L);
            assertThat(section.get("recentEvents").get(0).get("kind").asString()).isEqualTo("OPENED_BY_CLUSTER");
            assertThat(section.get("recentEvents").get(0).get("instance").asString()).isEqualTo("other");
        });
    }

    @Test
    void anAction_appliesToEveryInstanceByDefault_namingThisInstance() throws Exception {
        HttpResponse<String> response = http.post("/actuator/breakers/inventory/force-open");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("state").asString()).isEqualTo("FORCED_OPEN");
        assertThat(body.get("scope").asString()).isEqualTo("cluster");
        assertThat(body.get("instance").asString()).isEqualTo("web");
        assertThat(body.get("otherInstancesTold").asBoolean()).isTrue();
        await().atMost(BOUND).until(() -> otherBreaker().state() == CircuitState.FORCED_OPEN);
        assertThat(otherEvents).singleElement().satisfies(event -> {
            assertThat(event.kind()).isEqualTo(ClusterEvent.Kind.MANUAL_ACTION);
            assertThat(event.instance()).isEqualTo("web");
        });
    }

    @Test
    void theLocalScope_actsOnThisInstanceAlone() throws Exception {
        HttpResponse<String> response = http.post("/actuator/breakers/inventory/force-open/local");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("scope").asString()).isEqualTo("local");
        assertThat(json(response).get("otherInstancesTold").asBoolean()).isFalse();
        assertThat(registry.breaker("inventory").state()).isEqualTo(CircuitState.FORCED_OPEN);
        await().during(Duration.ofMillis(600)).atMost(BOUND)
                .until(() -> otherBreaker().state() == CircuitState.CLOSED);
    }

    @Test
    void anUnknownScope_isABadRequestNamingTheValidOnes() throws Exception {
        HttpResponse<String> response = http.post("/actuator/breakers/inventory/reset/everywhere");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asString()).isEqualTo("Unknown scope 'everywhere'; the scope is"
                + " 'cluster' (every instance, the default with cluster coordination) or 'local' (this instance)");
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class ClusterApp {
    }
}
