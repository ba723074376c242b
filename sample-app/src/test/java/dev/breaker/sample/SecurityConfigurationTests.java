package dev.breaker.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads are open, writes need the admin, and whatever a client sends to the breaker endpoints answers 4xx, never
 * 500. The hardening requests carry the admin's credentials, so that they reach the endpoints.
 */
class SecurityConfigurationTests extends StorefrontHttpTest {

    private static final String RESET = "/actuator/breakers/inventory/reset";

    @ParameterizedTest
    @ValueSource(strings = {"/products", "/products/1", "/products/1/reviews", "/chaos", "/breakers",
            "/actuator/health", "/actuator/breakers", "/actuator/breakers/inventory",
            "/actuator/breakerevents", "/actuator/breakerevents/inventory", "/actuator/prometheus"})
    void readsNeedNoCredentials(String path) {
        assertThat(http.get(path).statusCode()).isEqualTo(200);
        assertThat(http.request("HEAD", path).send().statusCode()).isEqualTo(200);
    }

    @Test
    void aPostWithoutCredentialsIs401WithABasicChallenge() {
        HttpResponse<String> response = http.request("POST", RESET).send();

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Basic realm="));
    }

    @Test
    void aPostFromTheDashboardWithoutCredentialsIs401WithoutChallengeSoTheBrowserShowsNoPrompt() {
        HttpResponse<String> response = http.request("POST", RESET)
                .header("X-Requested-With", "XMLHttpRequest").send();

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
    }

    @Test
    void aPostWithAWrongPasswordIs401() {
        HttpResponse<String> response = http.request("POST", RESET).basicAuth("admin", "guess").send();

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void aPostByAnUnknownUserIs401() {
        HttpResponse<String> response = http.request("POST", RESET).basicAuth("mallory", ADMIN_PASSWORD).send();

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void aPostByTheAdminIs200AndLeavesNoSession() {
        breakers.breaker("inventory").forceOpen();

        HttpResponse<String> response = asAdmin("POST", RESET).send();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"name\":\"inventory\",\"state\":\"CLOSED\"}");
        assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void everyBreakerActionNeedsTheAdmin() {
        for (String action : new String[] {"reset", "force-open", "disable", "close"}) {
            String path = "/actuator/breakers/pricing/" + action;
            assertThat(http.request("POST", path).send().statusCode()).as(action).isEqualTo(401);
            assertThat(asAdmin("POST", path).send().statusCode()).as(action).isEqualTo(200);
        }
    }

    @Test
    void aConfigWriteNeedsTheAdmin_andItsEventNamesTheAdmin() {
        String path = "/actuator/breakers/pricing/config";
        assertThat(http.request("POST", path).json("{\"writable-stack-trace\": true}").send().statusCode())
                .isEqualTo(401);
        assertThat(breakers.breaker("pricing").config().writableStackTrace()).isFalse();
        try {
            HttpResponse<String> response = asAdmin("POST", path).json("{\"writable-stack-trace\": true}").send();

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(breakers.breaker("pricing").config().writableStackTrace()).isTrue();
            assertThat(http.get("/actuator/breakerevents/pricing?type=CONFIG_CHANGED").body())
                    .contains("\"source\":\"endpoint:admin\"");
        } finally {
            assertThat(asAdmin("POST", path).json("{\"writable-stack-trace\": null}").send().statusCode())
                    .isEqualTo(200);
        }
        assertThat(breakers.breaker("pricing").config().writableStackTrace()).as("taken back").isFalse();
    }

    @Test
    void chaosWritesNeedTheAdmin() {
        assertThat(http.request("PUT", "/chaos/pricing").json("{\"latencyMs\": 100}").send().statusCode())
                .isEqualTo(401);
        assertThat(http.request("PUT", "/chaos/pricing").basicAuth("admin", "guess").json("{\"latencyMs\": 100}")
                .send().statusCode()).isEqualTo(401);
        assertThat(http.request("DELETE", "/chaos").send().statusCode()).isEqualTo(401);
        assertThat(asAdmin("PUT", "/chaos/pricing").json("{\"latencyMs\": 100}").send().statusCode())
                .isEqualTo(200);
        assertThat(asAdmin("DELETE", "/chaos").send().statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"no-such-breaker", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "..%2F..", "%2e%2e",
            "a%00b", "a;b", "inventory%20", "%E2%98%83", "%27%20OR%201=1--"})
    void aMalformedOrUnknownBreakerNameIs4xx(String name) {
        HttpResponse<String> response = asAdmin("POST", "/actuator/breakers/" + name + "/reset").send();

        assertThat(response.statusCode()).isBetween(400, 499);
    }

    @Test
    void aVeryLongBreakerNameIs404() {
        HttpResponse<String> response = asAdmin("POST", "/actuator/breakers/" + "x".repeat(3000) + "/reset")
                .send();

        assertThat(response.statusCode()).isEqualTo(404);
    }

    @Test
    void anUnknownBreakerIs404AndCreatesNone() {
        HttpResponse<String> response = asAdmin("POST", "/actuator/breakers/no-such-breaker/reset").send();

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("No breaker named 'no-such-breaker'");
        assertThat(breakers.find("no-such-breaker")).isEmpty();
    }

    @Test
    void anUnknownActionIs400NamingTheValidOnes() {
        HttpResponse<String> response = asAdmin("POST", "/actuator/breakers/inventory/explode").send();

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("valid actions are reset, force-open, disable, close");
    }

    @Test
    void anOversizedBodyIs413() {
        String body = "{\"padding\":\"" + "x".repeat(4096) + "\"}";

        HttpResponse<String> response = asAdmin("POST", RESET).json(body).send();

        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void aBodyOfUnknownLengthIs413() {
        HttpResponse<String> response = asAdmin("POST", RESET).chunkedJson("{}").send();

        assertThat(response.statusCode()).isEqualTo(413);
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/xml",
            "multipart/form-data; boundary=x", "*/*", "application/*"})
    void anUnexpectedContentTypeIs415(String contentType) {
        HttpResponse<String> response = asAdmin("POST", RESET).body("reset=true", contentType).send();

        assertThat(response.statusCode()).isEqualTo(415);
    }

    @Test
    void malformedJsonIs400() {
        HttpResponse<String> response = asAdmin("POST", RESET).json("{\"reset\": ").send();

        assertThat(response.statusCode()).isEqualTo(400);
    }

    @Test
    void anUnknownEventTypeIs400() {
        HttpResponse<String> response = http.get("/actuator/breakerevents/inventory?type=EXPLOSION");

        assertThat(response.statusCode()).isEqualTo(400);
    }
}
