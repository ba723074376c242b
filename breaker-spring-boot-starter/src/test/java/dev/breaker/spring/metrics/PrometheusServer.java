package dev.breaker.spring.metrics;

import dev.breaker.testing.ExternalProgram;
import dev.breaker.testing.ServerProcesses;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * A real Prometheus server on a free loopback port, for the tests: it scrapes its targets every two seconds (a
 * scrape that takes longer on a busy machine fails, and Prometheus marks its series stale until the next) and answers
 * PromQL through its HTTP API. Its data lives in a directory the test gives (a {@code @TempDir}); its log is there
 * too ({@code prometheus.log}), and quoted when it does not start.
 *
 * <p>The programs are found as {@link ExternalProgram} says: {@code -Dbreaker.test.prometheus=...},
 * {@code BREAKER_TEST_PROMETHEUS}, or {@code prometheus} on the {@code PATH} (promtool likewise); {@code ./test.sh}
 * installs Debian's {@code prometheus} package, which has both, when they are missing.
 */
final class PrometheusServer implements AutoCloseable {

    private static final String HOW_TO_INSTALL = """
            Install Prometheus (the server and promtool):
              Debian, Ubuntu:  sudo apt-get install prometheus   (./test.sh does this when it is missing)
              macOS:           brew install prometheus
              elsewhere:       the release archive from https://prometheus.io/download/ has both programs""";

    /** Where the tests find the Prometheus server. */
    static final ExternalProgram PROMETHEUS = new ExternalProgram("the Prometheus server", "breaker.test.prometheus",
            "BREAKER_TEST_PROMETHEUS", List.of("prometheus", "/usr/bin/prometheus", "/usr/local/bin/prometheus",
                    "/opt/homebrew/bin/prometheus"), HOW_TO_INSTALL);

    /** Where the tests find promtool, Prometheus's checker of configuration and rules. */
    static final ExternalProgram PROMTOOL = new ExternalProgram("promtool", "breaker.test.promtool",
            "BREAKER_TEST_PROMTOOL", List.of("promtool", "/usr/bin/promtool", "/usr/local/bin/promtool",
                    "/opt/homebrew/bin/promtool"), HOW_TO_INSTALL);

    /** The job name of the scraped target, its {@code job} label. */
    static final String JOB = "breaker-app";

    private static final Duration READY_DEADLINE = Duration.ofSeconds(30);

    private final Process process;
    private final URI api;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    private PrometheusServer(Process process, URI api, Path log) {
        this.process = process;
        this.api = api;
        this.log = log;
    }

    /**
     * Starts Prometheus scraping {@code http://<target><metricsPath>} of each target (each an {@code instance} of job
     * {@value #JOB}) and evaluating the alerting rules of {@code ruleFiles}, and waits until it is ready.
     *
     * @throws AssertionError when Prometheus is not installed (saying how to install it) or does not start
     */
    static PrometheusServer start(Path directory, List<String> targets, String metricsPath, List<Path> ruleFiles) {
        Path program = PROMETHEUS.locate();
        int port = ServerProcesses.freeLoopbackPort();
        Path config = directory.resolve("prometheus.yml");
        Path log = directory.resolve("prometheus.log");
        try {
            Files.writeString(config, """
                    global:
                      scrape_interval: 2s
                      scrape_timeout: 2s
                      evaluation_interval: 2s
                    rule_files: [%s]
                    scrape_configs:
                      - job_name: %s
                        metrics_path: %s
                        static_configs:
                          - targets: [%s]
                    """.formatted(quoted(ruleFiles.stream().map(Path::toString).toList()), JOB, metricsPath,
                    quoted(targets)));
            Process process = new ProcessBuilder(program.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + directory.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                    "--log.level=warn").redirectErrorStream(true).redirectOutput(log.toFile()).start();
            PrometheusServer server = new PrometheusServer(process, URI.create("http://127.0.0.1:" + port), log);
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + program, e);
        }
    }

    private static String quoted(List<String> values) {
        return values.stream().map(value -> "'" + value + "'").collect(Collectors.joining(", "));
    }

    private void awaitReady() {
        try {
            await("Prometheus ready on " + api).atMost(READY_DEADLINE).pollInterval(Duration.ofMillis(100))
                    .failFast("Prometheus exited", () -> !process.isAlive())
                    .ignoreExceptions()
                    .until(() -> get("/-/ready").statusCode() == 200);
        } catch (RuntimeException | AssertionError e) {
            close();
            throw new AssertionError("Prometheus did not start; its log:\n" + log(), e);
        }
    }

    /** Waits until Prometheus has scraped {@code targets} targets successfully ({@code up == 1}). */
    void awaitScrape(int targets, Duration atMost) {
        await("Prometheus scraping " + targets + " targets of " + JOB).atMost(atMost)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> query("up{job=\"" + JOB + "\"} == 1").size() == targets);
    }

    /** The result of an instant query now: one element per series ({@code metric} and {@code value}). */
    JsonNode query(String promql) {
        return result(post("/api/v1/query", Map.of("query", promql)), promql);
    }

    /** The result of a range query over the last {@code back}, a point every {@code step}: one element per series. */
    JsonNode queryRange(String promql, Duration back, Duration step) {
        Instant end = Instant.now();
        return result(post("/api/v1/query_range", Map.of("query", promql,
                "start", Long.toString(end.minus(back).getEpochSecond()), "end", Long.toString(end.getEpochSecond()),
                "step", step.toSeconds() + "s")), promql);
    }

    /** The values of {@code label} over the series {@code selector} selects, as Grafana's {@code label_values}. */
    List<String> labelValues(String label, String selector) {
        String path = "/api/v1/label/" + label + "/values?match[]="
                + URLEncoder.encode(selector, StandardCharsets.UTF_8);
        return result(get(path), "label_values(" + selector + ", " + label + ")").valueStream()
                .map(JsonNode::asString).toList();
    }

    private JsonNode result(HttpResponse<String> response, String query) {
        JsonNode body = json.readTree(response.body());
        if (response.statusCode() != 200 || !"success".equals(body.path("status").asString())) {
            throw new AssertionError("Prometheus rejected " + query + ": " + response.body());
        }
        JsonNode data = body.get("data");
        return data.isArray() ? data : data.get("result");
    }

    private HttpResponse<String> post(String path, Map<String, String> form) {
        String encoded = form.entrySet().stream()
                .map(field -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(api.resolve(path)).header("Content-Type",
                "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(encoded)));
    }

    private HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(api.resolve(path)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What Prometheus logged, for failure messages. */
    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        ServerProcesses.stop(process);
    }
}
