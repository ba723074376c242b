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
 * CLOSED, every call succeeds, count window of 100. {@code helper_*}: the library's execution helper around the
 * supplier; {@code protocol_*}: ask for permission, call, record the success (duration 0 where one is taken).
 * The breaker is shared by all benchmark threads.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ClosedSuccessCountWindow {

    @Benchmark
    public String helper_breaker(BreakerState breakers, Calls call) {
        return breakers.countWindow.get(call.succeeding);
    }

    @Benchmark
    public @Nullable String protocol_breaker(BreakerState breakers, Calls call) {
        return Protocols.breaker(breakers.countWindow, call);
    }

    @Benchmark
    public String helper_resilience4j(Resilience4jState breakers, Calls call) {
        return breakers.countWindow.executeSupplier(call.succeeding);
    }

    @Benchmark
    public @Nullable String protocol_resilience4j(Resilience4jState breakers, Calls call) {
        return Protocols.resilience4j(breakers.countWindow, call);
    }

    @Benchmark
    public String helper_resilience4jLockFree(Resilience4jState breakers, Calls call) {
        return breakers.countWindowLockFree.executeSupplier(call.succeeding);
    }

    @Benchmark
    public @Nullable String protocol_resilience4jLockFree(Resilience4jState breakers, Calls call) {
        return Protocols.resilience4j(breakers.countWindowLockFree, call);
    }

    @Benchmark
    public String helper_failsafe(FailsafeState breakers, Calls call) {
        return breakers.countWindowExecutor.get(call.succeedingChecked);
    }

    @Benchmark
    public @Nullable String protocol_failsafe(FailsafeState breakers, Calls call) {
        return Protocols.failsafe(breakers.countWindow, call);
    }
}
