package dev.breaker.spring.dashboard;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The browser tests say how to get what they need when it is missing. */
class HeadlessChromiumTests {

    @Test
    void theBrowserTestsSayHowToInstallOnDebianUbuntuAndMacOs() {
        assertThat(List.of(HeadlessChromium.CHROME.notFoundMessage(), HeadlessChromium.CHROMEDRIVER.notFoundMessage()))
                .allSatisfy(message -> assertThat(message)
                        .contains("sudo apt-get install chromium chromium-driver")
                        .contains("sudo snap install chromium")
                        .contains("brew install --cask google-chrome chromedriver"));
        assertThat(HeadlessChromium.CHROMEDRIVER.notFoundMessage())
                .contains("./test.sh -Dbreaker.test.chromedriver=/path/to/chromedriver")
                .contains("export BREAKER_TEST_CHROMEDRIVER=/path/to/chromedriver");
    }
}
