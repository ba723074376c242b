package dev.breaker.spring.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example alerting rules the starter ships beside its Grafana dashboard are valid Prometheus rules, and each
 * alert fires on a synthetic series that should raise it (and not on one that should not), as promtool (Debian's
 * {@code prometheus} package) checks and unit-tests them. {@code PrometheusDashboardTests} loads them in a real
 * Prometheus scraping the meters.
 */
class PrometheusAlertRulesTests {

    static final String RULES = "/META-INF/breaker/prometheus-alerts.yml";
    private static final String UNIT_TESTS = "/prometheus/prometheus-alerts.test.yml";
    private static final Pattern ALERT = Pattern.compile("(?m)^\\s*- alert: (\\w+)$");
    private static final Pattern TESTED = Pattern.compile("(?m)^\\s*alertname: (\\w+)\\n\\s*exp_alerts:\\n\\s*- ");

    @TempDir
    Path directory;

    @Test
    void promtoolCheckRules_findsEveryRuleValid() {
        Path rules = copy(RULES, directory);

        String output = promtool("check", "rules", rules.toString());

        assertThat(output).contains("SUCCESS: " + names(ALERT, RULES).size() + " rules found");
    }

    @Test
    void promtoolTestRules_firesEachAlertOnItsSyntheticSeries() {
        copy(RULES, directory);
        Path tests = copy(UNIT_TESTS, directory);

        String output = promtool("test", "rules", tests.toString());

        assertThat(output).contains("SUCCESS");
    }

    @Test
    void everyAlert_hasAUnitTestInWhichItFires() {
        Set<String> alerts = names(ALERT, RULES);

        assertThat(alerts).contains("BreakerOpen", "BreakerFlapping", "BreakerEmergency");
        assertThat(names(TESTED, UNIT_TESTS)).isEqualTo(alerts);
    }

    /** The first group of each match of {@code pattern} in {@code resource}. */
    private static Set<String> names(Pattern pattern, String resource) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = pattern.matcher(read(resource));
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** Runs promtool with {@code arguments} and answers its output, failing with it unless promtool succeeded. */
    static String promtool(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(PrometheusServer.PROMTOOL.locate().toString());
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
            assertThat(process.exitValue()).as("%s exited with\n%s", command, output).isZero();
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Copies a class path resource into {@code directory}, under its file name. */
    static Path copy(String resource, Path directory) {
        Path file = directory.resolve(resource.substring(resource.lastIndexOf('/') + 1));
        try {
            Files.writeString(file, read(resource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static String read(String resource) {
        try (InputStream in = PrometheusAlertRulesTests.class.getResourceAsStream(resource)) {
            assertThat(in).as("class path resource %s", resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
