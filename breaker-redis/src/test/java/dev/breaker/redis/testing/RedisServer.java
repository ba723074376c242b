package dev.breaker.redis.testing;

import dev.breaker.testing.ExternalProgram;
import dev.breaker.testing.ServerProcesses;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A real {@code redis-server} on a free loopback port, for the tests: one per test class as a JUnit extension
 * ({@code @RegisterExtension static final RedisServer redis = new RedisServer();}), started before the class's tests
 * and killed after them. No persistence ({@code --save '' --appendonly no}). The tests can stop it and start it again
 * on the same port, or freeze it ({@code SIGSTOP}) and thaw it, to see what the cluster does when Redis is gone.
 *
 * <p>The program is found as {@link ExternalProgram} says: {@code -Dbreaker.test.redis-server=...},
 * {@code BREAKER_TEST_REDIS_SERVER}, or {@code redis-server} on the {@code PATH}; {@code ./test.sh} installs Debian's
 * package when it is missing.
 */
public final class RedisServer implements BeforeAllCallback, AfterAllCallback {

    /** Where the tests find redis-server. */
    public static final ExternalProgram PROGRAM = new ExternalProgram("redis-server",
            "breaker.test.redis-server", "BREAKER_TEST_REDIS_SERVER",
            List.of("redis-server", "/usr/bin/redis-server", "/usr/local/bin/redis-server",
                    "/opt/homebrew/bin/redis-server"),
            """
            Install Redis:
              Debian, Ubuntu:  sudo apt-get install redis-server   (./test.sh does this when it is missing)
              macOS:           brew install redis""");

    private static final Duration READY_DEADLINE = Duration.ofSeconds(15);

    private int port;
    private Process process;
    private volatile boolean paused;

    /** Starts the server on a free loopback port; a no-op while it runs. */
    public synchronized RedisServer start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        if (port == 0) {
            port = ServerProcesses.freeLoopbackPort();
        }
        Path program = PROGRAM.locate();
        try {
            process = new ProcessBuilder(program.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + program, e);
        }
        awaitReady();
        return this;
    }

    /** Kills the server; {@link #start()} starts it again on the same port, empty. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        if (paused) {
            process.destroyForcibly(); // a frozen process would only handle SIGTERM once thawed
            paused = false;
        }
        ServerProcesses.stop(process);
        process = null;
    }

    /** Freezes the server with {@code SIGSTOP}: connections stay open, nothing answers. */
    public void pause() {
        signal("STOP");
        paused = true;
    }

    /** Thaws a server {@linkplain #pause() frozen}, with {@code SIGCONT}. */
    public void resume() {
        signal("CONT");
        paused = false;
    }

    private synchronized void signal(String signal) {
        if (process == null) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The port it listens on, on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /**
     * Sends one command (its arguments, as redis-cli takes them) and answers its reply as text: a status, an error
     * ({@code -ERR ...}), a number, a bulk string ({@code null} for none) or the elements of an array, one per line.
     */
    public String command(String... arguments) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            StringBuilder request = new StringBuilder("*").append(arguments.length).append("\r\n");
            for (String argument : arguments) {
                byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
                request.append('$').append(bytes.length).append("\r\n").append(argument).append("\r\n");
            }
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return reply(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server on port " + port + " did not answer " + List.of(arguments), e);
        }
    }

    /** The fields of {@code INFO sections...}, such as {@code stats} or {@code commandstats}, read at one moment. */
    public Map<String, String> info(String... sections) {
        String[] command = new String[sections.length + 1];
        command[0] = "INFO";
        System.arraycopy(sections, 0, command, 1, sections.length);
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : command(command).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                fields.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return fields;
    }

    private static String reply(InputStream in) throws IOException {
        String line = readLine(in);
        char kind = line.charAt(0);
        String rest = line.substring(1);
        switch (kind) {
            case '+', ':' -> {
                return rest;
            }
            case '-' -> {
                return line;
            }
            case '$' -> {
                int length = Integer.parseInt(rest);
                if (length < 0) {
                    return "null";
                }
                byte[] bytes = in.readNBytes(length + 2);
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int count = Integer.parseInt(rest);
                List<String> elements = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    elements.add(reply(in));
                }
                return String.join("\n", elements);
            }
            default -> throw new IOException("Unexpected reply: " + line);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                in.read();
                return line.toString();
            }
            line.append((char) c);
        }
        throw new IOException("The connection closed mid-reply");
    }

    private void awaitReady() {
        try {
            await("redis-server answering PING on port " + port).atMost(READY_DEADLINE)
                    .pollInterval(Duration.ofMillis(20))
                    .failFast("redis-server exited at once; is port " + port + " taken?", () -> !process.isAlive())
                    .ignoreExceptions()
                    .until(() -> command("PING").equals("PONG"));
        } catch (RuntimeException | AssertionError e) {
            stop();
            throw e;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }
}
