package dev.breaker.benchmarks.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The end-to-end load of the packaged storefront on loopback: {@code GET /products/1} (inventory, with a fallback,
 * and pricing, without one, each a breaker) from a closed loop of {@code clients}, bounded by {@code requests} and
 * {@code duration} per phase, each request by a 30 s client timeout. Phases, after a warm-up:
 *
 * <ol>
 *   <li><b>healthy</b>: the downstreams answer at once;</li>
 *   <li><b>outage</b>: the inventory service answers after {@code outage-latency-ms} (past the storefront's 2 s read
 *   timeout, so every call of it times out). With the starter, the load first runs until the inventory breaker is
 *   OPEN, then the phase is measured; with {@code breaker.enabled=false}, every request waits for the timeout;</li>
 *   <li><b>recovery</b> (with {@code --recovery true}): the chaos is turned off while the load goes on, and the time
 *   until every breaker of {@code /actuator/breakers} is CLOSED is measured (at most {@code recovery-limit}).</li>
 * </ol>
 *
 * Appends one tab-separated line per phase to {@code --results}; {@code --summarize FILE} prints the Markdown tables
 * of such a file: per run and phase the requests sent and answered, p50, p99 and max; the starter's added latency;
 * the outage with and without breakers; the recovery time.
 *
 * <pre>
 * java -cp benchmarks.jar dev.breaker.benchmarks.load.StorefrontLoad --base-url http://127.0.0.1:8080 \
 *     --admin-password secret --label starter --clients 8 --requests 20000 --duration 15s --recovery true \
 *     --results e2e.tsv
 * java -cp benchmarks.jar dev.breaker.benchmarks.load.StorefrontLoad --summarize e2e.tsv
 * </pre>
 */
public final class StorefrontLoad {

    private static final String PATH = "/products/1";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final int WARM_UP_REQUESTS = 3_000;
    private static final int WARM_UP_CLIENTS = 4;
    private static final Duration UNTIL_OPEN = Duration.ofSeconds(60);
    /** The label of the run with the starter on; the other run is compared with it. */
    static final String STARTER = "starter";
    static final String DISABLED = "breaker.enabled=false";
    private static final Pattern STATE = Pattern.compile("\"state\":\"([A-Z_]+)\"");

    /** The requests of one phase: durations in nanoseconds and HTTP statuses (0: no answer). */
    private static final class Phase {

        final long[] nanos;
        final int[] statuses;
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger recorded = new AtomicInteger();

        Phase(int capacity) {
            nanos = new long[capacity];
            statuses = new int[capacity];
        }

        void add(long took, int status) {
            int index = recorded.getAndIncrement();
            nanos[index] = took;
            statuses[index] = status;
        }

        String line(String label, String phase) {
            int count = recorded.get();
            long[] sorted = Arrays.copyOf(nanos, count);
            Arrays.sort(sorted);
            Map<Integer, Integer> byStatus = new TreeMap<>();
            for (int i = 0; i < count; i++) {
                byStatus.merge(statuses[i], 1, Integer::sum);
            }
            int unanswered = byStatus.getOrDefault(0, 0);
            StringBuilder statusText = new StringBuilder();
            byStatus.forEach((status, n) -> statusText.append(statusText.isEmpty() ? "" : " ")
                    .append(status == 0 ? "none" : status).append(':').append(n));
            return String.join("\t", label, phase, Integer.toString(Math.min(sent.get(), nanos.length)),
                    Integer.toString(count - unanswered), Long.toString(LoadClient.percentile(sorted, 50)),
                    Long.toString(LoadClient.percentile(sorted, 99)),
                    Long.toString(count == 0 ? 0 : sorted[count - 1]), statusText.toString());
        }
    }

    private final LoadClient client;
    private final int clients;

