package dev.breaker.sample;

import com.jayway.jsonpath.JsonPath;
import dev.breaker.redis.testing.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two real storefront processes ({@code java -jar target/sample-app.jar}, twice) sharing one real redis-server with
 * the cluster on: the inventory breaker that opens on one opens on the other, over real HTTP. Each storefront calls
 * its own simulated inventory, so only the first one's fails.
 */
class ClusterPackagedJarIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final String PASSWORD = "cluster-admin";
    private static final Duration BOUND = Duration.ofSeconds(30);

    private RunningJar start(String instance) throws Exception {
        return new RunningJar(Map.of("BREAKER_ADMIN_PASSWORD", PASSWORD, "BREAKER_CLUSTER_ENABLED", "true"),
                "--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + redis.port(),
                "--breaker.cluster.instance-id=" + instance, "--breaker.cluster.publish-interval=200ms");
    }

    private static String inventory(RunningJar app, String path) {
        return JsonPath.read(app.http().get("/actuator/breakers/inventory").body(), path).toString();
    }

    @Test
    void anOpeningOnOneStorefront_opensTheBreakerOnTheOther_andAResetOnTheOtherClosesBoth() throws Exception {
        try (RunningJar one = start("storefront-1"); RunningJar two = start("storefront-2")) {
            one.awaitHealthUp();
            two.awaitHealthUp();
            await("each sees both instances").atMost(BOUND).untilAsserted(() -> {
                for (RunningJar app : List.of(one, two)) {
                    List<String> live = JsonPath.read(app.http().get("/actuator/breakers/inventory").body(),
                            "$.cluster.liveInstances[*].instance");
                    assertThat(live).containsExactlyInAnyOrder("storefront-1", "storefront-2");
                }
            });

            assertThat(two.http().get("/products/1").body()).contains("\"stockSource\":\"live\"");

            HttpResponse<String> broken = one.http().request("PUT", "/chaos/inventory").basicAuth("admin", PASSWORD)
                    .json("{\"failureRate\": 1.0}").send();
            assertThat(broken.statusCode()).isEqualTo(200);
            await("storefront-1's inventory opens").atMost(BOUND).until(() -> {
                one.http().get("/products/1");
                return inventory(one, "$.state").equals("OPEN");
            });

            await("storefront-2's inventory opens with it").atMost(BOUND)
                    .until(() -> inventory(two, "$.state").equals("OPEN"));
            assertThat(inventory(two, "$.cluster.openedBy")).isEqualTo("storefront-1");
            assertThat(inventory(two, "$.cluster.openCause")).isEqualTo("FAILURE_RATE_EXCEEDED");
            String transitions = two.http().get("/actuator/breakerevents/inventory?type=STATE_TRANSITION").body();
            assertThat((String) JsonPath.read(transitions, "$.events[0].reason")).isEqualTo("CLUSTER_OPENED");
            assertThat(two.http().get("/products/1").body())
                    .as("its fallback answers with the last stock it saw, without calling its healthy inventory")
                    .contains("\"stockSource\":\"cache\"");

            HttpResponse<String> reset = two.http().request("POST", "/actuator/breakers/inventory/reset")
                    .basicAuth("admin", PASSWORD).send();
            assertThat(reset.statusCode()).isEqualTo(200);
            assertThat((Boolean) JsonPath.read(reset.body(), "$.otherInstancesTold")).isTrue();
            await("storefront-1 closes too").atMost(BOUND).until(() -> inventory(one, "$.state").equals("CLOSED"));
            assertThat(one.log()).anyMatch(line -> line.contains("MANUAL_ACTION reset (cluster-wide)")
                    && line.contains("instance storefront-2"));
        }
    }
}
