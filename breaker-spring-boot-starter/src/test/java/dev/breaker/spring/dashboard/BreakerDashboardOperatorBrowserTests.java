package dev.breaker.spring.dashboard;

import dev.breaker.Breaker;
import dev.breaker.BreakerRegistry;
import dev.breaker.CircuitState;
import dev.breaker.FakeTicker;
import dev.breaker.spring.actuate.Outages;
import dev.breaker.spring.autoconfigure.BreakerConfigCustomizer;
import dev.breaker.spring.history.BreakerHistory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator on call sees on the dashboard, in a real headless Chromium against the real endpoints over HTTP:
 * why a breaker opened, history that survives a reload, the detail view, the alerts, and 500 breakers searched,
 * filtered and sorted. Saves a screenshot of each under {@code target/screenshots/}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = BreakerDashboardOperatorBrowserTests.App.class,
        properties = {
                "breaker.dashboard.enabled=true",
                "management.endpoints.web.exposure.include=breakers,breakerevents,breakerhistory",
                "management.endpoint.breakers.access=unrestricted",
                "breaker.instances.payments.slow-call-duration=100ms",
                "breaker.instances.payments.slow-call-rate-threshold=50",
                "breaker.instances.payments.sliding-window.size=10",
                "breaker.instances.payments.minimum-calls=10",
                "breaker.instances.payments.wait-in-open=10m",
                "breaker.instances.inventory.sliding-window.size=10",
                "breaker.instances.inventory.minimum-calls=10",
                "breaker.instances.inventory.wait-in-open=10m",
                "breaker.instances.ledger.consecutive-failures=1",
                "breaker.instances.ledger.half-open-calls=1",
                "breaker.instances.ledger.escalation.enabled=true",
                "breaker.instances.ledger.escalation.emergency-after=1",
                "breaker.instances.ledger.recovery.ramp=100s",
                Outages.RAMPED})
class BreakerDashboardOperatorBrowserTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Ten minutes of history, one sample per 5 s. */
    private static final int SAMPLES = 120;

    private static final String SLOW_CALLS_OPENING = "Opened: slow-call rate 80 % ≥ 50 %";

    private static HeadlessChromium chromium;

    private static ChromeDriver browser;

    private static boolean prepared;

    @LocalServerPort
    int port;

    @Autowired
    BreakerRegistry registry;

    @Autowired
    BreakerHistory history;

    @Autowired
    FakeTicker ticker;

    @Autowired
    HistoryClock historyClock;

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

    /**
     * Once: ten minutes of traffic sampled on the history's own clock, ending now; payments opened by slow calls and
     * inventory by failures near the end; ledger in an emergency; ramped recovering at 40 %; checkout healthy.
     */
    @BeforeEach
    void prepare() {
        chromium.clearConsole();
        if (prepared) {
            return;
        }
        Breaker payments = registry.breaker("payments");
        Breaker inventory = registry.breaker("inventory");
        Breaker checkout = registry.breaker("checkout");
        for (int step = 0; step < SAMPLES; step++) {
            calls(checkout, 20 + step % 7 * 3, 0, 0);
            // An empty window first, so that the rate is judged at the tenth call: 8 slow calls of 10.
            if (step == SAMPLES - 12) {
                payments.reset();
                calls(payments, 2, 8, 0);
            } else {
                calls(payments, 10 + step % 5, 0, 0);
            }
            if (step == SAMPLES - 20) {
                inventory.reset();
                calls(inventory, 4, 0, 6);
            } else {
                calls(inventory, 12, 0, step % 9 == 0 ? 1 : 0);
            }
            historyClock.advance(Duration.ofSeconds(5));
            history.sample();
        }
        assertThat(payments.state()).isEqualTo(CircuitState.OPEN);
        assertThat(inventory.state()).isEqualTo(CircuitState.OPEN);
        Breaker ledger = registry.breaker("ledger");
        Outages.open(ledger);
        Outages.trial(ledger, ticker, false);
        Outages.recovering(registry.breaker("ramped"), ticker);
        ticker.advance(Duration.ofSeconds(40));
        prepared = true;
    }

    /** Fast successes, slow successes (300 ms) and failures, each asked for first (an open breaker rejects). */
    private static void calls(Breaker breaker, int fast, int slow, int failures) {
        for (int i = 0; i < fast + slow + failures; i++) {
            if (breaker.tryAcquire()) {
                if (i < fast) {
                    breaker.onSuccess(TimeUnit.MILLISECONDS.toNanos(5));
                } else if (i < fast + slow) {
                    breaker.onSuccess(TimeUnit.MILLISECONDS.toNanos(300));
                } else {
                    breaker.onFailure(TimeUnit.MILLISECONDS.toNanos(5), new IOException("down"));
                }
            }
        }
    }

    private String origin() {
        return "http://localhost:" + port;
    }

    private WebDriverWait waitUpTo() {
        return new WebDriverWait(browser, WAIT);
    }

    private By part(String breaker, String role) {
        return By.cssSelector("[data-breaker='" + breaker + "'] [data-role='" + role + "']");
    }

    private WebElement tile(String breaker) {
        return browser.findElement(By.cssSelector("#tiles [data-breaker='" + breaker + "']"));
    }

    private List<String> tileNames() {
        return browser.findElements(By.cssSelector("#tiles [data-breaker]")).stream()
                .map(tile -> tile.getDomAttribute("data-breaker")).toList();
    }

    private void open() {
        browser.get(origin() + "/breakers");
        waitUpTo().until(ExpectedConditions.textToBe(part("payments", "state"), "OPEN"));
    }

    @Test
    void overview_showsMixedStates_worstFirst() {
        open();
        waitUpTo().until(ExpectedConditions.attributeToBe(part("checkout", "chart"), "data-samples",
                String.valueOf(SAMPLES)));

        assertThat(tileNames()).as("emergency, then open by the higher rate, then recovering, then healthy")
                .containsExactly("ledger", "payments", "inventory", "ramped", "checkout");
        assertThat(browser.findElement(By.cssSelector("[data-role='shown']")).getText()).isEqualTo("5 breakers");
        chromium.screenshot("dashboard-overview");
        chromium.assertLoadedOnlyFrom(origin());
        chromium.assertNoConsoleErrors();
    }

    @Test
    void openingBySlowCalls_isExplained_withTheRateAgainstItsThreshold_andACountdown() {
        open();
        waitUpTo().until(ExpectedConditions.textToBe(part("payments", "why-text"), SLOW_CALLS_OPENING));

        assertThat(browser.findElement(part("payments", "why-ago")).getText()).matches("\\d+ s ago");
        assertThat(browser.findElement(part("payments", "slow-call-rate")).getText()).isEqualTo("80 %");
        assertThat(browser.findElement(part("payments", "failure-rate")).getText()).isEqualTo("0 %");
        assertThat(browser.findElement(part("payments", "countdown")).getText())
                .matches("Next trial in (9 min \\d+ s|10 min 0 s)");
        assertThat(browser.findElement(part("inventory", "why-text")).getText())
                .isEqualTo("Opened: failure rate 60 % ≥ 50 %");
        chromium.screenshot("dashboard-opened-by-slow-calls", tile("payments"));
        chromium.assertNoConsoleErrors();
    }

    @Test
    void history_isDrawnFromTheServer_andSurvivesAReload() {
        open();
        waitUpTo().until(ExpectedConditions.attributeToBe(part("payments", "chart"), "data-samples",
                String.valueOf(SAMPLES)));

        browser.navigate().refresh();

        waitUpTo().until(ExpectedConditions.attributeToBe(part("payments", "chart"), "data-samples",
                String.valueOf(SAMPLES)));
        assertThat(browser.executeScript("return performance.getEntriesByType('navigation')[0].type"))
                .isEqualTo("reload");
        chromium.assertNoConsoleErrors();
    }

    @Test
    void detailView_showsTheWholeHistory_recentTransitionsAndEvents_andTheConfiguration() {
        open();
        browser.findElement(part("payments", "name")).click();

        WebElement detail = browser.findElement(By.id("detail"));
        waitUpTo().until(ExpectedConditions.visibilityOf(detail));
        waitUpTo().until(ExpectedConditions.attributeToBe(By.cssSelector("[data-role='detail-chart']"),
                "data-samples", String.valueOf(SAMPLES)));
        waitUpTo().until(driver -> !driver.findElements(
                By.cssSelector("[data-role='detail-events'] li[data-type='STATE_TRANSITION']")).isEmpty());

        assertThat(browser.findElement(By.cssSelector("[data-role='detail-name']")).getText()).isEqualTo("payments");
        assertThat(browser.findElement(By.cssSelector("[data-role='detail-why']")).getText())
                .startsWith(SLOW_CALLS_OPENING);
        assertThat(browser.findElement(By.cssSelector("[data-role='detail-events'] li[data-type='STATE_TRANSITION']"))
                .getText()).contains("CLOSED → OPEN", "slow call rate exceeded");
        assertThat(browser.findElements(By.cssSelector("[data-role='detail-events'] li[data-type='THRESHOLD_EXCEEDED']")))
                .singleElement().extracting(WebElement::getText).asString().contains("slow-call rate 80 %");
        assertThat(browser.findElement(By.cssSelector("[data-role='detail-config'] dd[data-key='slowCallRateThreshold']"))
                .getText()).isEqualTo("50");
        assertThat(browser.findElement(By.cssSelector("[data-role='detail-config'] dd[data-key='slowCallDuration']"))
                .getText()).isEqualTo("PT0.1S");
        assertThat(browser.getCurrentUrl()).endsWith("#breaker=payments");
        chromium.screenshot("dashboard-detail");

        browser.navigate().refresh();
        waitUpTo().until(ExpectedConditions.textToBe(By.cssSelector("[data-role='detail-name']"), "payments"));
        browser.findElement(By.cssSelector("[data-action='close-detail']")).click();
        waitUpTo().until(ExpectedConditions.invisibilityOf(browser.findElement(By.id("detail"))));
        chromium.assertNoConsoleErrors();
    }

    @Test
    void alertsPanel_listsRecentAlertsBySeverity_withASummary() {
        open();
        WebElement panel = browser.findElement(By.id("alerts"));
        waitUpTo().until(ExpectedConditions.textToBe(By.cssSelector("[data-role='healthy']"),
                "40 % healthy (2 of 5)"));

        assertThat(panel.findElement(By.cssSelector("[data-role='count-critical']")).getText()).isEqualTo("1 critical");
        assertThat(panel.findElements(By.cssSelector("li[data-severity='HIGH'] [data-role='alert-summary']")))
                .extracting(WebElement::getText).contains(SLOW_CALLS_OPENING, "Opened: failure rate 60 % ≥ 50 %");
        assertThat(panel.findElements(By.cssSelector("li[data-severity='CRITICAL']"))).singleElement()
                .extracting(WebElement::getText).asString()
                .contains("ledger", "Emergency: 1 failed recovery in a row, one trial call at a time");
        assertThat(panel.findElements(By.cssSelector("li[data-severity='INFO'] [data-role='alert-summary']")))
                .extracting(WebElement::getText).contains("Recovering: the trial calls succeeded");
        chromium.screenshot("dashboard-alerts", panel);
        chromium.assertNoConsoleErrors();
    }

    @Test
    void recoveringTile_showsTheAdmittedShareAndTheTimeLeft() {
        open();
        waitUpTo().until(ExpectedConditions.textToBe(part("ramped", "admitted-share"), "40 %"));

        assertThat(browser.findElement(part("ramped", "ramp-remaining")).getText()).isEqualTo("1 min 0 s left");
        assertThat(browser.findElement(part("ramped", "why-text")).getText())
                .isEqualTo("Recovering: the trial calls succeeded");
        chromium.screenshot("dashboard-recovering-share", tile("ramped"));
        chromium.assertNoConsoleErrors();
    }

    @Test
    void fiveHundredBreakers_searchNarrowsToTheMatch_theStateFilterToItsState_andTheWorstComeFirst() {
        List<String> names = IntStream.range(0, 500).mapToObj(i -> String.format("svc-%03d", i)).toList();
        names.forEach(registry::breaker);
        try {
            calls(registry.breaker("svc-250"), 0, 0, 100);
            registry.breaker("svc-499").forceOpen();
            open();
            WebElement search = browser.findElement(By.id("search"));
            search.sendKeys("svc");
            waitUpTo().until(ExpectedConditions.textToBe(By.cssSelector("[data-role='shown']"),
                    "Showing 60 of 500 matching, 505 in all"));

            assertThat(tileNames()).hasSize(60).startsWith("svc-250", "svc-499", "svc-000", "svc-001");
            search.sendKeys("-12");
            waitUpTo().until(driver -> tileNames().size() == 10);
            assertThat(browser.findElement(By.cssSelector("[data-role='shown']")).getText())
                    .isEqualTo("10 matching, 505 in all");
            assertThat(tileNames()).containsExactlyElementsOf(
                    IntStream.range(120, 130).mapToObj(i -> "svc-" + i).toList());
            waitUpTo().until(ExpectedConditions.attributeToBe(part("svc-129", "chart"), "data-samples", "0"));
            chromium.screenshot("dashboard-500-filtered");
            search.sendKeys("3");
            waitUpTo().until(driver -> tileNames().equals(List.of("svc-123")));

            search.clear();
            search.sendKeys(" ");
            new Select(browser.findElement(By.id("state-filter"))).selectByValue("FORCED_OPEN");
            waitUpTo().until(driver -> tileNames().equals(List.of("svc-499")));
            new Select(browser.findElement(By.id("state-filter"))).selectByValue("");
            new Select(browser.findElement(By.id("sort"))).selectByValue("name");
            waitUpTo().until(driver -> tileNames().size() == 60 && tileNames().get(0).equals("checkout"));
            chromium.assertNoConsoleErrors();
        } finally {
            names.forEach(registry::remove);
        }
    }

    @Test
    void everyManualAction_worksFromTheTile() {
        open();
        By state = part("checkout", "state");
        waitUpTo().until(ExpectedConditions.textToBe(state, "CLOSED"));
        try {
            WebElement disable = tile("checkout").findElement(By.cssSelector("[data-action='disable']"));
            disable.click();
            assertThat(disable.getText()).isEqualTo("Confirm disable");
            disable.click();
            waitUpTo().until(ExpectedConditions.textToBe(state, "DISABLED"));

            tile("checkout").findElement(By.cssSelector("[data-action='close']")).click();
            waitUpTo().until(ExpectedConditions.textToBe(state, "CLOSED"));

            WebElement forceOpen = tile("checkout").findElement(By.cssSelector("[data-action='force-open']"));
            forceOpen.click();
            forceOpen.click();
            waitUpTo().until(ExpectedConditions.textToBe(state, "FORCED_OPEN"));
            waitUpTo().until(ExpectedConditions.textMatches(part("checkout", "why-text"),
                    Pattern.compile("Forced open by hand")));

            tile("checkout").findElement(By.cssSelector("[data-action='reset']")).click();
            waitUpTo().until(ExpectedConditions.textToBe(state, "CLOSED"));
            assertThat(registry.find("checkout").orElseThrow().state()).isEqualTo(CircuitState.CLOSED);
            chromium.assertNoConsoleErrors();
        } finally {
            registry.find("checkout").orElseThrow().reset();
        }
    }

    /** The history's own clock, which the test moves ten minutes in 5 s samples up to about now. */
    static final class HistoryClock extends java.time.Clock {

        private volatile Instant now = Instant.now().minus(Duration.ofSeconds(5L * SAMPLES));

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        HistoryClock historyClock() {
            return new HistoryClock();
        }

        /** Sampled by the test alone: the task's first run is an hour away. */
        @Bean
        BreakerHistory breakerHistory(BreakerRegistry registry, HistoryClock clock) {
            return new BreakerHistory(registry, Duration.ofHours(1), 720, clock);
        }

        /** Starts at the real time, so that the page shows the fake breakers' events as recent. */
        @Bean
        FakeTicker fakeTicker() {
            return new FakeTicker().advance(Duration.between(FakeTicker.EPOCH, Instant.now()));
        }

        /** The breakers driven through recoveries and emergencies run on the fake ticker; the others on real time. */
        @Bean
        BreakerConfigCustomizer fakeTimeForRecoveries(FakeTicker ticker) {
            return (name, builder) -> {
                if (name.equals("ramped") || name.equals("ledger")) {
                    builder.ticker(ticker).clock(ticker.clock());
                }
            };
        }
    }
}
