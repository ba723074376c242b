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

/**
 * As {@link ClosedFailuresCountWindow}, with a time window of 10 s, and Sentinel (10 and 30 % only: see
 * {@link SentinelFailingCalls}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ClosedFailuresTimeWindow {

    @Benchmark
    public Object helper_breaker(BreakerState breakers, FailingCalls call) {
        try {
            return breakers.timeWindow.get(call.failing);
        } catch (RuntimeException e) {
            return e;
        }
    }

    @Benchmark
    public @Nullable Object protocol_breaker(BreakerState breakers, FailingCalls call) {
        return Protocols.breakerFailing(breakers.timeWindow, call.failing);
    }

    @Benchmark
    public Object helper_resilience4j(Resilience4jState breakers, FailingCalls call) {
        try {
            return breakers.timeWindow.executeSupplier(call.failing);
        } catch (RuntimeException e) {
            return e;
        }
    }

    @Benchmark
    public @Nullable Object protocol_resilience4j(Resilience4jState breakers, FailingCalls call) {
        return Protocols.resilience4jFailing(breakers.timeWindow, call.failing);
    }

    @Benchmark
    public @Nullable Object protocol_resilience4jLockFree(Resilience4jState breakers, FailingCalls call) {
        return Protocols.resilience4jFailing(breakers.timeWindowLockFree, call.failing);
    }

    @Benchmark
    public @Nullable Object protocol_failsafe(FailsafeState breakers, FailingCalls call) {
        return Protocols.failsafeFailing(breakers.timeWindow, call.failing);
    }

    @Benchmark
    public Object protocol_sentinel(SentinelState sentinel, SentinelFailingCalls call) throws BlockException {
        return Protocols.sentinelFailing(sentinel.resource, call.failing);
    }
}
