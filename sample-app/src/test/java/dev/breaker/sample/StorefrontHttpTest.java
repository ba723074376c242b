package dev.breaker.sample;

import com.jayway.jsonpath.JsonPath;
import dev.breaker.Breaker;
import dev.breaker.BreakerRegistry;
import dev.breaker.sample.downstream.Chaos;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.http.HttpResponse;

/**
 * The storefront running on a random port, called over real HTTP. The test classes that extend this share one
 * application context; every test starts with closed breakers and no chaos.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "sample.admin-password=" + StorefrontHttpTest.ADMIN_PASSWORD)
abstract class StorefrontHttpTest {

    static final String ADMIN_PASSWORD = "test-admin-password";

    @LocalServerPort
    int port;

    @Autowired
    BreakerRegistry breakers;

    @Autowired
    Chaos chaos;

    HttpCalls http;

    @BeforeEach
    void startFromAHealthyStore() {
        http = new HttpCalls(port);
        chaos.reset();
        breakers.all().forEach(Breaker::reset);
    }

    /** A request with the admin's credentials. */
    HttpCalls.Request asAdmin(String method, String path) {
        return http.request(method, path).basicAuth(SecurityConfiguration.ADMIN, ADMIN_PASSWORD);
    }

    /** A figure of the breaker's descriptor in {@code /actuator/breakers/{breaker}}, e.g. {@code $.state}. */
    <T> T breaker(String breaker, String jsonPath) {
        return JsonPath.read(http.get("/actuator/breakers/" + breaker).body(), jsonPath);
    }

    /**
     * The value of one series in {@code /actuator/prometheus}, e.g.
     * {@code breaker_calls_total{name="inventory",outcome="failure"}}; 0 when it is not there (yet). Lifetime
     * counters are shared by the test classes, so tests compare them with what they were before.
     */
    double prometheus(String series) {
        return http.get("/actuator/prometheus").body().lines()
                .filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1)))
                .findFirst().orElse(0);
    }

    /** Sets the chaos of {@code dependency} through the API, as the admin. */
    void chaos(String dependency, String settings) {
        HttpResponse<String> response = asAdmin("PUT", "/chaos/" + dependency).json(settings).send();
        if (response.statusCode() != 200) {
            throw new IllegalStateException("PUT /chaos/" + dependency + " answered " + response.statusCode() + ": "
                    + response.body());
        }
    }
}