    private StorefrontLoad(LoadClient client, int clients) {
        this.client = client;
        this.clients = clients;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = LoadClient.options(args);
        if (options.containsKey("summarize")) {
            System.out.print(summary(Files.readAllLines(Path.of(options.get("summarize")), StandardCharsets.UTF_8)));
            return;
        }
        int clients = Integer.parseInt(options.getOrDefault("clients", "8"));
        int requests = Integer.parseInt(options.getOrDefault("requests", "20000"));
        Duration duration = LoadClient.duration(options.getOrDefault("duration", "15s"));
        long outageLatencyMs = Long.parseLong(options.getOrDefault("outage-latency-ms", "3000"));
        Duration recoveryLimit = LoadClient.duration(options.getOrDefault("recovery-limit", "120s"));
        String label = options.getOrDefault("label", STARTER);
        Path results = Path.of(LoadClient.require(options, "results"));
        StorefrontLoad load = new StorefrontLoad(new LoadClient(options.getOrDefault("base-url",
                "http://127.0.0.1:8080"), LoadClient.require(options, "admin-password"), clients), clients);

        load.client.admin("DELETE", "/chaos", null);
        load.run(WARM_UP_CLIENTS, WARM_UP_REQUESTS, Duration.ofSeconds(60), () -> false);
        append(results, load.run(clients, requests, duration, () -> false).line(label, "healthy"));

        load.client.admin("PUT", "/chaos/inventory", "{\"latencyMs\": " + outageLatencyMs + "}");
        if (label.equals(STARTER)) {
            Phase opening = load.run(clients, requests, UNTIL_OPEN, () -> load.inventoryState().equals("OPEN"));
            if (!load.inventoryState().equals("OPEN")) {
                throw new IllegalStateException("The inventory breaker did not open within " + UNTIL_OPEN + " ("
                        + opening.recorded.get() + " requests): " + load.client.get("/actuator/breakers/inventory"));
            }
        }
        append(results, load.run(clients, requests, duration, () -> false).line(label, "outage"));

        if (Boolean.parseBoolean(options.getOrDefault("recovery", "false"))) {
            load.client.admin("DELETE", "/chaos", null);
            long started = System.nanoTime();
            load.run(clients, Integer.MAX_VALUE / 4, recoveryLimit, load::allClosed);
            long took = System.nanoTime() - started;
            boolean closed = load.allClosed();
            append(results, String.join("\t", label, "recovery", closed ? Long.toString(took) : "-",
                    load.client.get("/actuator/breakers").replaceAll("\\s+", " ")));
        }
        System.exit(0);
    }

    private interface Stop {
        boolean now() throws Exception;
    }

    /**
     * Runs a closed loop of {@link #clients} until {@code requests} were sent, {@code duration} passed or
     * {@code stop} (asked every 100 ms) says so; requests in flight then finish.
     */
    private Phase run(int clients, int requests, Duration duration, Stop stop) throws Exception {
        Phase phase = new Phase(Math.min(requests, 5_000_000));
        long deadline = System.nanoTime() + duration.toNanos();
        AtomicInteger stopped = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(() -> {
                while (stopped.get() == 0 && System.nanoTime() - deadline < 0
                        && phase.sent.getAndIncrement() < phase.nanos.length) {
                    long start = System.nanoTime();
                    int status = request();
                    phase.add(System.nanoTime() - start, status);
                }
            }, "client-" + i);
            thread.start();
            threads.add(thread);
        }
        while (threads.stream().anyMatch(Thread::isAlive)) {
            if (stopped.get() == 0 && stop.now()) {
                stopped.set(1);
            }
            threads.get(0).join(100);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return phase;
    }

