package dev.breaker.spring.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Without Prometheus the tests that need it fail, never skip, and say how to get it. */
class PrometheusServerTests {

    @Test
    void withoutPrometheus_theTestsSayHowToInstallIt_andHowToPointThemAtIt() {
        assertThat(PrometheusServer.PROMETHEUS.notFoundMessage())
                .contains("sudo apt-get install prometheus", "./test.sh", "brew install prometheus",
                        "-Dbreaker.test.prometheus=", "BREAKER_TEST_PROMETHEUS");
        assertThat(PrometheusServer.PROMTOOL.notFoundMessage())
                .contains("sudo apt-get install prometheus", "-Dbreaker.test.promtool=", "BREAKER_TEST_PROMTOOL");
    }
}
