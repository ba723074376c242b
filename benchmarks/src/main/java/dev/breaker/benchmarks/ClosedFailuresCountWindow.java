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
 * CLOSED, every tenth call of each thread fails with a preallocated exception (10 %, below the 50 % threshold, so
 * the breakers stay CLOSED; each state checks so after the run), count window of 100. Methods as in
 * {@link ClosedSuccessCountWindow}; a failure is recorded and returned.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ClosedFailuresCountWindow {

    @Benchmark
    public Object helper_breaker(BreakerState breakers, Calls call) {
        try {
            return breakers.countWindow.get(call.failingEveryTenth);
        } catch (RuntimeException e) {
            return e;
        }
    }

    @Benchmark
    public @Nullable Object protocol_breaker(BreakerState breakers, Calls call) {
        return Protocols.breakerFailingEveryTenth(breakers.countWindow, call);
    }

    @Benchmark
    public Object helper_resilience4j(Resilience4jState breakers, Calls call) {
        try {
            return breakers.countWindow.executeSupplier(call.failingEveryTenth);
        } catch (RuntimeException e) {
            return e;
        }
    }

    @Benchmark
    public @Nullable Object protocol_resilience4j(Resilience4jState breakers, Calls call) {
        return Protocols.resilience4jFailingEveryTenth(breakers.countWindow, call);
    }

    @Benchmark
    public @Nullable Object protocol_resilience4jLockFree(Resilience4jState breakers, Calls call) {
        return Protocols.resilience4jFailingEveryTenth(breakers.countWindowLockFree, call);
    }

    @Benchmark
    public @Nullable Object protocol_failsafe(FailsafeState breakers, Calls call) {
        return Protocols.failsafeFailingEveryTenth(breakers.countWindow, call);
    }
}
