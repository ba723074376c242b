package dev.breaker.benchmarks.report;

import dev.breaker.benchmarks.Flapping;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes the Markdown report of a benchmark run from JMH's JSON result files (and the footprint figures of
 * {@link dev.breaker.benchmarks.Footprint}): the machine, one table per benchmark class with each result's time,
 * allocation and ratio to the matching Resilience4j benchmark of the same run, and the targets, checked.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.breaker.benchmarks.report.ReportWriter \
 *     --out benchmarks/target/BENCHMARKS.md [--footprint footprint.tsv] [--command "..."] [--note "..."]... \
 *     results-1-thread.json results-2-threads.json
 * </pre>
 */
public final class ReportWriter {

    /*
     * Implementation notes.
     *
     * Benchmarks are named style_library within a class per scenario (helper_breaker, helper_resilience4j...):
     * the Resilience4j counterpart of a row is the row of the same class, style, JMH parameters (the case: a
     * failure share, a window size) and thread count whose library is "resilience4j" (so every success_* row of
     * AnnotatedSuccess, variants and floors included, is divided by success_resilience4j); the Failsafe
     * counterpart likewise. An allocation under half a byte per operation is reported as 0: JMH's
     * gc.alloc.rate.norm of code that allocates nothing is noise of the order of 0.001 B/op.
     */

