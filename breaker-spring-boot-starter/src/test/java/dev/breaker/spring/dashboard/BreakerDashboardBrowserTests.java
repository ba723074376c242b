package dev.breaker.spring.dashboard;

import dev.breaker.Breaker;
import dev.breaker.BreakerRegistry;
import dev.breaker.CircuitState;
import dev.breaker.FakeTicker;
import dev.breaker.spring.actuate.Outages;
import dev.breaker.spring.annotation.CircuitBreaker;
import dev.breaker.spring.autoconfigure.BreakerConfigCustomizer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The dashboard page in a real headless Chromium (found by {@link HeadlessChromium}; {@code ./test.sh} installs it on
 * Debian) against the real {@code breakers} endpoint over HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = BreakerDashboardBrowserTests.App.class,
        properties = {
                "breaker.dashboard.enabled=true",
                "management.endpoints.web.exposure.include=breakers",
                "management.endpoint.breakers.access=unrestricted",
                "breaker.instances.inventory.consecutive-failures=1",
                "breaker.instances.inventory.wait-in-open=10m",
                "breaker.instances.checkout.depends-on=inventory",
                Outages.RAMPED})
class BreakerDashboardBrowserTests {

    /** Generous for a slow 2-core machine; every wait ends as soon as its condition holds. */
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static final By INVENTORY_STATE = By.cssSelector("[data-breaker='inventory'] [data-role='state']");

    private static HeadlessChromium chromium;

    private static ChromeDriver browser;

    @LocalServerPort
    int port;

    @Autowired
    BreakerRegistry registry;

    @Autowired
    InventoryClient inventory;

    @Autowired
    BasicAuthGate gate;

    @Autowired
    FakeTicker ticker;

