package dev.breaker.sample;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The chaos controls: reading, setting, validating, and the faults they inject into the downstream services. */
class ChaosControllerTests extends StorefrontHttpTest {

    @Test
    void getShowsEveryDependencyWithoutFaultsAtFirst() {
        HttpResponse<String> response = http.get("/chaos");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"inventory\":{\"failureRate\":0.0,\"latencyMs\":0},"
                + "\"pricing\":{\"failureRate\":0.0,\"latencyMs\":0},\"reviews\":{\"failureRate\":0.0,\"latencyMs\":0},"
                + "\"payments\":{\"failureRate\":0.0,\"latencyMs\":0}}");
    }

    @Test
    void putReplacesTheSettingsAndAFieldLeftOutIsZero() {
        chaos("pricing", "{\"failureRate\": 0.25, \"latencyMs\": 150}");
        chaos("pricing", "{\"latencyMs\": 10}");

        assertThat(http.get("/chaos").body()).contains("\"pricing\":{\"failureRate\":0.0,\"latencyMs\":10}");
    }

    @Test
    void deleteClearsEveryFault() {
        chaos("inventory", "{\"failureRate\": 1}");
        chaos("reviews", "{\"latencyMs\": 5}");

        HttpResponse<String> response = asAdmin("DELETE", "/chaos").send();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).doesNotContain("\"failureRate\":1.0").doesNotContain("\"latencyMs\":5");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "database  | {\"failureRate\": 1}       | Unknown dependency 'database'; known dependencies are inventory, pricing, reviews, payments",
            "inventory | {\"failureRate\": 1.5}     | failureRate must be in [0.0, 1.0], was 1.5",
            "inventory | {\"failureRate\": -0.1}    | failureRate must be in [0.0, 1.0], was -0.1",
            "inventory | {\"failureRate\": \"high\"} | failureRate must be a number, was \\\"high\\\"",
            "pricing   | {\"latencyMs\": 30001}     | latencyMs must be in [0, 30000], was 30001",
            "pricing   | {\"latencyMs\": 1e30}      | latencyMs must be in [0, 30000], was 1.0E30",
            "pricing   | {\"latencyMs\": -1}        | latencyMs must be in [0, 30000], was -1",
            "pricing   | {\"latencyMs\": 1.5}       | latencyMs must be a whole number of milliseconds, was 1.5",
            "pricing   | {\"latency\": 100}         | Unknown field 'latency'; fields are failureRate (0.0-1.0) and latencyMs (0-30000)",
    })
    void aBadSettingIs400SayingWhatIsWrong(String dependency, String body, String detail) {
        HttpResponse<String> response = asAdmin("PUT", "/chaos/" + dependency).json(body).send();

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"detail\":\"" + detail + "\"");
        assertThat(http.get("/chaos").body()).doesNotContain("\"failureRate\":1.0");
    }

    @Test
    void malformedJsonIs400() {
        assertThat(asAdmin("PUT", "/chaos/inventory").json("{\"failureRate\": ").send().statusCode())
                .isEqualTo(400);
        assertThat(asAdmin("PUT", "/chaos/inventory").json("[1, 2]").send().statusCode()).isEqualTo(400);
        assertThat(asAdmin("PUT", "/chaos/inventory").json("").send().statusCode()).isEqualTo(400);
    }

    @Test
    void anUnexpectedContentTypeIs415() {
        HttpResponse<String> response = asAdmin("PUT", "/chaos/inventory").body("failureRate=1", "text/plain").send();

        assertThat(response.statusCode()).isEqualTo(415);
    }

    @Test
    void failuresAreSpreadDeterministicallyOverTheCalls() {
        chaos("inventory", "{\"failureRate\": 0.5}");
        List<Integer> halfFail = statuses("/downstream/inventory/1", 6);
        chaos("inventory", "{\"failureRate\": 0.25}");
        List<Integer> quarterFail = statuses("/downstream/inventory/1", 8);
        chaos("inventory", "{\"failureRate\": 1.0}");
        List<Integer> allFail = statuses("/downstream/inventory/1", 3);

        assertThat(halfFail).containsExactly(200, 503, 200, 503, 200, 503);
        assertThat(quarterFail).containsExactly(200, 200, 200, 503, 200, 200, 200, 503);
        assertThat(allFail).containsExactly(503, 503, 503);
    }

    @Test
    void latencyDelaysEveryAnswer() {
        chaos("pricing", "{\"latencyMs\": 300}");

        long start = System.nanoTime();
        HttpResponse<String> response = http.get("/downstream/pricing/1");
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(300);
    }

    @Test
    void theDownstreamServicesAnswerWithoutChaos() {
        assertThat((Integer) JsonPath.read(http.get("/downstream/inventory/2").body(), "$.stock")).isEqualTo(7);
        assertThat((Double) JsonPath.read(http.get("/downstream/pricing/2").body(), "$.amount")).isEqualTo(39.90);
        assertThat(http.get("/downstream/reviews/2").body()).contains("Strong coffee, no fuss.");
        assertThat(http.get("/downstream/inventory/99").statusCode()).isEqualTo(404);
    }

    private List<Integer> statuses(String path, int calls) {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            statuses.add(http.get(path).statusCode());
        }
        return statuses;
    }
}
