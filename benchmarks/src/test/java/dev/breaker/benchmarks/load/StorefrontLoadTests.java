package dev.breaker.benchmarks.load;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StorefrontLoadTests {

    private static final List<String> LINES = List.of(
            "starter\thealthy\t1000\t1000\t2000000\t9000000\t20000000\t200:1000",
            "starter\toutage\t500\t500\t1000000\t5000000\t2100000000\t200:500",
            "starter\trecovery\t42500000000\t[...]",
            "breaker.enabled=false\thealthy\t1000\t1000\t1500000\t8000000\t15000000\t200:1000",
            "breaker.enabled=false\toutage\t40\t38\t2010000000\t2100000000\t30000000000\t502:38 none:2");

    @Test
    void summary_comparesTheRunsPhaseByPhase() {
        String summary = StorefrontLoad.summary(LINES);

        assertThat(summary)
                .contains("| starter | healthy | 1,000 | 1,000 | 2.00 ms | 9.00 ms | 20 ms | 200:1000 |")
                .contains("added latency per request (two protected calls): p50 +0.50 ms, p99 +1.00 ms")
                .contains("p50 1.00 ms, p99 5.00 ms with the inventory breaker OPEN")
                .contains("p50 2,010 ms, p99 2,100 ms with `breaker.enabled=false`")
                .contains("Recovery: from the chaos turned off to every breaker CLOSED, under the same load: 42.5 s");
    }

    @Test
    void summary_saysSoWhenARequestWentUnanswered() {
        assertThat(StorefrontLoad.summary(LINES)).contains("none without an answer within 30 s): **no**");
        assertThat(StorefrontLoad.summary(LINES.subList(0, 4))).contains("none without an answer within 30 s): yes");
    }

    @Test
    void summary_saysSoWhenTheBreakersDidNotCloseInTime() {
        assertThat(StorefrontLoad.summary(List.of("starter\trecovery\t-\t[...]")))
                .contains("under the same load: **not within the limit**");
    }
}
