package dev.breaker.benchmarks.report;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The targets table marks each target met or missed from the run's own numbers. */
class ReportWriterTests {

    @TempDir
    Path dir;

    private final List<String> results = new ArrayList<>();

    @Test
    void peerTargets_compareEachCaseWithTheSameCaseOfThePeer() throws IOException {
        result("ClosedFailuresCountWindow.protocol_breaker", 1, "10", null, 10, 0);
        result("ClosedFailuresCountWindow.protocol_resilience4j", 1, "10", null, 40, 0);
        result("ClosedFailuresCountWindow.protocol_failsafe", 1, "10", null, 50, 0);
        result("ClosedFailuresCountWindow.protocol_breaker", 1, "30", null, 20, 0);
        result("ClosedFailuresCountWindow.protocol_resilience4j", 1, "30", null, 50, 0);
        result("ClosedFailuresCountWindow.protocol_failsafe", 1, "30", null, 15, 0);

        String report = write();

        assertThat(report)
                .contains("| Every benchmark at most 1/3 of Resilience4j: ClosedFailuresCountWindow | 1 | 2 cases, "
                        + "highest ratio 0.400 (1/2.5) (protocol_breaker · 30 %); over: protocol_breaker · 30 % "
                        + "0.400 (1/2.5) | **missed** |")
                .contains("| Every benchmark faster than Failsafe: ClosedFailuresCountWindow | 1 | 2 cases, highest "
                        + "ratio 1.33 (protocol_breaker · 30 %); over: protocol_breaker · 30 % 1.33 | **missed** |")
                .contains("| protocol_breaker · 10 % | 1 | 10.0 ns/op | 0.10 | 0 | 0.250 (1/4.0) |");
    }

    @Test
    void flatness_comparesTheSizesOfOneKindOfWindow_withinTwentyPercent() throws IOException {
        result("WindowSizes.protocol_breaker", 1, null, "count-10", 10.0, 0);
        result("WindowSizes.protocol_breaker", 1, null, "count-100000", 11.9, 0);
        result("WindowSizes.protocol_breaker", 1, null, "time-10s-10", 16.0, 0);
        result("WindowSizes.protocol_breaker", 1, null, "time-1h-600", 20.0, 0);

        assertThat(write())
                .contains("| Flat in window size (10 % failures, count windows): the dearest of 2 sizes at most 1.20 × "
                        + "the cheapest | 1 | count-100000 11.9 ± 0.10 vs count-10 10.0 ± 0.10 ns/op: 1.19 × | met |")
                .contains("| Flat in window size (10 % failures, time windows): the dearest of 2 sizes at most 1.20 × "
                        + "the cheapest | 1 | time-1h-600 20.0 ± 0.10 vs time-10s-10 16.0 ± 0.10 ns/op: 1.25 × | "
                        + "**missed** |");
    }

    @Test
    void annotatedRejection_allocatingBeyondTheFloor_isMissed() throws IOException {
        result("AnnotatedSuccess.success_noopInterceptor", 1, null, null, 5, 24);
        result("AnnotatedRejection.rejectedFallback_breaker", 1, null, null, 20, 48);

        assertThat(write()).contains("(the no-op `MethodInterceptor` floor of AnnotatedSuccess) | 1 | 48 B/op vs 24 B/op "
                + "| **missed** |");
    }

    @Test
    void memoryTargets_comeFromTheFootprintFile() throws IOException {
        result("RegistryCreation.create10k_breaker", 1, null, null, 2.5, 0);
        Path footprint = dir.resolve("footprint.tsv");
        Files.writeString(footprint, "breaker\tcount 100\t512\t552\nbreaker\ttime 10 s\t664\t804\n"
                + "registry-heap\t1000000\t3000000\t561000000\n");

        String report = write("--footprint", footprint.toString());

        assertThat(report)
                .contains("| Footprint, count window of 100: at most 600 bytes per breaker | | 512 B standalone, 552 B "
                        + "in a registry | met |")
                .contains("| Footprint, time window of 10 s: at most 800 bytes per breaker | | 664 B standalone, 804 B "
                        + "in a registry | **missed** |")
                .contains("| 10,000 breakers created in a registry in under 3 ms | 1 | 2.50 ± 0.10 ms/op | met |")
                .contains("| 1,000,000 breakers (count window of 100) in one registry fit in 1 GiB of heap | | 535 MiB")
                .containsPattern("535 MiB[^|]*\\| met \\|");
    }

    @Test
    void aRegistryThatDidNotFit_isMissed() throws IOException {
        result("Baseline.bareCall", 1, null, null, 1, 0);
        Path footprint = dir.resolve("footprint.tsv");
        Files.writeString(footprint, "registry-heap\t1000000\t-\t-\n");

        assertThat(write("--footprint", footprint.toString()))
                .contains("breakers in one registry fit in 1 GiB of heap | | did not fit");
    }

    private void result(String benchmark, int threads, @Nullable String failurePercent, @Nullable String window,
                        double score, double bytes) {
        String params = failurePercent != null ? "\"params\": {\"failurePercent\": \"" + failurePercent + "\"},"
                : window != null ? "\"params\": {\"window\": \"" + window + "\"}," : "";
        String unit = benchmark.startsWith("RegistryCreation") ? "ms/op" : "ns/op";
        results.add(String.format(Locale.ROOT, """
                {"jmhVersion": "1.37", "benchmark": "dev.breaker.benchmarks.%s", "mode": "avgt", "threads": %d,
                 "forks": 1, "jvmArgs": [], "jdkVersion": "17", "vmName": "VM", "vmVersion": "1", %s
                 "primaryMetric": {"score": %s, "scoreError": 0.1, "scoreUnit": "%s"},
                 "secondaryMetrics": {"gc.alloc.rate.norm": {"score": %s, "scoreError": 0, "scoreUnit": "B/op"}}}
                """, benchmark, threads, params, score, unit, bytes));
    }

    private String write(String... extra) throws IOException {
        Path json = dir.resolve("results.json");
        Files.writeString(json, "[" + String.join(",", results) + "]", StandardCharsets.UTF_8);
        Path out = dir.resolve("BENCHMARKS.md");
        List<String> args = new ArrayList<>(List.of("--out", out.toString()));
        args.addAll(List.of(extra));
        args.add(json.toString());
        ReportWriter.main(args.toArray(String[]::new));
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