    @BeforeAll
    static void startBrowser(@TempDir Path profile) {
        chromium = HeadlessChromium.start(profile);
        browser = chromium.driver();
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @BeforeEach
    void closeBreakers() {
        registry.all().forEach(Breaker::reset);
        chromium.clearConsole();
    }

    @AfterEach
    void openGate() {
        gate.open();
    }

    private String origin() {
        return "http://localhost:" + port;
    }

    private WebDriverWait waitUpTo() {
        return new WebDriverWait(browser, WAIT);
    }

    private CircuitState inventoryState() {
        return registry.find("inventory").orElseThrow().state();
    }

    private void tripInventory() {
        assertThatIllegalStateException().isThrownBy(() -> inventory.stock("widget", true));
        assertThat(inventoryState()).isEqualTo(CircuitState.OPEN);
    }

    private WebElement inventoryPart(String selector) {
        return browser.findElement(By.cssSelector("[data-breaker='inventory'] " + selector));
    }

    @Test
    void trippedBreaker_showsOpen_andAResetClickClosesIt() {
        tripInventory();

        browser.get(origin() + "/breakers");
        waitUpTo().until(ExpectedConditions.textToBe(INVENTORY_STATE, "OPEN"));

        assertThat(browser.findElement(By.cssSelector("[data-breaker='inventory']")).getDomAttribute("data-state"))
                .isEqualTo("OPEN");
        assertThat(inventoryPart("[data-role='name']").getText()).isEqualTo("inventory");
        assertThat(inventoryPart("[data-role='last-failure']").getText()).endsWith(" ago");
        assertThat(inventoryPart("[data-role='time-in-state']").getText()).matches("\\d+ s|\\d+ min \\d+ s");
        assertThat(inventoryPart("[data-role='not-permitted']").getText()).isEqualTo("0");
        // A second poll has come in: calls/s needs two samples.
        waitUpTo().until(ExpectedConditions.textMatches(
                By.cssSelector("[data-breaker='inventory'] [data-role='calls-per-second']"),
                Pattern.compile("\\d+(\\.\\d)?")));

        inventoryPart("[data-action='reset']").click();

        waitUpTo().until(ExpectedConditions.textToBe(INVENTORY_STATE, "CLOSED"));
        assertThat(inventoryState()).isEqualTo(CircuitState.CLOSED);
        assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();
        chromium.assertLoadedOnlyFrom(origin());
        chromium.assertNoConsoleErrors();
    }

    private By part(String breaker, String selector) {
        return By.cssSelector("[data-breaker='" + breaker + "'] " + selector);
    }

    @Test
    void recoveringBreaker_showsItsOwnColour_theAdmittedShare_andTheTimeLeftInTheRamp() {
        Outages.recovering(registry.find("ramped").orElseThrow(), ticker);
        ticker.advance(Duration.ofSeconds(40));

        browser.get(origin() + "/breakers");
        waitUpTo().until(ExpectedConditions.textToBe(part("ramped", "[data-role='state']"), "RECOVERING"));
        waitUpTo().until(ExpectedConditions.textToBe(part("ramped", "[data-role='admitted-share']"), "40 %"));

        WebElement tile = browser.findElement(By.cssSelector("[data-breaker='ramped']"));
        assertThat(tile.getDomAttribute("data-tone")).isEqualTo("recovering");
        assertThat(browser.findElement(part("ramped", "[data-role='state']")).getCssValue("background-color"))
                .as("the recovering colour, #1565c0").isEqualTo("rgba(21, 101, 192, 1)");
        assertThat(browser.findElement(part("ramped", "[data-role='ramp-remaining']")).getText())
                .isEqualTo("1 min 0 s left");
        assertThat(browser.findElement(part("ramped", "[data-role='share-bar']")).getDomProperty("value"))
                .isEqualTo("40");
        assertThat(browser.findElement(part("ramped", "[data-role='level']")).isDisplayed())
                .as("CRITICAL is what the state says already: no badge").isFalse();
        assertThat(browser.findElement(part("inventory", "[data-role='ramp']")).isDisplayed())
                .as("a closed breaker shows no ramp").isFalse();
        chromium.screenshot("dashboard-recovering");
        chromium.assertNoConsoleErrors();
    }

    @Test
    void aBlockedDependent_showsWhatBlocksIt_andItsRejectionsByReason() {
        registry.find("inventory").orElseThrow().forceOpen();
        Breaker checkout = registry.find("checkout").orElseThrow();
        assertThat(checkout.tryAcquire()).isFalse();
        assertThat(checkout.tryAcquire()).isFalse();

        browser.get(origin() + "/breakers");
        waitUpTo().until(ExpectedConditions.textToBe(part("checkout", "[data-role='blocked-by']"),
                "Blocked by inventory"));

        assertThat(browser.findElement(part("checkout", "[data-role='state']")).getText()).as("its own state")
                .isEqualTo("CLOSED");
        assertThat(browser.findElement(part("checkout", "[data-role='rejections']")).getText())
                .matches("Rejected: dependency open \\d+");
        assertThat(browser.findElement(part("inventory", "[data-role='blocked-by']")).isDisplayed()).isFalse();
        chromium.screenshot("dashboard-blocked");

        registry.find("inventory").orElseThrow().close();
        waitUpTo().until(ExpectedConditions.invisibilityOfElementLocated(part("checkout", "[data-role='blocked-by']")));
        chromium.assertNoConsoleErrors();
    }

    @Test
    void emergency_showsItsBadge_andMarksTheTile() {
        Breaker ramped = registry.find("ramped").orElseThrow();
        Outages.open(ramped);
        Outages.trial(ramped, ticker, false);

        browser.get(origin() + "/breakers");
        waitUpTo().until(ExpectedConditions.textToBe(part("ramped", "[data-role='level']"), "EMERGENCY"));

        WebElement badge = browser.findElement(part("ramped", "[data-role='level']"));
        assertThat(badge.isDisplayed()).isTrue();
        assertThat(badge.getDomAttribute("data-tone")).isEqualTo("emergency");
        assertThat(badge.getDomAttribute("title")).isEqualTo("Escalation count: 1");
        assertThat(badge.getCssValue("background-color")).as("the emergency colour, #6a1b9a")
                .isEqualTo("rgba(106, 27, 154, 1)");
        assertThat(browser.findElement(part("ramped", "[data-role='state']")).getText()).isEqualTo("OPEN");
        assertThat(browser.findElement(By.cssSelector("[data-breaker='ramped']")).getDomAttribute("data-level-tone"))
                .isEqualTo("emergency");
        assertThat(browser.findElement(part("inventory", "[data-role='level']")).isDisplayed()).isFalse();
        chromium.screenshot("dashboard-emergency");
        chromium.assertNoConsoleErrors();
    }

    @Test
    void forceOpen_asksForASecondClick_thenForcesTheBreakerOpen() {
        browser.get(origin() + "/breakers");
        waitUpTo().until(ExpectedConditions.textToBe(INVENTORY_STATE, "CLOSED"));

        inventoryPart("[data-action='force-open']").click();
        assertThat(inventoryPart("[data-action='force-open']").getText()).isEqualTo("Confirm force open");
        assertThat(inventoryState()).isEqualTo(CircuitState.CLOSED);
        inventoryPart("[data-action='force-open']").click();

        waitUpTo().until(ExpectedConditions.textToBe(INVENTORY_STATE, "FORCED_OPEN"));
        assertThat(inventoryState()).isEqualTo(CircuitState.FORCED_OPEN);
        chromium.assertNoConsoleErrors();
    }

    @Test
    void unauthorizedAction_asksToSignIn_rejectsAWrongPassword_thenRetriesWithBasicCredentials() {
        gate.require("operator", "s3cret é");
        tripInventory();
        browser.get(origin() + "/breakers");
        waitUpTo().until(ExpectedConditions.textToBe(INVENTORY_STATE, "OPEN"));

        inventoryPart("[data-action='reset']").click();
        WebElement form = browser.findElement(By.cssSelector("[data-role='sign-in']"));
        waitUpTo().until(ExpectedConditions.visibilityOf(form));
        assertThat(inventoryState()).isEqualTo(CircuitState.OPEN);

        signIn("operator", "wrong");
        waitUpTo().until(ExpectedConditions.textToBePresentInElementLocated(By.id("signin-reason"),
                "Sign-in failed"));
        assertThat(inventoryState()).isEqualTo(CircuitState.OPEN);

        signIn("operator", "s3cret é");
        waitUpTo().until(ExpectedConditions.textToBe(INVENTORY_STATE, "CLOSED"));
        assertThat(inventoryState()).isEqualTo(CircuitState.CLOSED);
        assertThat(form.isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("account-name")).getText()).isEqualTo("operator");
        assertThat(gate.requestsWithoutXRequestedWith).as("requests that would raise the browser's own auth popup")
                .hasValue(0);
        assertThat(browser.executeScript(
                "return localStorage.length + sessionStorage.length;")).as("stored credentials").isEqualTo(0L);
        chromium.assertLoadedOnlyFrom(origin());
    }

