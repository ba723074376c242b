package dev.breaker.sample;

import com.jayway.jsonpath.JsonPath;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real artifact, {@code java -jar target/sample-app.jar}, running as a child process on a free port, with its log
 * kept: what the packaged-jar tests start and talk to over HTTP.
 */
final class RunningJar implements AutoCloseable {

    private static final Duration STARTUP_DEADLINE = Duration.ofSeconds(90);
    private static final Pattern STARTED = Pattern.compile("Tomcat started on port (\\d+)");

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Process process;
    private volatile boolean stopping;
    private final int port;

    /**
     * Starts the jar with {@code arguments} and {@code environment}, and waits until it serves HTTP and its health is
     * UP.
     */
    RunningJar(Map<String, String> environment, String... arguments) throws IOException {
        Path jar = Path.of(System.getProperty("sample.jar", "target/sample-app.jar"));
        assertThat(jar).as("the packaged application (run `mvn package` first)").isRegularFile();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-jar", jar.toString(), "--server.port=0"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        process = builder.start();
        Thread reader = new Thread(this::readLog, "sample-app log");
        reader.setDaemon(true);
        reader.start();
        port = awaitPort();
    }

    HttpCalls http() {
        return new HttpCalls(port);
    }

    List<String> log() {
        return log;
    }

    /** Waits for {@code /actuator/health} to answer UP, and answers it. */
    HttpResponse<String> awaitHealthUp() {
        HttpCalls http = http();
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

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void readLog() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
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
        AtomicInteger found = new AtomicInteger();
        await("'Tomcat started on port' in the application's log").atMost(STARTUP_DEADLINE)
                .pollInterval(Duration.ofMillis(200))
                .failFast("the application exited:\n" + String.join("\n", log), () -> !process.isAlive())
                .until(() -> log.stream().map(STARTED::matcher).filter(Matcher::find).findFirst()
                        .map(started -> {
                            found.set(Integer.parseInt(started.group(1)));
                            return true;
                        }).orElse(false));
        return found.get();
    }
}
