package dev.breaker.spring.dashboard;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Debian's headless Chromium driven through Debian's chromedriver, both at fixed paths so that Selenium Manager never
 * looks for (or downloads) a browser or a driver.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriverService service;

    private final ChromeDriver driver;

    private HeadlessChromium(ChromeDriverService service, ChromeDriver driver) {
        this.service = service;
        this.driver = driver;
    }

    /** Starts a browser with a fresh profile in {@code profile}; fails, saying how to install, without Chromium. */
    static HeadlessChromium start(Path profile) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("The dashboard tests drive Debian's Chromium: " + CHROMIUM + " and " + CHROMEDRIVER
                    + " must exist. Install them with: apt-get install -y chromium chromium-driver "
                    + "(.ci/run does this)");
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic", "--window-size=1280,900", "--user-data-dir=" + profile);
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        try {
            return new HeadlessChromium(service, new ChromeDriver(service, options));
        } catch (RuntimeException e) {
            service.stop();
            throw e;
        }
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Forgets what the console logged so far. */
    void clearConsole() {
        driver.manage().logs().get(LogType.BROWSER);
    }

    /** Asserts that every resource the current page loaded, its fetches included, came from {@code origin}. */
    void assertLoadedOnlyFrom(String origin) {
        @SuppressWarnings("unchecked")
        List<String> resources = (List<String>) driver.executeScript(
                "return performance.getEntriesByType('resource').map(function (e) { return e.name; });");
        assertThat(resources).as("resources the page loaded").isNotEmpty()
                .allSatisfy(resource -> assertThat(resource).startsWith(origin + "/"));
    }

    /**
     * Asserts that the console logged no error since {@link #clearConsole()}: no script error, no
     * Content-Security-Policy violation, no failed load.
     */
    void assertNoConsoleErrors() {
        List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .toList();
        assertThat(errors).as("browser console errors").isEmpty();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
