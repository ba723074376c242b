package dev.breaker.benchmarks.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The slow-reviews scenario as a closed-loop load: {@code clients} threads each send
 * {@code GET /products/1/reviews} to a running storefront, one request after the other, until {@code requests}
 * have been sent or {@code duration} has passed; requests in flight then finish (each bounded by a 60 s client
 * timeout). Before the run it warms the application up with fast reviews, then makes the reviews service answer
 * in {@code latency-ms} and resets the breaker.
 *
 * <p>Prints one Markdown table row: latency percentiles of all answers, and the answers by kind (a live answer, the
 * fallback's, a 503 with or without {@code Retry-After}, another status, no answer), then the breaker's state and
 * counts during the run from {@code /actuator/breakers/reviews} (the calls it saw may exceed the requests sent when
 * the HTTP client sends a request again on a connection the server closed). {@code --header true} prints the table's
 * header instead.
 *
 * <pre>
 * java -cp benchmarks.jar dev.breaker.benchmarks.load.ReviewsLoad --base-url http://localhost:8080 \
 *     --admin-password secret --clients 100 --requests 20000 --duration 60s --latency-ms 1500 --label "1 s timeout"
 * </pre>
 */
public final class ReviewsLoad {

    private static final String PATH = "/products/1/reviews";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final int WARM_UP_REQUESTS = 1_000;
    /**
     * Fewer than the storefront's 8 task-executor threads: a cold application's first calls queueing for them
     * would time out, and open the breaker before the run.
     */
    private static final int WARM_UP_CLIENTS = 4;

    /** What one request came back with. */
    enum Outcome {
        LIVE("live"), FALLBACK("fallback"), UNAVAILABLE_WITH_RETRY_AFTER("503 + Retry-After"),
        UNAVAILABLE_WITHOUT_RETRY_AFTER("503, no Retry-After"), OTHER_STATUS("other status"),
        NO_ANSWER("no answer");

        final String label;

        Outcome(String label) {
            this.label = label;
        }
    }

    /** The columns of the row printed. */
    static final String HEADER = "| run | clients | requests | req/s | p50 | p99 | max | "
            + String.join(" | ", Arrays.stream(Outcome.values()).map(outcome -> outcome.label).toList())
            + " | breaker at the end | calls it saw | failures | rejected | transitions |";

    /** The requests of one run: durations in nanoseconds and outcomes, appended by many threads. */
    private static final class Results {

        private final long[] nanos;
        private final Outcome[] outcomes;
        private final AtomicInteger count = new AtomicInteger();

        Results(int capacity) {
            nanos = new long[capacity];
            outcomes = new Outcome[capacity];
        }

        void add(long took, Outcome outcome) {
            int index = count.getAndIncrement();
            nanos[index] = took;
            outcomes[index] = outcome;
        }
    }

    private final LoadClient client;

    private ReviewsLoad(String baseUrl, String adminPassword, int clients) {
        this.client = new LoadClient(baseUrl, adminPassword, clients);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = LoadClient.options(args);
        if (options.containsKey("header")) {
            System.out.println(HEADER);
            System.out.println("|---|--:|--:|--:|--:|--:|--:|" + "--:|".repeat(Outcome.values().length)
                    + "---|--:|--:|--:|--:|");
            return;
        }
        int clients = Integer.parseInt(options.getOrDefault("clients", "100"));
        int requests = Integer.parseInt(options.getOrDefault("requests", "20000"));
        Duration duration = LoadClient.duration(options.getOrDefault("duration", "60s"));
        long latencyMs = Long.parseLong(options.getOrDefault("latency-ms", "1500"));
        String label = options.getOrDefault("label", "");
        ReviewsLoad load = new ReviewsLoad(options.getOrDefault("base-url", "http://localhost:8080"),
                LoadClient.require(options, "admin-password"), clients);

        load.run(WARM_UP_CLIENTS, WARM_UP_REQUESTS, Duration.ofSeconds(60));
        load.client.admin("PUT", "/chaos/reviews", "{\"latencyMs\": " + latencyMs + "}");
        load.client.admin("POST", "/actuator/breakers/reviews/reset", null);

        String before = load.client.get("/actuator/breakers/reviews");
        long started = System.nanoTime();
        Results results = load.run(clients, requests, duration);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        String after = load.client.get("/actuator/breakers/reviews");
        System.out.println(row(label, clients, results, took, before, after));
        System.exit(0);
    }

    /** Runs a closed loop of {@code clients} until {@code requests} were sent or {@code duration} passed. */
    private Results run(int clients, int requests, Duration duration) throws InterruptedException {
        Results results = new Results(requests);
        AtomicInteger sent = new AtomicInteger();
        long deadline = System.nanoTime() + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Thread client = new Thread(() -> {
                while (System.nanoTime() - deadline < 0 && sent.getAndIncrement() < requests) {
                    long start = System.nanoTime();
                    Outcome outcome = request();
                    results.add(System.nanoTime() - start, outcome);
                }
            }, "client-" + i);
            client.start();
            threads.add(client);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return results;
    }

    private Outcome request() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(client.baseUrl + PATH)).timeout(REQUEST_TIMEOUT).GET()
                .build();
        HttpResponse<String> response;
        try {
            response = client.http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return Outcome.NO_ANSWER;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.NO_ANSWER;
        }
        if (response.statusCode() == 200) {
            return response.body().contains("\"source\":\"fallback\"") ? Outcome.FALLBACK : Outcome.LIVE;
        }
        if (response.statusCode() == 503) {
            return response.headers().firstValue("Retry-After").isPresent()
                    ? Outcome.UNAVAILABLE_WITH_RETRY_AFTER : Outcome.UNAVAILABLE_WITHOUT_RETRY_AFTER;
        }
        return Outcome.OTHER_STATUS;
    }

    /** The result as one Markdown table row, whose columns {@link #HEADER} names. */
    private static String row(String label, int clients, Results results, Duration took, String before,
                              String after) {
        int count = results.count.get();
        long[] sorted = Arrays.copyOf(results.nanos, count);
        Arrays.sort(sorted);
        Map<Outcome, Integer> outcomes = new LinkedHashMap<>();
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, 0);
        }
        for (int i = 0; i < count; i++) {
            outcomes.merge(results.outcomes[i], 1, Integer::sum);
        }
        StringBuilder row = new StringBuilder();
        row.append(String.format(Locale.ROOT, "| %s | %d | %,d | %.1f | %s | %s | %s |", label, clients, count,
                count / (took.toNanos() / 1e9), seconds(LoadClient.percentile(sorted, 50)), seconds(LoadClient.percentile(sorted, 99)),
                seconds(count == 0 ? 0 : sorted[count - 1])));
        outcomes.values().forEach(n -> row.append(String.format(Locale.ROOT, " %,d |", n)));
        row.append(String.format(Locale.ROOT, " %s | %,d | %,d | %,d | %,d |", field(after, "state"),
                delta(before, after, "totalCalls"), delta(before, after, "totalFailures"),
                delta(before, after, "notPermittedCalls"), delta(before, after, "stateTransitions")));
        return row.toString();
    }

    private static String seconds(long nanos) {
        double seconds = nanos / 1e9;
        return seconds < 1 ? String.format(Locale.ROOT, "%.0f ms", seconds * 1000)
                : String.format(Locale.ROOT, "%.1f s", seconds);
    }

    /** How much a count of the breaker's descriptor grew during the run. */
    private static long delta(String before, String after, String name) {
        return Long.parseLong(field(after, name)) - Long.parseLong(field(before, name));
    }

    private static String field(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\":\"?([^,\"}]*)").matcher(json);
        return matcher.find() ? matcher.group(1) : "?";
    }

}
