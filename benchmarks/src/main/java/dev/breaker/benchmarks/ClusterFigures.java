package dev.breaker.benchmarks;

import dev.breaker.Breaker;
import dev.breaker.BreakerConfig;
import dev.breaker.BreakerEvent;
import dev.breaker.BreakerRegistry;
import dev.breaker.CircuitState;
import dev.breaker.EventType;
import dev.breaker.TransitionReason;
import dev.breaker.redis.ClusterPolicy;
import dev.breaker.redis.ManualAction;
import dev.breaker.redis.Quorum;
import dev.breaker.redis.RedisCluster;
import dev.breaker.redis.testing.RedisServer;
import io.lettuce.core.RedisClient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static org.awaitility.Awaitility.await;

/**
 * The cluster's figures for BENCHMARKS.md, against a redis-server it starts on this machine:
 * <ol>
 * <li>how long an opening takes to reach the other instances (share-open, three instances in this JVM, each with
 * connections of its own), over many trials;</li>
 * <li>what one instance with 1,000 breakers costs Redis per second (round trips, commands including those its scripts
 * run, bytes each way), idle, busy and with failures, and what one read of the cluster's picture (the endpoint's)
 * costs.</li>
 * </ol>
 * Run: {@code java -cp benchmarks/target/benchmarks.jar dev.breaker.benchmarks.ClusterFigures [trials] [seconds]
 * [out.md]} (default 300 trials, 10 s per load, {@code benchmarks/target/cluster-figures.md}); {@code run.sh} runs it
 * and appends what it writes to the report.
 */
public final class ClusterFigures {

    private static final String NAME = "inventory";
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    private final RedisServer redis;
    private final RedisClient client;
    private final StringBuilder report = new StringBuilder();
    private long infoReadings;
    private long outOfReadings;

    private ClusterFigures(RedisServer redis) {
        this.redis = redis;
        this.client = RedisClient.create(redis.uri());
    }

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Path out = Path.of(args.length > 2 ? args[2] : "benchmarks/target/cluster-figures.md");
        RedisServer redis = new RedisServer().start();
        ClusterFigures figures = new ClusterFigures(redis);
        try {
            figures.line("## Cluster (breaker-redis)");
            figures.line("");
            figures.line("`ClusterFigures` (a program, not JMH): Redis " + redis.info("server").get("redis_version")
                    + " on this machine, publish interval "
                    + INTERVAL.toMillis() + " ms, command timeout 100 ms, " + Runtime.getRuntime().availableProcessors()
                    + " cores, load average before: " + loadAverage());
            figures.propagation(trials);
            figures.load(seconds);
        } finally {
            figures.client.shutdown();
            redis.stop();
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(out, figures.report);
        System.out.println("Written to " + out.toAbsolutePath());
    }

    private void line(String text) {
        System.out.println(text);
        report.append(text).append('\n');
    }

    private record Instance(BreakerRegistry registry, RedisCluster cluster) {
        Breaker breaker(String name) {
            return registry.breaker(name);
        }
    }

    private Instance start(String namespace, String id, BreakerConfig config, Function<String, ClusterPolicy> policies) {
        BreakerRegistry registry = BreakerRegistry.of(config);
        RedisCluster cluster = RedisCluster.builder(client).namespace(namespace).instanceId(id)
                .publishInterval(INTERVAL).policies(policies).start(registry);
        await(id + " connected").atMost(Duration.ofSeconds(30)).until(cluster::connected);
        return new Instance(registry, cluster);
    }

    // ---------------------------------------------------------------------------------------------------------

