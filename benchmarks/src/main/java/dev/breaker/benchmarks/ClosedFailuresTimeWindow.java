package dev.breaker.benchmarks;

import com.alibaba.csp.sentinel.slots.block.BlockException;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/** As {@link ClosedFailuresCountWindow}, with a time window of 10 s, and Sentinel. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ClosedFailuresTimeWindow {

    @Benchmark
    public Object helper_breaker(BreakerState breakers, Calls call) {
        try {
            return breakers.timeWindow.get(call.failingEveryTenth);
        } catch (RuntimeException e) {
            return e;
        }
    }

    @Benchmark
    public @Nullable Object protocol_breaker(BreakerState breakers, Calls call) {
        return Protocols.breakerFailingEveryTenth(breakers.timeWindow, call);
    }

    @Benchmark
    public Object helper_resilience4j(Resilience4jState breakers, Calls call) {
        try {
            return breakers.timeWindow.executeSupplier(call.failingEveryTenth);
        } catch (RuntimeException e) {
            return e;
        }
    }

    @Benchmark
    public @Nullable Object protocol_resilience4j(Resilience4jState breakers, Calls call) {
        return Protocols.resilience4jFailingEveryTenth(breakers.timeWindow, call);
    }

    @Benchmark
    public @Nullable Object protocol_resilience4jLockFree(Resilience4jState breakers, Calls call) {
        return Protocols.resilience4jFailingEveryTenth(breakers.timeWindowLockFree, call);
    }

    @Benchmark
    public @Nullable Object protocol_failsafe(FailsafeState breakers, Calls call) {
        return Protocols.failsafeFailingEveryTenth(breakers.timeWindow, call);
    }

    @Benchmark
    public Object protocol_sentinel(SentinelState sentinel, Calls call) throws BlockException {
        return Protocols.sentinelFailingEveryTenth(sentinel.resource, call);
    }
}
