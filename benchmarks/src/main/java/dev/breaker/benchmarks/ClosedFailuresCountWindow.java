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
 * CLOSED, 10, 30 or 49 % of each thread's calls fail with a preallocated exception ({@link FailingCalls}, below the
 * 50 % threshold, so the breakers stay CLOSED; each state checks so after the run), count window of 100. Methods as in
 * {@link ClosedSuccessCountWindow}; a failure is recorded and returned.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ClosedFailuresCountWindow {

    @Benchmark
    public Object helper_breaker(BreakerState breakers, FailingCalls call) {
        try {
            return breakers.countWindow.get(call.failing);
        } catch (RuntimeException e) {
            return e;
        }
    }

    @Benchmark
    public @Nullable Object protocol_breaker(BreakerState breakers, FailingCalls call) {
        return Protocols.breakerFailing(breakers.countWindow, call.failing);
    }

    @Benchmark
    public Object helper_resilience4j(Resilience4jState breakers, FailingCalls call) {
        try {
            return breakers.countWindow.executeSupplier(call.failing);
        } catch (RuntimeException e) {
            return e;
        }
    }

    @Benchmark
    public @Nullable Object protocol_resilience4j(Resilience4jState breakers, FailingCalls call) {
        return Protocols.resilience4jFailing(breakers.countWindow, call.failing);
    }

    @Benchmark
    public @Nullable Object protocol_resilience4jLockFree(Resilience4jState breakers, FailingCalls call) {
        return Protocols.resilience4jFailing(breakers.countWindowLockFree, call.failing);
    }

    @Benchmark
    public @Nullable Object protocol_failsafe(FailsafeState breakers, FailingCalls call) {
        return Protocols.failsafeFailing(breakers.countWindow, call.failing);
    }
}
