package dev.breaker.benchmarks;

import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * CLOSED, every call succeeds, count window of 100, slow-call detection on (threshold 1 s, never reached): each
 * call is timed with two clock reads. Compare with {@link Baseline#nanoTimeTwice()} from the same run. The
 * {@code protocol_*} methods read {@link System#nanoTime()} themselves and pass the real duration.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class SlowCallDetection {

    @Benchmark
    public String helper_breaker(BreakerState breakers, Calls call) {
        return breakers.countWindowWithSlowCalls.get(call.succeeding);
    }

    @Benchmark
    public @Nullable String protocol_breaker(BreakerState breakers, Calls call) {
        return Protocols.breakerTimed(breakers.countWindowWithSlowCalls, call);
    }

    @Benchmark
    public String helper_resilience4j(Resilience4jState breakers, Calls call) {
        return breakers.countWindowWithSlowCalls.executeSupplier(call.succeeding);
    }

    @Benchmark
    public @Nullable String protocol_resilience4j(Resilience4jState breakers, Calls call) {
        return Protocols.resilience4jTimed(breakers.countWindowWithSlowCalls, call);
    }
}
