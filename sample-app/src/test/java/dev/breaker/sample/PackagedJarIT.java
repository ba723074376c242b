package dev.breaker.sample;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the real artifact, {@code java -jar target/sample-app.jar}, as a child process and talks to it: run by
 * failsafe after {@code package}. The admin password comes from the environment, as in production. No Redis runs:
 * the cluster is off by default, and Spring Data Redis on the class path changes nothing.
 */
class PackagedJarIT {

    private static final String PASSWORD = "from-the-environment";

    @Test
    void thePackagedJarStartsAnswersHealthUpAndTakesTheAdminPasswordFromTheEnvironment() throws Exception {
        try (RunningJar app = new RunningJar(Map.of("BREAKER_ADMIN_PASSWORD", PASSWORD))) {
            HttpCalls http = app.http();
            HttpResponse<String> health = app.awaitHealthUp();

            assertThat((String) JsonPath.read(health.body(), "$.components.breakers.components.summary.status"))
                    .isEqualTo("UP");
            assertThat(http.get("/products/1").body()).contains("\"stockSource\":\"live\"");
            String reset = "/actuator/breakers/inventory/reset";
            assertThat(http.request("POST", reset).send().statusCode()).isEqualTo(401);
            assertThat(http.request("POST", reset).basicAuth("admin", PASSWORD).send().statusCode()).isEqualTo(200);
            assertThat(http.get("/breakers").body()).contains("<title>Circuit breakers</title>");
            assertThat(http.get("/actuator/breakers/inventory").body()).contains("\"cluster\":null");
            assertThat(app.log()).noneMatch(line -> line.contains("No admin password is configured"));
        }
    }
}