    private static final String REFERENCE_LIBRARY = "resilience4j";
    private static final double ZERO_BYTES = 0.5;
    private static final List<String> LIBRARY_ORDER = List.of("bare", "noopInterceptor", "noopAround", "breaker",
            "breakerWithFallback", "breakerMetrics", "breakerCallDuration", "breakerClusterOn", "resilience4j",
            "resilience4jWithFallback", "resilience4jLockFree", "resilience4jStackless", "failsafe", "sentinel");
    private static final Map<String, String> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put("Baseline", "The floors: the protected supplier called bare, and two `System.nanoTime()` reads.");
        GROUPS.put("ClosedSuccessCountWindow", "CLOSED, every call succeeds, count window of 100. `helper`: the "
                + "library's execution helper; `protocol`: acquire permission, call, record the success.");
        GROUPS.put("ClosedSuccessTimeWindow", "CLOSED, every call succeeds, time window of 10 s. Sentinel: "
                + "`SphU.entry`, call, `Entry.exit`.");
        GROUPS.put("ClosedFailuresCountWindow", "CLOSED, 10, 30 or 49 % of each thread's calls fail, spread evenly "
                + "(threshold 50 %: the breakers stay CLOSED, checked after each benchmark), count window of 100. "
                + "With 2 threads, 10 and 30 % only: two threads sharing a window of 100 can put 50 failures in it at "
                + "49 %, which opens it.");
        GROUPS.put("ClosedFailuresTimeWindow", "As ClosedFailuresCountWindow, time window of 10 s. Sentinel: 10 and "
                + "30 % only (its statistic interval restarts empty every 10 s, and the first 21 calls of an interval "
                + "can hold 11 failures at 49 %, which opens it).");
        GROUPS.put("WindowSizes", "Flat in window size: our protocol, every tenth call failing, for count windows of "
                + "10, 1,000 and 100,000 calls and time windows of 10 s in 10 buckets, 1 h in 60 and 1 h in 600. "
                + "The targets compare the sizes of one kind of window: a time window reads the coarse clock and "
                + "finds its bucket whatever its size.");
        GROUPS.put("Flapping", "One operation is a whole cycle CLOSED -> OPEN -> HALF_OPEN -> CLOSED through the "
                + "protocol: 20 failed calls (OPEN), one call refused, the clock moved just past the 1 s wait in open, "
                + "3 successful trial calls (HALF_OPEN, then CLOSED): " + Flapping.CALLS_PER_CYCLE + " calls. Time "
                + "moves only when the benchmark moves it: ours reads a manual `Ticker`, Resilience4j a manual "
                + "`java.time.Clock` (`CircuitBreakerConfig.Builder.clock`, automatic transition off, so that asking "
                + "for permission moves it to HALF_OPEN as ours does). Per call: the time ÷ "
                + Flapping.CALLS_PER_CYCLE + " (in the targets).");
        GROUPS.put("OpenRejection", "OPEN (opened by failures): `reject`: asking for permission, answered no; "
                + "`throw`: the execution helper throwing the library's rejection exception, caught and returned. "
                + "`resilience4jStackless`: Resilience4j with `writableStackTraceEnabled(false)`.");
        GROUPS.put("SlowCallDetection", "CLOSED, count window of 100, slow-call detection on (threshold 1 s): "
                + "every call timed with two clock reads; compare with `Baseline.nanoTimeTwice`.");
        GROUPS.put("ClusterHotPath", "Cluster coordination on and off: `breaker`, a breaker alone; "
                + "`breakerClusterOn`, the same in a registry with a `RedisCluster` (share-open) connected to a local "
                + "redis-server. `protocol`: CLOSED, every call succeeds, count window of 100; `reject`: OPEN, asking "
                + "for permission. A call does the same work either way (the cluster's probe gate is asked only "
                + "once an OPEN breaker's wait is over); what differs is the Redis client's and the cluster's threads "
                + "running beside it on the same cores.");
        GROUPS.put("AdaptiveFeatures", "What each adaptive feature costs a call when on, against the same breaker "
                + "with it off (`_off`): CLOSED, every call succeeds, count window of 100. `helper`: `get`, which "
                + "applies a timeout itself (two clock reads; an adaptive timeout, here between 1 s and 10 s, also "
                + "records the duration and reads the coarse clock for its limit; a baseline learns latency by "
                + "default, so the helper times its calls too); `protocol`: `tryAcquire`, call, `onSuccess(0)`; "
                + "`limit`: `timeoutNanos()`, what an integration reads per call.");
        GROUPS.put("RegistryCreation", "Creating 10,000 breakers (count window of 100) in a fresh registry, one "
                + "shot per iteration (the memory targets' creation time).");
        GROUPS.put("AnnotatedSuccess", "CLOSED, every call succeeds, count window of 100, through the Spring proxy of "
                + "a bean method, each variant in its own Spring Boot application: `bare`, the method on an "
                + "unproxied instance; `noopInterceptor`, a no-op `MethodInterceptor` advisor (the floor of advice "
                + "built as ours is); `noopAround`, a no-op AspectJ `@Around` advice (the floor of Spring AOP); "
                + "`breaker`, our `@CircuitBreaker`, metrics off; `breakerWithFallback`, a fallback declared, never "
                + "used; `breakerMetrics`, our meters bound to a `SimpleMeterRegistry`; `breakerCallDuration`, also "
                + "`breaker.metrics.call-duration=true` (every call timed into a Micrometer timer, opt-in); "
                + "`resilience4j`, Resilience4j's `@CircuitBreaker` (Spring Boot 4 starter, no metrics). "
                + "15 warm-up and 10 measured iterations; 3 forks for `breaker`, `breakerWithFallback` and "
                + "`breakerMetrics`, which are compared with each other.");
        GROUPS.put("AnnotatedRejection", "OPEN (opened by failures), through the Spring proxy: the annotated method's "
                + "fallback answers the rejected call. `resilience4j`: its default rejection exception, with a stack "
                + "trace; `resilience4jStackless`: `writable-stack-trace-enabled=false`. 15 warm-up and 10 measured "
                + "iterations.");
    }

    /** One JMH result; {@code params} names the case of a parameterized benchmark ("30 %", "count-1000"), or "". */
    record Result(String group, String style, String library, String params, int threads, String mode, double score,
                  double error, String unit, double bytesPerOp) {

        String method() {
            return library.isEmpty() ? style : style + "_" + library;
        }

        String label() {
            return params.isEmpty() ? method() : method() + " · " + params;
        }
    }

    record Footprint(String library, String window, long standalone, long inRegistry) {
    }

    /** The heap in use, after a full GC, before and after filling one registry with {@code breakers} breakers. */
    record RegistryHeap(long breakers, long usedBefore, long usedAfter) {

        boolean fitted() {
            return usedAfter >= 0;
        }
    }

    private final List<Result> results = new ArrayList<>();
    private final List<Footprint> footprints = new ArrayList<>();
    private final List<String> paramOrder = new ArrayList<>();
    private @Nullable RegistryHeap registryHeap;
    private final Map<String, String> environment = new LinkedHashMap<>();

    private ReportWriter() {
    }

    public static void main(String[] args) throws IOException {
        Path out = null;
        Path footprintFile = null;
        String command = null;
        List<String> notes = new ArrayList<>();
        List<Path> appended = new ArrayList<>();
        List<Path> inputs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--footprint" -> footprintFile = Path.of(args[++i]);
                case "--command" -> command = args[++i];
                case "--note" -> notes.add(args[++i]);
                case "--append" -> appended.add(Path.of(args[++i]));
                default -> inputs.add(Path.of(args[i]));
            }
        }
        if (out == null || inputs.isEmpty()) {
            System.err.println("Usage: ReportWriter --out REPORT.md [--footprint FILE.tsv] [--command TEXT] "
                    + "[--note TEXT]... [--append SECTION.md]... RESULTS.json...");
            System.exit(2);
            return;
        }
        ReportWriter writer = new ReportWriter();
        for (Path input : inputs) {
            writer.readResults(input);
        }
        if (footprintFile != null && Files.exists(footprintFile)) {
            writer.readFootprint(footprintFile);
        }
        StringBuilder report = new StringBuilder(writer.render(command, notes));
        for (Path section : appended) { // sections measured apart, such as ClusterFigures', as they are
            if (Files.exists(section)) {
                report.append('\n').append(Files.readString(section, StandardCharsets.UTF_8));
            }
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
        System.out.println("Wrote " + out);
    }

    // Reading

    @SuppressWarnings("unchecked")
    private void readResults(Path file) throws IOException {
        Object parsed = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        if (!(parsed instanceof List<?> entries)) {
            throw new IllegalArgumentException(file + " is not a JMH JSON result file (an array)");
        }
        for (Object entry : entries) {
            Map<String, Object> benchmark = (Map<String, Object>) entry;
            environment.putIfAbsent("JDK", benchmark.get("jdkVersion") + " (" + benchmark.get("vmName") + " "
                    + benchmark.get("vmVersion") + ")");
            environment.putIfAbsent("JMH", String.valueOf(benchmark.get("jmhVersion")));
            environment.putIfAbsent("JVM options of the forks", String.valueOf(benchmark.get("jvmArgs")));
            String name = (String) benchmark.get("benchmark");
            String[] parts = name.split("\\.");
            String group = parts[parts.length - 2];
            String method = parts[parts.length - 1];
            int separator = method.indexOf('_');
            String style = separator < 0 ? method : method.substring(0, separator);
            String library = separator < 0 ? "" : method.substring(separator + 1);
            Map<String, Object> primary = (Map<String, Object>) benchmark.get("primaryMetric");
            Map<String, Object> secondary = (Map<String, Object>) benchmark.getOrDefault("secondaryMetrics", Map.of());
            Map<String, Object> allocation = (Map<String, Object>) secondary.get("gc.alloc.rate.norm");
            String params = params((Map<String, Object>) benchmark.getOrDefault("params", Map.of()));
            if (!paramOrder.contains(params)) {
                paramOrder.add(params);
            }
            results.add(new Result(group, style, library, params, number(benchmark.get("threads")).intValue(),
                    (String) benchmark.get("mode"), number(primary.get("score")).doubleValue(),
                    number(primary.get("scoreError")).doubleValue(), (String) primary.get("scoreUnit"),
                    allocation == null ? Double.NaN : number(allocation.get("score")).doubleValue()));
        }
    }

    /** A parameterized case as a reader says it: "30 %" for a failure share, else the parameters' values. */
    private static String params(Map<String, Object> params) {
        return params.entrySet().stream()
                .map(p -> p.getKey().equals("failurePercent") ? p.getValue() + " %" : String.valueOf(p.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static Number number(@Nullable Object value) {
        if (value instanceof Number n) {
            return n;
        }
        if (value instanceof String s) {
            return Double.valueOf(s); // JMH writes "NaN" as a string
        }
        return Double.NaN;
    }

    private void readFootprint(Path file) throws IOException {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] cells = line.split("\t");
            if (cells.length == 4 && cells[0].equals("registry-heap")) {
                registryHeap = new RegistryHeap(Long.parseLong(cells[1]), cells[2].equals("-") ? -1
                        : Long.parseLong(cells[2]), cells[3].equals("-") ? -1 : Long.parseLong(cells[3]));
            } else if (cells.length == 4) {
                footprints.add(new Footprint(cells[0], cells[1], Long.parseLong(cells[2]),
                        cells[3].equals("-") ? -1 : Long.parseLong(cells[3])));
            }
        }
    }

    // Rendering

    private String render(@Nullable String command, List<String> notes) {
        StringBuilder md = new StringBuilder();
        md.append("# Breaker benchmarks\n\n");
        md.append("- Date: ").append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern(
                "yyyy-MM-dd HH:mm 'UTC'"))).append('\n');
        md.append("- Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs (nproc), ")
                .append(cpuModel()).append('\n');
        environment.forEach((key, value) -> md.append("- ").append(key).append(": ").append(value).append('\n'));
        if (command != null) {
            md.append("- Command: `").append(command).append("`\n");
        }
        notes.forEach(note -> md.append("- ").append(note).append('\n'));
        md.append("\nTimes are JMH averages over the measurement iterations, ± the 99.9 % confidence half-width; "
                + "B/op is `gc.alloc.rate.norm` from `-prof gc` (under 0.5 B/op shown as 0). "
                + "\"÷ R4j\" divides the time by that of the same-style Resilience4j benchmark (default window) of "
                + "the same case (failure share) with the same thread count in the same run: 0.10 means a tenth of Resilience4j's time. With 2 threads "
                + "both threads share one breaker.\n\n");

        renderTargets(md);

        md.append("## Results\n\n");
        for (String group : groupOrder()) {
            List<Result> rows = results.stream().filter(r -> r.group().equals(group))
                    .sorted(Comparator.comparing(Result::style).thenComparingInt(r -> paramOrder.indexOf(r.params()))
                            .thenComparingInt(Result::threads)
                            .thenComparingInt(r -> libraryRank(r.library())))
                    .toList();
            if (rows.isEmpty()) {
                continue;
            }
            md.append("### ").append(group).append("\n\n");
            String description = GROUPS.get(group);
            if (description != null) {
                md.append(description).append("\n\n");
            }
            md.append("| benchmark | threads | time | ± error | B/op | ÷ R4j |\n");
            md.append("|---|--:|--:|--:|--:|--:|\n");
            for (Result row : rows) {
                md.append("| ").append(row.label()).append(" | ").append(row.threads()).append(" | ")
                        .append(decimal(row.score())).append(' ').append(row.unit()).append(" | ")
                        .append(decimal(row.error())).append(" | ").append(bytes(row.bytesPerOp())).append(" | ")
                        .append(reference(row).map(ref -> ratio(row.score() / ref.score())).orElse("")).append(" |\n");
            }
            md.append('\n');
        }

        if (!footprints.isEmpty()) {
            md.append("### Footprint\n\n");
            md.append("Retained heap per breaker, fresh and closed, measured by JOL's `GraphLayout` (object graphs, "
                    + "not GC timing). Standalone: the marginal size of one more breaker, without what breakers "
                    + "share (configuration, clock); in a registry: with the registry's map entry, averaged over "
                    + "1,000 breakers.\n\n");
            md.append("| library | window | bytes, standalone | bytes, in a registry |\n|---|---|--:|--:|\n");
            for (Footprint f : footprints) {
                md.append("| ").append(f.library()).append(" | ").append(f.window()).append(" | ")
                        .append(String.format(Locale.ROOT, "%,d", f.standalone())).append(" | ")
                        .append(f.inRegistry() < 0 ? "no registry"
                                : String.format(Locale.ROOT, "%,d", f.inRegistry()))
                        .append(" |\n");
            }
            md.append('\n');
        }
        if (registryHeap != null) {
            md.append(String.format(Locale.ROOT, "%,d breakers (count window of 100) in one registry, in a JVM of "
                    + "their own with `-Xmx1g` (`RegistryHeap`): ", registryHeap.breakers()));
            md.append(registryHeap.fitted() ? String.format(Locale.ROOT, "%,d MiB of heap in use after a full GC, "
                            + "%,d MiB before the registry was filled.\n\n", registryHeap.usedAfter() >> 20,
                    registryHeap.usedBefore() >> 20) : "did not fit.\n\n");
        }
        return md.toString();
    }

    private void renderTargets(StringBuilder md) {
        md.append("## Targets\n\n| target | threads | figures | verdict |\n|---|--:|---|---|\n");
        TreeSet<Integer> threadCounts = results.stream().map(Result::threads)
                .collect(Collectors.toCollection(TreeSet::new));
        for (int threads : threadCounts) {
            int limit = threads == 1 ? 5 : 8;
            for (String style : List.of("helper", "protocol")) {
                ratioTarget(md, "Success path, count window, no slow-call detection (" + style + "): at most 1/"
                        + limit + " of Resilience4j", "ClosedSuccessCountWindow", style, threads, limit);
            }
        }
        for (int threads : threadCounts) {
            allocationTarget(md, "Zero allocation, success path (ours, all success benchmarks)", threads,
                    r -> r.group().startsWith("ClosedSuccess") || r.group().equals("SlowCallDetection"));
            allocationTarget(md, "Zero allocation, failure path (ours, 10, 30 and 49 % failures, all window sizes)",
                    threads, r -> r.group().startsWith("ClosedFailures") || r.group().equals("WindowSizes"));
            allocationTarget(md, "Zero allocation, rejection path (`tryAcquire` when OPEN)", threads,
                    r -> r.group().equals("OpenRejection") && r.style().equals("reject"));
        }
        for (int threads : threadCounts) {
            ratioTarget(md, "Rejection (`tryAcquire` vs `tryAcquirePermission`): at most 1/5", "OpenRejection",
                    "reject", threads, 5);
            ratioTarget(md, "Throwing rejection (`get` vs `executeSupplier`, R4j default): at most 1/10",
                    "OpenRejection", "throw", threads, 10);
        }
        for (int threads : threadCounts) {
            peerTargets(md, threads);
        }
        for (int threads : threadCounts) {
            annotatedRejectionAllocationTarget(md, threads);
            flatnessTarget(md, threads);
            flappingPerCall(md, threads);
        }
        memoryTargets(md);
        for (int threads : threadCounts) {
            annotatedTargets(md, threads);
        }
        for (int threads : threadCounts) {
            Optional<Result> floor = find("Baseline", "nanoTimeTwice", threads);
            for (String style : List.of("helper", "protocol")) {
                Optional<Result> ours = find("SlowCallDetection", style + "_breaker", threads);
                String target = "Slow-call detection on (" + style + "): within 15 ns of `nanoTimeTwice`";
                if (floor.isEmpty() || ours.isEmpty()) {
                    continue;
                }
                double over = ours.get().score() - floor.get().score();
                md.append("| ").append(target).append(" | ").append(threads).append(" | ")
                        .append(decimal(ours.get().score())).append(" − ").append(decimal(floor.get().score()))
                        .append(" = ").append(decimal(over)).append(" ns | ").append(verdict(over <= 15))
                        .append(" |\n");
            }
        }
        md.append('\n');
    }

    /**
     * Every benchmark of ours at most 1/3 of the same benchmark of Resilience4j, and faster than Failsafe's where
     * Failsafe has it: one line per group, with the worst case and the misses.
     */
    private void peerTargets(StringBuilder md, int threads) {
        for (String group : groupOrder()) {
            List<Result> ours = results.stream().filter(r -> r.group().equals(group) && r.threads() == threads
                    && r.library().equals("breaker")).toList();
            peerTarget(md, group, threads, ours, REFERENCE_LIBRARY, "at most 1/3 of Resilience4j", ratio -> ratio <= 1.0 / 3);
            peerTarget(md, group, threads, ours, "failsafe", "faster than Failsafe", ratio -> ratio < 1);
        }
    }

    private void peerTarget(StringBuilder md, String group, int threads, List<Result> ours, String peer,
                            String target, Predicate<Double> met) {
        List<Map.Entry<Result, Double>> ratios = ours.stream()
                .flatMap(r -> counterpart(r, peer).stream().map(theirs -> Map.entry(r, r.score() / theirs.score())))
                .toList();
        if (ratios.isEmpty()) {
            return;
        }
        Map.Entry<Result, Double> worst = ratios.stream().max(Map.Entry.comparingByValue()).orElseThrow();
        List<String> misses = ratios.stream().filter(e -> !met.test(e.getValue()))
                .map(e -> e.getKey().label() + " " + ratio(e.getValue())).toList();
        md.append("| Every benchmark ").append(target).append(": ").append(group).append(" | ").append(threads)
                .append(" | ").append(ratios.size()).append(ratios.size() == 1 ? " case" : " cases")
                .append(", highest ratio ").append(ratio(worst.getValue())).append(" (").append(worst.getKey().label())
                .append(')').append(misses.isEmpty() ? "" : "; over: " + String.join(", ", misses)).append(" | ")
                .append(verdict(misses.isEmpty())).append(" |\n");
    }

    /** An annotated rejection answered by its fallback allocates no more than Spring's no-op advice does. */
    private void annotatedRejectionAllocationTarget(StringBuilder md, int threads) {
        Optional<Result> ours = find("AnnotatedRejection", "rejectedFallback_breaker", threads);
        Optional<Result> floor = find("AnnotatedSuccess", "success_noopInterceptor", threads);
        if (ours.isEmpty() || floor.isEmpty()) {
            return;
        }
        md.append("| Rejected annotated call answered by its fallback: no allocation beyond Spring's invocation "
                        + "(the no-op `MethodInterceptor` floor of AnnotatedSuccess) | ").append(threads).append(" | ")
                .append(bytes(ours.get().bytesPerOp())).append(" B/op vs ").append(bytes(floor.get().bytesPerOp()))
                .append(" B/op | ").append(verdict(ours.get().bytesPerOp() < floor.get().bytesPerOp() + ZERO_BYTES))
                .append(" |\n");
    }

    /**
     * WindowSizes: from the cheapest size to the dearest of one kind of window (count, time), at most 20 % more.
     * The kinds are not compared with each other: a time window reads a clock and finds its bucket, whatever its size.
     */
    private void flatnessTarget(StringBuilder md, int threads) {
        Map<String, List<Result>> byKind = results.stream()
                .filter(r -> r.group().equals("WindowSizes") && r.threads() == threads
                        && r.library().equals("breaker"))
                .collect(Collectors.groupingBy(r -> r.params().split("-")[0], LinkedHashMap::new,
                        Collectors.toList()));
        byKind.forEach((kind, sizes) -> {
            if (sizes.size() < 2) {
                return;
            }
            Result cheapest = sizes.stream().min(Comparator.comparingDouble(Result::score)).orElseThrow();
            Result dearest = sizes.stream().max(Comparator.comparingDouble(Result::score)).orElseThrow();
            double spread = dearest.score() / cheapest.score();
            md.append("| Flat in window size (10 % failures, ").append(kind).append(" windows): the dearest of ")
                    .append(sizes.size()).append(" sizes at most 1.20 × the cheapest | ").append(threads)
                    .append(" | ").append(dearest.params()).append(' ').append(withError(dearest)).append(" vs ")
                    .append(cheapest.params()).append(' ').append(withError(cheapest)).append(' ')
                    .append(cheapest.unit()).append(": ").append(String.format(Locale.ROOT, "%.2f ×", spread))
                    .append(" | ").append(verdict(spread <= 1.20)).append(" |\n");
        });
    }

    /** Flapping: a cycle's time per call, for information (the ratio is checked with the other groups). */
    private void flappingPerCall(StringBuilder md, int threads) {
        Optional<Result> ours = find("Flapping", "cycle_breaker", threads);
        Optional<Result> theirs = find("Flapping", "cycle_resilience4j", threads);
        if (ours.isEmpty() || theirs.isEmpty()) {
            return;
        }
        int calls = Flapping.CALLS_PER_CYCLE;
        md.append("| Flapping, per call (a cycle ÷ ").append(calls).append(" calls; for information) | ")
                .append(threads).append(" | ").append(decimal(ours.get().score() / calls)).append(" vs ")
                .append(decimal(theirs.get().score() / calls)).append(" ns, ")
                .append(bytes(ours.get().bytesPerOp() / calls)).append(" vs ")
                .append(bytes(theirs.get().bytesPerOp() / calls)).append(" B | for information |\n");
    }

    private void memoryTargets(StringBuilder md) {
        footprintTarget(md, "count", "count window of 100", 600);
        footprintTarget(md, "time", "time window of 10 s", 800);
        find("RegistryCreation", "create10k_breaker", 1).ifPresentOrElse(r -> md
                        .append("| 10,000 breakers created in a registry in under 3 ms | 1 | ")
                        .append(withError(r)).append(' ').append(r.unit()).append(" | ")
                        .append(verdict(r.unit().equals("ms/op") && r.score() < 3)).append(" |\n"),
                () -> md.append("| 10,000 breakers created in under 3 ms | | | not measured |\n"));
        if (registryHeap == null) {
            md.append("| 1,000,000 breakers in one registry fit in 1 GiB of heap | | | not measured |\n");
        } else if (!registryHeap.fitted()) {
            md.append("| ").append(String.format(Locale.ROOT, "%,d", registryHeap.breakers()))
                    .append(" breakers in one registry fit in 1 GiB of heap | | did not fit: the JVM (`-Xmx1g`) "
                            + "failed, see footprint.log | **missed** |\n");
        } else {
            long used = registryHeap.usedAfter();
            md.append("| ").append(String.format(Locale.ROOT, "%,d", registryHeap.breakers()))
                    .append(" breakers (count window of 100) in one registry fit in 1 GiB of heap | | ")
                    .append(String.format(Locale.ROOT, "%,d MiB in use after a full GC in a JVM with `-Xmx1g` "
                                    + "(%,d MiB before the registry was filled; %,d B per breaker, name included)",
                            used >> 20, registryHeap.usedBefore() >> 20,
                            (used - registryHeap.usedBefore()) / registryHeap.breakers()))
                    .append(" | ").append(verdict(used <= 1L << 30)).append(" |\n");
        }
    }

    private void footprintTarget(StringBuilder md, String windowPrefix, String window, long limit) {
        footprints.stream().filter(f -> f.library().equals("breaker") && f.window().startsWith(windowPrefix))
                .findFirst().ifPresentOrElse(f -> {
                    long worst = Math.max(f.standalone(), f.inRegistry());
                    md.append("| Footprint, ").append(window).append(": at most ").append(limit)
                            .append(" bytes per breaker | | ").append(f.standalone()).append(" B standalone, ")
                            .append(f.inRegistry()).append(" B in a registry | ").append(verdict(worst <= limit))
                            .append(" |\n");
                }, () -> md.append("| Footprint, ").append(window).append(" | | | not measured |\n"));
    }

    private List<String> groupOrder() {
        List<String> groups = new ArrayList<>(GROUPS.keySet());
        results.stream().map(Result::group).distinct().filter(g -> !groups.contains(g)).forEach(groups::add);
        return groups;
    }

    private void annotatedTargets(StringBuilder md, int threads) {
        String group = "AnnotatedSuccess";
        Optional<Result> floor = find(group, "success_noopAround", threads);
        List<Result> ours = Stream.of("success_breaker", "success_breakerWithFallback", "success_breakerMetrics")
                .map(method -> find(group, method, threads)).flatMap(Optional::stream).toList();
        if (floor.isPresent() && !ours.isEmpty()) {
            Result slowest = ours.stream().max(Comparator.comparingDouble(Result::score)).orElseThrow();
            md.append("| Annotated path, success: no slower than a no-op `@Around` advice (ours: metrics off, with a "
                    + "fallback, metrics on) | ").append(threads).append(" | ")
                    .append(ours.stream().map(r -> r.library() + " " + withError(r))
                            .collect(Collectors.joining(", ")))
                    .append(" vs noopAround ").append(withError(floor.get())).append(' ').append(floor.get().unit())
                    .append(" | ").append(verdict(slowest.score() <= floor.get().score())).append(" |\n");
        }
        ratioTarget(md, "Annotated path, success: at most 1/8 of Resilience4j's annotated path", group,
                "success_breaker", "success_resilience4j", threads, 8);
        ratioTarget(md, "Annotated path, success, fallback declared: at most 1/8 of Resilience4j's with a fallback",
                group, "success_breakerWithFallback", "success_resilience4jWithFallback", threads, 8);
        Optional<Result> plain = find(group, "success_breaker", threads);
        Optional<Result> withFallback = find(group, "success_breakerWithFallback", threads);
        if (plain.isPresent() && withFallback.isPresent()) {
            // "Costs nothing": slower by no more than the two confidence half-widths (the intervals overlap).
            double extra = withFallback.get().score() - plain.get().score();
            double noise = withFallback.get().error() + plain.get().error();
            md.append("| Declaring a fallback costs nothing on the success path (within the error) | ").append(threads)
                    .append(" | ").append(withError(withFallback.get())).append(" vs ").append(withError(plain.get()))
                    .append(' ').append(plain.get().unit()).append(": ").append(signed(extra)).append(" (error ")
                    .append(decimal(noise)).append(") | ").append(verdict(extra <= noise)).append(" |\n");
        }
        ratioTarget(md, "Rejected annotated call answered by its fallback: at most 1/10 of Resilience4j's",
                "AnnotatedRejection", "rejectedFallback_breaker", "rejectedFallback_resilience4j", threads, 10);
        if (plain.isPresent()) {
            for (String method : List.of("success_breakerMetrics", "success_breakerCallDuration")) {
                find(group, method, threads).ifPresent(on -> {
                    boolean timer = method.endsWith("CallDuration");
                    double ratio = on.score() / plain.get().score();
                    md.append("| ").append(timer
                                    ? "Metrics on and `breaker.metrics.call-duration` (opt-in timer, not the target): "
                                    + "cost over metrics off"
                                    : "Metrics on: at most 1.10 × metrics off")
                            .append(" | ").append(threads).append(" | ").append(withError(on)).append(" vs ")
                            .append(withError(plain.get())).append(' ').append(on.unit()).append(": ")
                            .append(String.format(Locale.ROOT, "%.2f ×", ratio)).append(" (").append(signed(
                                    on.score() - plain.get().score())).append(" ± ")
                            .append(decimal(on.error() + plain.get().error())).append(" ns)").append(" | ")
                            .append(timer ? "for information" : verdict(ratio <= 1.10)).append(" |\n");
                });
            }
        }
    }

    private void ratioTarget(StringBuilder md, String target, String group, String style, int threads, int limit) {
        ratioTarget(md, target, group, style + "_breaker", style + "_" + REFERENCE_LIBRARY, threads, limit);
    }

    private void ratioTarget(StringBuilder md, String target, String group, String oursMethod, String theirsMethod,
                             int threads, int limit) {
        Optional<Result> ours = find(group, oursMethod, threads);
        Optional<Result> theirs = find(group, theirsMethod, threads);
        if (ours.isEmpty() || theirs.isEmpty()) {
            return;
        }
        double ratio = ours.get().score() / theirs.get().score();
        md.append("| ").append(target).append(" | ").append(threads).append(" | ")
                .append(decimal(ours.get().score())).append(" vs ").append(decimal(theirs.get().score())).append(' ')
                .append(ours.get().unit()).append(": ").append(ratio(ratio)).append(" | ")
                .append(verdict(ratio <= 1.0 / limit)).append(" |\n");
    }

    private void allocationTarget(StringBuilder md, String target, int threads, Predicate<Result> scope) {
        List<Result> ours = results.stream()
                .filter(r -> r.threads() == threads && r.library().equals("breaker") && scope.test(r)).toList();
        if (ours.isEmpty()) {
            return;
        }
        Result worst = ours.stream().max(Comparator.comparingDouble(Result::bytesPerOp)).orElseThrow();
        md.append("| ").append(target).append(" | ").append(threads).append(" | at most ")
                .append(String.format(Locale.ROOT, "%.3f", worst.bytesPerOp())).append(" B/op over ")
                .append(ours.size()).append(" benchmarks (highest: ").append(worst.group()).append('.')
                .append(worst.method()).append(") | ")
                .append(verdict(worst.bytesPerOp() < ZERO_BYTES)).append(" |\n");
    }

    private Optional<Result> reference(Result row) {
        return counterpart(row, REFERENCE_LIBRARY);
    }

    /** The result of {@code library} in the same group, style, case and thread count as {@code row}. */
    private Optional<Result> counterpart(Result row, String library) {
        if (row.library().isEmpty()) {
            return Optional.empty();
        }
        return find(row.group(), row.style() + "_" + library, row.params(), row.threads());
    }

    /** The result of an unparameterized benchmark, or of the first case of a parameterized one. */
    private Optional<Result> find(String group, String method, int threads) {
        return results.stream()
                .filter(r -> r.group().equals(group) && r.method().equals(method) && r.threads() == threads)
                .findFirst();
    }

    private Optional<Result> find(String group, String method, String params, int threads) {
        return results.stream()
                .filter(r -> r.group().equals(group) && r.method().equals(method) && r.params().equals(params)
                        && r.threads() == threads)
                .findFirst();
    }

    private static int libraryRank(String library) {
        int rank = LIBRARY_ORDER.indexOf(library);
        return rank < 0 ? LIBRARY_ORDER.size() : rank;
    }

    private static String verdict(boolean met) {
        return met ? "met" : "**missed**";
    }

    private static String decimal(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        double magnitude = Math.abs(value);
        String pattern = magnitude >= 1000 ? "%,.0f" : magnitude >= 10 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, pattern, value);
    }

    private static String withError(Result result) {
        return decimal(result.score()) + " ± " + decimal(result.error());
    }

    private static String signed(double value) {
        return (value >= 0 ? "+" : "−") + decimal(Math.abs(value));
    }

    private static String bytes(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        return value < ZERO_BYTES ? "0" : String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String ratio(double value) {
        if (value >= 1) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return String.format(Locale.ROOT, "%.3f (1/%.1f)", value, 1 / value);
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst().orElse("CPU model unknown");
        } catch (IOException | RuntimeException e) {
            return "CPU model unknown";
        }
    }
}
