package dev.breaker.spring.dashboard;

import dev.breaker.BreakerRegistry;
import dev.breaker.CircuitState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Configuration;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page finds the endpoint under a servlet context path, a custom Actuator base path and endpoint mapping, and a
 * custom dashboard path, in a real headless Chromium.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = BreakerDashboardUnderContextPathBrowserTests.App.class,
        properties = {
                "server.servlet.context-path=/shop",
                "breaker.dashboard.enabled=true",
                "breaker.dashboard.path=/ops/breakers",
                "management.endpoints.web.base-path=/manage",
                "management.endpoints.web.path-mapping.breakers=cb",
                "management.endpoints.web.exposure.include=breakers",
                "management.endpoint.breakers.access=unrestricted",
                "breaker.instances.payments.minimum-calls=5"})
class BreakerDashboardUnderContextPathBrowserTests {

    @LocalServerPort
    int port;

    @Autowired
    BreakerRegistry registry;

    @Test
    void pageUnderAContextPath_readsAndDrivesTheEndpointUnderTheCustomBasePath(@TempDir Path profile) {
        try (HeadlessChromium chromium = HeadlessChromium.start(profile)) {
            ChromeDriver browser = chromium.driver();
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            By state = By.cssSelector("[data-breaker='payments'] [data-role='state']");

            browser.get("http://localhost:" + port + "/shop/ops/breakers");
            wait.until(ExpectedConditions.textToBe(state, "CLOSED"));
            browser.findElement(By.cssSelector("[data-breaker='payments'] [data-action='force-open']")).click();
            browser.findElement(By.cssSelector("[data-breaker='payments'] [data-action='force-open']")).click();

            wait.until(ExpectedConditions.textToBe(state, "FORCED_OPEN"));
            assertThat(registry.find("payments").orElseThrow().state()).isEqualTo(CircuitState.FORCED_OPEN);
            chromium.assertLoadedOnlyFrom("http://localhost:" + port + "/shop");
            chromium.assertNoConsoleErrors();
        }
    }

    @Test
    void theRequestBodyFilter_guardsTheEndpointWhereActuatorMapsIt() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/shop/manage/cb/payments/reset"))
                .header("Content-Type", "*/*").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(415);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }
}
