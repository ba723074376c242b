package dev.breaker.benchmarks;

import dev.breaker.Breaker;
import dev.breaker.BreakerConfig;
import dev.breaker.CircuitState;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Flat in window size: our protocol with every tenth call failing (CLOSED throughout) for count windows of 10,
 * 1,000 and 100,000 calls and time windows of 10 s in 10 buckets, 1 h in 60 and 1 h in 600. The per-call cost
 * should not depend on the size: within 20 % from the cheapest to the dearest.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class WindowSizes {

    @Benchmark
    public @Nullable Object protocol_breaker(Sized sized, Calls call) {
        return Protocols.breakerFailing(sized.breaker, call.failingEveryTenth);
    }

    /** The breaker of one window size. */
    @State(Scope.Benchmark)
    public static class Sized {

        /** {@code count-N}: the last N calls; {@code time-S-B}: the last S (10s, 1h) in B buckets. */
        @Param({"count-10", "count-1000", "count-100000", "time-10s-10", "time-1h-60", "time-1h-600"})
        public String window;

        public Breaker breaker;

        @Setup(Level.Trial)
        public void create() {
            breaker = Breaker.of(window, config(window));
        }

        static BreakerConfig config(String window) {
            String[] parts = window.split("-");
            BreakerConfig.Builder builder = Fixtures.breaker();
            if (parts[0].equals("count")) {
                int size = Integer.parseInt(parts[1]);
                return builder.countWindow(size).minimumCalls(Math.min(size, Fixtures.MINIMUM_CALLS)).build();
            }
            Duration size = Duration.parse("PT" + parts[1].toUpperCase(Locale.ROOT));
            return builder.timeWindow(size, Integer.parseInt(parts[2])).build();
        }

        @TearDown(Level.Trial)
        public void requireClosed() {
            Fixtures.require(breaker.state() == CircuitState.CLOSED, breaker + " left CLOSED: " + breaker.metrics());
        }
    }
}
