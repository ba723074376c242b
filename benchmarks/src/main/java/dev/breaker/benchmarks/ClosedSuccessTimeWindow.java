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
 * CLOSED, every call succeeds, time window of 10 s; as {@link ClosedSuccessCountWindow}. Sentinel, which only has
 * time windows, takes part here: {@code SphU.entry}, the call, {@code Entry.exit}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ClosedSuccessTimeWindow {

    @Benchmark
    public String helper_breaker(BreakerState breakers, Calls call) {
        return breakers.timeWindow.get(call.succeeding);
    }

    @Benchmark
    public @Nullable String protocol_breaker(BreakerState breakers, Calls call) {
        return Protocols.breaker(breakers.timeWindow, call);
    }

    @Benchmark
    public String helper_resilience4j(Resilience4jState breakers, Calls call) {
        return breakers.timeWindow.executeSupplier(call.succeeding);
    }

    @Benchmark
    public @Nullable String protocol_resilience4j(Resilience4jState breakers, Calls call) {
        return Protocols.resilience4j(breakers.timeWindow, call);
    }

    @Benchmark
    public @Nullable String protocol_resilience4jLockFree(Resilience4jState breakers, Calls call) {
        return Protocols.resilience4j(breakers.timeWindowLockFree, call);
    }

    @Benchmark
    public String helper_failsafe(FailsafeState breakers, Calls call) {
        return breakers.timeWindowExecutor.get(call.succeedingChecked);
    }

    @Benchmark
    public @Nullable String protocol_failsafe(FailsafeState breakers, Calls call) {
        return Protocols.failsafe(breakers.timeWindow, call);
    }

    @Benchmark
    public String protocol_sentinel(SentinelState sentinel, Calls call) throws BlockException {
        return Protocols.sentinel(sentinel.resource, call);
    }
}