    private void signIn(String username, String password) {
        WebElement user = browser.findElement(By.id("signin-username"));
        user.clear();
        user.sendKeys(username);
        browser.findElement(By.id("signin-password")).sendKeys(password);
        browser.findElement(By.cssSelector("[data-action='sign-in']")).click();
    }

    @Test
    void breakerNames_areShownAsText_neverAsMarkup() {
        String name = "<img src=x onerror=\"document.title='injected'\">&amp;";
        registry.breaker(name);
        try {
            browser.get(origin() + "/breakers");
            WebElement tile = waitUpTo().until(driver -> driver.findElements(By.cssSelector("[data-breaker]"))
                    .stream().filter(candidate -> name.equals(candidate.getDomAttribute("data-breaker")))
                    .findFirst().orElse(null));

            assertThat(tile.findElement(By.cssSelector("[data-role='name']")).getText()).isEqualTo(name);
            assertThat(browser.findElements(By.tagName("img"))).isEmpty();
            assertThat(browser.getTitle()).isEqualTo("Circuit breakers");
        } finally {
            registry.remove(name);
        }
    }

    @Test
    void page_isServedAsUncachedHtml_referencingNothingExternal() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(origin() + "/breakers")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html;charset=UTF-8");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.body()).contains("data-endpoint-path=\"/actuator/breakers\"")
                .doesNotContain("http://", "https://");
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        InventoryClient inventoryClient() {
            return new InventoryClient();
        }

        @Bean
        BasicAuthGate basicAuthGate() {
            return new BasicAuthGate();
        }

        /** Starts at the real time, so that the page shows the fake breakers' last failures as recent. */
        @Bean
        FakeTicker fakeTicker() {
            return new FakeTicker().advance(Duration.between(FakeTicker.EPOCH, Instant.now()));
        }

        /** The breaker driven through recoveries and emergencies runs on the fake ticker; the others on real time. */
        @Bean
        BreakerConfigCustomizer fakeTimeForRamped(FakeTicker ticker) {
            return BreakerConfigCustomizer.forBreaker("ramped", builder -> builder.ticker(ticker)
                    .clock(ticker.clock()));
        }
    }

    static class InventoryClient {

        @CircuitBreaker(name = "inventory")
        public int stock(String item, boolean fail) {
            if (fail) {
                throw new IllegalStateException("inventory is down for " + item);
            }
            return 7;
        }
    }

    /**
     * Stands in for Spring Security's HTTP Basic (not on this module's class path), when a test closes it: a POST
     * to Actuator without the right {@code Authorization} answers 401, with a {@code WWW-Authenticate} challenge
     * (which raises the browser's own popup) only when {@code X-Requested-With: XMLHttpRequest} is absent.
     */
    static class BasicAuthGate extends OncePerRequestFilter {

        private volatile @Nullable String expectedAuthorization;

        final AtomicInteger requestsWithoutXRequestedWith = new AtomicInteger();

        void require(String username, String password) {
            expectedAuthorization = "Basic " + Base64.getEncoder()
                    .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
            requestsWithoutXRequestedWith.set(0);
        }

        void open() {
            expectedAuthorization = null;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String expected = expectedAuthorization;
            if (expected != null && request.getRequestURI().startsWith("/actuator/")) {
                boolean xhr = "XMLHttpRequest".equals(request.getHeader("X-Requested-With"));
                if (!xhr) {
                    requestsWithoutXRequestedWith.incrementAndGet();
                }
                if ("POST".equals(request.getMethod()) && !expected.equals(request.getHeader("Authorization"))) {
                    if (!xhr) {
                        response.setHeader("WWW-Authenticate", "Basic realm=\"test\"");
                    }
                    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
                    return;
                }
            }
            chain.doFilter(request, response);
        }
    }
}
