package dev.breaker.spring.dashboard;

import dev.breaker.testing.ExternalProgram;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A headless Chrome or Chromium driven through its chromedriver, both found on this machine ({@link #CHROME},
 * {@link #CHROMEDRIVER}) and passed to Selenium as explicit paths, so that Selenium Manager never looks for (or
 * downloads) a browser or a driver.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final String HOW_TO_INSTALL = """
            Install Chromium and its chromedriver:
              Debian:  sudo apt-get install chromium chromium-driver   (./test.sh does this when they are missing)
              Ubuntu:  sudo snap install chromium   (its driver is /snap/bin/chromium.chromedriver)
              macOS:   brew install --cask google-chrome chromedriver   (the driver must match Chrome's version)
              or, anywhere, Chrome for Testing: npx @puppeteer/browsers install chrome@stable
                (then chromedriver@stable), which prints where it put them""";

    /** The browser: Debian's Chromium, else Chromium or Chrome on the PATH, in a snap or in macOS's Applications. */
    static final ExternalProgram CHROME = new ExternalProgram("Chrome or Chromium",
            "breaker.test.chrome", "BREAKER_TEST_CHROME",
            List.of("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
                    "/snap/bin/chromium",
                    "/Applications/Chromium.app/Contents/MacOS/Chromium",
                    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"),
            HOW_TO_INSTALL);

    /** The driver: Debian's chromedriver, else chromedriver on the PATH or in Ubuntu's Chromium snap. */
    static final ExternalProgram CHROMEDRIVER = new ExternalProgram("chromedriver",
            "breaker.test.chromedriver", "BREAKER_TEST_CHROMEDRIVER",
            List.of("/usr/bin/chromedriver", "chromedriver", "/snap/bin/chromium.chromedriver"),
            HOW_TO_INSTALL);

    private final ChromeDriverService service;

    private final ChromeDriver driver;

    private HeadlessChromium(ChromeDriverService service, ChromeDriver driver) {
        this.service = service;
        this.driver = driver;
    }

    /**
     * Starts a browser with a fresh profile in {@code profile}.
     *
     * @throws AssertionError when the browser or its driver is not found, saying how to install or point to them
     */
    static HeadlessChromium start(Path profile) {
        Path chrome = CHROME.locate();
        Path chromedriver = CHROMEDRIVER.locate();
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chrome.toFile());
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

    /**
     * Saves what the browser shows to {@code target/screenshots/<name>.png}, for a person to look at.
     *
     * @return the file
     */
    Path screenshot(String name) {
        Path file = Path.of("target", "screenshots", name + ".png");
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the screenshot " + file, e);
        }
        return file;
    }

    /**
     * Saves what {@code element} shows to {@code target/screenshots/<name>.png}, for a person to look at.
     *
     * @return the file
     */
    Path screenshot(String name, WebElement element) {
        Path file = Path.of("target", "screenshots", name + ".png");
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, element.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the screenshot " + file, e);
        }
        return file;
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