    private void propagation(int trials) {
        BreakerConfig config = BreakerConfig.builder().consecutiveFailures(1).waitInOpen(Duration.ofMinutes(10))
                .build();
        Function<String, ClusterPolicy> shareOpen = name -> ClusterPolicy.SHARE_OPEN;
        Instance a = start("propagation", "a", config, shareOpen);
        List<Instance> followers = List.of(start("propagation", "b", config, shareOpen),
                start("propagation", "c", config, shareOpen));
        AtomicLong[] openedAt = {new AtomicLong(), new AtomicLong()};
        for (int i = 0; i < followers.size(); i++) {
            AtomicLong at = openedAt[i];
            followers.get(i).breaker(NAME).addListener(EnumSet.of(EventType.STATE_TRANSITION), event -> {
                if (((BreakerEvent.StateTransition) event).reason() == TransitionReason.CLUSTER_OPENED) {
                    at.set(System.nanoTime());
                }
            });
        }
        a.breaker(NAME);
        List<Long> first = new ArrayList<>();
        List<Long> last = new ArrayList<>();
        for (int trial = 0; trial < trials + 20; trial++) {
            a.cluster().act(NAME, ManualAction.RESET, true).join();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1)).until(() ->
                    followers.stream().allMatch(f -> f.breaker(NAME).state() == CircuitState.CLOSED
                            && !f.cluster().following(NAME)) && !a.cluster().following(NAME)
                            && a.breaker(NAME).state() == CircuitState.CLOSED);
            openedAt[0].set(0);
            openedAt[1].set(0);
            Breaker breaker = a.breaker(NAME);
            long start = System.nanoTime();
            long permit = breaker.acquirePermit();
            if (!Breaker.isPermitted(permit)) {
                trial--; // an opening heard after the reset reopened it a moment: its own reset message follows
                continue;
            }
            breaker.recordFailure(permit, 0, new IOException("down"));
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofNanos(50_000))
                    .until(() -> openedAt[0].get() != 0 && openedAt[1].get() != 0);
            if (trial >= 20) { // the first ones warm up the JIT
                long one = openedAt[0].get() - start;
                long two = openedAt[1].get() - start;
                first.add(Math.min(one, two));
                last.add(Math.max(one, two));
            }
        }
        line("");
        line("### OPEN propagation (share-open, 3 instances in one JVM, each on connections of its own, " + trials
                + " trials)");
        line("");
        line("| from the opening on instance a to CLUSTER_OPENED on | p50 | p90 | p99 | max |");
        line("|---|---|---|---|---|");
        line(row("the first of b, c", first));
        line(row("both b and c", last));
        a.cluster().close();
        followers.forEach(f -> f.cluster().close());
    }

    private static String row(String label, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(null);
        return String.format(Locale.ROOT, "| %s | %.2f ms | %.2f ms | %.2f ms | %.2f ms |", label,
                percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99),
                sorted.get(sorted.size() - 1) / 1e6);
    }

    private static double percentile(List<Long> sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1e6;
    }

    // ---------------------------------------------------------------------------------------------------------

    private void load(int seconds) throws InterruptedException {
        line("");
        line("### Redis load of one instance with 1,000 breakers (" + seconds + " s each)");
        line("");
        line("| load | round trips/s | Redis commands/s (in scripts included) | bytes/s to Redis | bytes/s from Redis |");
        line("|---|---|---|---|---|");
        BreakerConfig count = BreakerConfig.builder().countWindow(100).minimumCalls(20).build();
        BreakerConfig time = BreakerConfig.builder().timeWindow(Duration.ofSeconds(10), 10).minimumCalls(20).build();
        Function<String, ClusterPolicy> shareOpen = name -> ClusterPolicy.SHARE_OPEN;
        Function<String, ClusterPolicy> quorum = name -> ClusterPolicy.quorum(Quorum.HALF, 0);
        measure("share-open, idle", "idle", count, shareOpen, 0, seconds);
        measure("share-open, every breaker called all the time (count windows, full)", "busy", count, shareOpen, 0,
                seconds);
        measure("quorum, every breaker called all the time (time windows: every report changes every tick)",
                "quorum-busy", time, quorum, 0, seconds);
        measure("quorum, as above, 100 breakers failing 20 % (each report asks for a verdict)", "quorum-failing",
                time, quorum, 100, seconds);
    }

    private void measure(String label, String namespace, BreakerConfig config, Function<String, ClusterPolicy> policies,
                         int failing, int seconds) throws InterruptedException {
        Instance instance = start(namespace, "one", config, policies);
        List<Breaker> breakers = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            breakers.add(instance.breaker("breaker-" + i));
        }
        boolean busy = !namespace.equals("idle");
        AtomicBoolean running = new AtomicBoolean(true);
        Thread caller = new Thread(() -> {
            long calls = 0;
            while (running.get() && busy) {
                for (int i = 0; i < breakers.size(); i++) {
                    Breaker breaker = breakers.get(i);
                    long permit = breaker.acquirePermit();
                    if (Breaker.isPermitted(permit)) {
                        if (i < failing && calls % 5 == 0) {
                            breaker.recordFailure(permit, 0, new IOException("down"));
                        } else {
                            breaker.recordSuccess(permit, 0);
                        }
                    }
                }
                calls++;
                Thread.onSpinWait();
            }
        }, "caller");
        caller.start();
        Thread.sleep(3000); // the first full report, and the windows filled
        Map<String, Long> before = counters();
        Thread.sleep(seconds * 1000L);
        Map<String, Long> after = counters();
        running.set(false);
        caller.join();
        line(String.format(Locale.ROOT, "| %s | %.1f | %.0f | %.0f | %.0f |", label,
                (after.get("scripts") - before.get("scripts")) / (double) seconds,
                (after.get("commands") - before.get("commands")) / (double) seconds,
                (after.get("in") - before.get("in")) / (double) seconds,
                (after.get("out") - before.get("out")) / (double) seconds));
        if (namespace.equals("busy")) {
            Map<String, Long> beforeRead = counters();
            instance.cluster().refresh().join();
            Map<String, Long> afterRead = counters();
            line(String.format(Locale.ROOT, "| one read of the cluster's picture (the endpoint's; at most one per half"
                            + " interval, whoever asks) | 1 | %d | %d | %d |",
                    afterRead.get("commands") - beforeRead.get("commands"),
                    afterRead.get("in") - beforeRead.get("in"), afterRead.get("out") - beforeRead.get("out")));
        }
        for (Breaker breaker : breakers) {
            if (breaker.state() != CircuitState.CLOSED) {
                throw new IllegalStateException(breaker + " left CLOSED: the load is not what it says");
            }
        }
        instance.cluster().close();
    }

    /**
     * Redis's lifetime counters at one moment: commands, script calls, bytes in and out, less what reading them costs
     * (one INFO command: its request and its reply, which the next reading counts).
     */
    private Map<String, Long> counters() {
        String text = redis.command("INFO", "stats", "commandstats");
        Map<String, String> info = new HashMap<>();
        for (String line : text.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                info.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        int body = text.getBytes(StandardCharsets.UTF_8).length;
        long reply = body + Integer.toString(body).length() + 5; // $<length>\r\n<body>\r\n
        long request = 44; // *3 $4 INFO $5 stats $12 commandstats, framed
        long readings = ++infoReadings;
        outOfReadings += reply;
        return Map.of("commands", Long.parseLong(info.get("total_commands_processed")) - readings,
                "in", Long.parseLong(info.get("total_net_input_bytes")) - readings * request,
                "out", Long.parseLong(info.get("total_net_output_bytes")) - (outOfReadings - reply),
                "scripts", calls(info.get("cmdstat_evalsha")) + calls(info.get("cmdstat_eval")));
    }

    private static long calls(String commandStat) {
        if (commandStat == null) {
            return 0;
        }
        String calls = commandStat.substring(commandStat.indexOf("calls=") + 6);
        return Long.parseLong(calls.substring(0, calls.indexOf(',')));
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[0];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
