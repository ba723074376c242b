package dev.breaker.sample;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Starts the real artifact, {@code java -jar target/sample-app.jar}, as a child process and talks to it: run by
 * failsafe after {@code package}. The admin password comes from the environment, as in production.
 */
class PackagedJarIT {

    private static final Duration STARTUP_DEADLINE = Duration.ofSeconds(60);
    private static final Pattern STARTED = Pattern.compile("Tomcat started on port (\\d+)");
    private static final String PASSWORD = "from-the-environment";

    private final List<String> log = new CopyOnWriteArrayList<>();
    private Process app;
    private volatile boolean stopping;

    @Test
    void thePackagedJarStartsAnswersHealthUpAndTakesTheAdminPasswordFromTheEnvironment() throws Exception {
        Path jar = Path.of(System.getProperty("sample.jar", "target/sample-app.jar"));
        assertThat(jar).as("the packaged application (run `mvn package` first)").isRegularFile();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder command = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "--server.port=0")
                .redirectErrorStream(true);
        command.environment().put("BREAKER_ADMIN_PASSWORD", PASSWORD);
        app = command.start();
        Thread reader = new Thread(this::readLog, "sample-app log");
        reader.setDaemon(true);
        reader.start();

        int port = awaitPort();
        HttpCalls http = new HttpCalls(port);
        HttpResponse<String> health = awaitHealthUp(http);

        assertThat((String) JsonPath.read(health.body(), "$.components.breakers.components.summary.status"))
                .isEqualTo("UP");
        assertThat(http.get("/products/1").body()).contains("\"stockSource\":\"live\"");
        String reset = "/actuator/breakers/inventory/reset";
        assertThat(http.request("POST", reset).send().statusCode()).isEqualTo(401);
        assertThat(http.request("POST", reset).basicAuth("admin", PASSWORD).send().statusCode()).isEqualTo(200);
        assertThat(http.get("/breakers").body()).contains("<title>Circuit breakers</title>");
        assertThat(log).noneMatch(line -> line.contains("No admin password is configured"));
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (app != null) {
            stopping = true;
            app.destroy();
            if (!app.waitFor(20, TimeUnit.SECONDS)) {
                app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private void readLog() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                log.add(line);
            }
        } catch (IOException e) {
            if (!stopping) {
                throw new UncheckedIOException(e);
            }
            // Process.destroy() closes the output this thread reads: the log is complete.
        }
    }

    private int awaitPort() {
        AtomicInteger port = new AtomicInteger();
        await("'Tomcat started on port' in the application's log").atMost(STARTUP_DEADLINE)
                .pollInterval(Duration.ofMillis(200))
                .failFast("the application exited:\n" + String.join("\n", log), () -> !app.isAlive())
                .until(() -> log.stream().map(STARTED::matcher).filter(Matcher::find).findFirst()
                        .map(started -> {
                            port.set(Integer.parseInt(started.group(1)));
                            return true;
                        }).orElse(false));
        return port.get();
    }

    private HttpResponse<String> awaitHealthUp(HttpCalls http) {
        AtomicReference<HttpResponse<String>> health = new AtomicReference<>();
        await("/actuator/health UP").atMost(STARTUP_DEADLINE).pollInterval(Duration.ofMillis(200))
                .ignoreException(UncheckedIOException.class) // the port is bound a moment before requests are served
                .until(() -> {
                    HttpResponse<String> answer = http.get("/actuator/health");
                    health.set(answer);
                    return answer.statusCode() == 200 && "UP".equals(JsonPath.read(answer.body(), "$.status"));
                });
        return health.get();
    }
}