    /** The status of one {@code GET /products/1}, 0 if it was not answered within the client timeout. */
    private int request() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(client.baseUrl + PATH)).timeout(REQUEST_TIMEOUT)
                .GET().build();
        try {
            return client.http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private String inventoryState() throws Exception {
        Matcher matcher = STATE.matcher(client.get("/actuator/breakers/inventory"));
        return matcher.find() ? matcher.group(1) : "?";
    }

    private boolean allClosed() throws Exception {
        Matcher matcher = STATE.matcher(client.get("/actuator/breakers"));
        boolean any = false;
        while (matcher.find()) {
            any = true;
            if (!matcher.group(1).equals("CLOSED")) {
                return false;
            }
        }
        return any;
    }

    private static void append(Path file, String line) throws IOException {
        Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    // The summary

    record Row(String label, String phase, int sent, int answered, long p50, long p99, long max, String statuses) {
    }

    static String summary(List<String> lines) {
        List<Row> rows = new ArrayList<>();
        Optional<String> recovery = Optional.empty();
        for (String line : lines) {
            String[] cells = line.split("\t");
            if (cells.length >= 3 && cells[1].equals("recovery")) {
                recovery = Optional.of(cells[2]);
            } else if (cells.length == 8) {
                rows.add(new Row(cells[0], cells[1], Integer.parseInt(cells[2]), Integer.parseInt(cells[3]),
                        Long.parseLong(cells[4]), Long.parseLong(cells[5]), Long.parseLong(cells[6]), cells[7]));
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("| run | phase | sent | answered | p50 | p99 | max | statuses (count) |\n")
                .append("|---|---|--:|--:|--:|--:|--:|---|\n");
        for (Row row : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %s | %s | %s | %s |%n", row.label(),
                    row.phase(), row.sent(), row.answered(), millis(row.p50()), millis(row.p99()), millis(row.max()),
                    row.statuses()));
        }
        md.append('\n');
        Optional<Row> healthyOn = find(rows, STARTER, "healthy");
        Optional<Row> healthyOff = find(rows, DISABLED, "healthy");
        if (healthyOn.isPresent() && healthyOff.isPresent()) {
            md.append(String.format(Locale.ROOT, "- Healthy: the starter's added latency per request (two protected "
                            + "calls): p50 %s, p99 %s (%s and %s with the starter, %s and %s with "
                            + "`breaker.enabled=false`).%n", signedMillis(healthyOn.get().p50() - healthyOff.get().p50()),
                    signedMillis(healthyOn.get().p99() - healthyOff.get().p99()), millis(healthyOn.get().p50()),
                    millis(healthyOn.get().p99()), millis(healthyOff.get().p50()), millis(healthyOff.get().p99())));
        }
        Optional<Row> outageOn = find(rows, STARTER, "outage");
        Optional<Row> outageOff = find(rows, DISABLED, "outage");
        if (outageOn.isPresent() && outageOff.isPresent()) {
            md.append(String.format(Locale.ROOT, "- Outage (inventory answers past the 2 s read timeout): p50 %s, "
                            + "p99 %s with the inventory breaker OPEN (its fallback answers); p50 %s, p99 %s with "
                            + "`breaker.enabled=false` (every request waits for the timeout).%n",
                    millis(outageOn.get().p50()), millis(outageOn.get().p99()), millis(outageOff.get().p50()),
                    millis(outageOff.get().p99())));
        }
        boolean allAnswered = rows.stream().allMatch(r -> r.sent() == r.answered());
        md.append("- Every request answered (sent = answered, none without an answer within 30 s): ")
                .append(allAnswered ? "yes" : "**no**").append(".\n");
        recovery.ifPresent(took -> md.append("- Recovery: from the chaos turned off to every breaker CLOSED, under "
                + "the same load: ").append(took.equals("-") ? "**not within the limit**"
                : String.format(Locale.ROOT, "%.1f s", Long.parseLong(took) / 1e9)).append(" (the inventory "
                + "breaker's remaining wait in open, its trial calls, then its 30 s recovery ramp).\n"));
        return md.toString();
    }

    private static Optional<Row> find(List<Row> rows, String label, String phase) {
        return rows.stream().filter(r -> r.label().equals(label) && r.phase().equals(phase)).findFirst();
    }

    private static String millis(long nanos) {
        double ms = nanos / 1e6;
        return ms < 10 ? String.format(Locale.ROOT, "%.2f ms", ms) : String.format(Locale.ROOT, "%,.0f ms", ms);
    }

    private static String signedMillis(long nanos) {
        return (nanos >= 0 ? "+" : "−") + millis(Math.abs(nanos));
    }
}
