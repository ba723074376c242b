package dev.breaker.benchmarks;

import dev.breaker.AdaptiveBaseline;
import dev.breaker.AdaptiveThrottle;
import dev.breaker.AdaptiveTimeout;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What each adaptive feature costs a call when it is on, against the same breaker with it off ({@code _off}):
 * CLOSED, every call succeeds, count window of 100, breaker only. {@code helper}: the execution helper
 * ({@code get}), which applies a timeout itself (two clock reads and a comparison; an adaptive timeout also records
 * the duration in its histogram and reads the coarse clock for its limit, here at least 1 s); a baseline, which
 * learns latency by default, also makes the helper time every call; {@code protocol}: {@code tryAcquire},
 * call, {@code onSuccess(0)}; {@code limit}: {@code timeoutNanos()}, what an integration reads per call to apply the
 * timeout (the adaptive one reads the coarse clock and refreshes its percentile at most every 100 ms).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class AdaptiveFeatures {

    /** One breaker per feature, and one without any, shared by all benchmark threads; they must stay closed. */
    @State(Scope.Benchmark)
    public static class Breakers {

        public Breaker off;
        public Breaker fixedTimeout;
        public Breaker adaptiveTimeout;
        public Breaker throttle;
        public Breaker baseline;

        @Setup(Level.Trial)
        public void create() {
            off = Breaker.of("off", Fixtures.breakerCountWindow());
            fixedTimeout = Breaker.of("fixed-timeout", with().timeout(Duration.ofHours(1)).build());
            // At least 1 s: the learned p99 of these calls is well under the default minimum of 10 ms, which a
            // pause of the benchmark thread on a busy machine exceeds.
            adaptiveTimeout = Breaker.of("adaptive-timeout", with().adaptiveTimeout(AdaptiveTimeout.defaults()
                    .withBounds(Duration.ofSeconds(1), Duration.ofSeconds(10))).build());
            throttle = Breaker.of("throttle", with().adaptiveThrottle(AdaptiveThrottle.defaults()).build());
            baseline = Breaker.of("baseline", with().adaptiveBaseline(AdaptiveBaseline.defaults()).build());
        }

        private static BreakerConfig.Builder with() {
            return Fixtures.breakerCountWindow().toBuilder();
        }

        @TearDown(Level.Trial)
        public void requireClosed() {
            for (Breaker breaker : new Breaker[] {off, fixedTimeout, adaptiveTimeout, throttle, baseline}) {
                Fixtures.require(breaker.state() == CircuitState.CLOSED, breaker + " left CLOSED: "
                        + breaker.metrics());
            }
        }
    }

    // The execution helper, which applies a timeout itself.

    @Benchmark
    public String helper_off(Breakers breakers, Calls call) {
        return breakers.off.get(call.succeeding);
    }

    @Benchmark
    public String helper_fixedTimeout(Breakers breakers, Calls call) {
        return breakers.fixedTimeout.get(call.succeeding);
    }

    @Benchmark
    public String helper_adaptiveTimeout(Breakers breakers, Calls call) {
        return breakers.adaptiveTimeout.get(call.succeeding);
    }

    @Benchmark
    public String helper_throttle(Breakers breakers, Calls call) {
        return breakers.throttle.get(call.succeeding);
    }

    @Benchmark
    public String helper_baseline(Breakers breakers, Calls call) {
        return breakers.baseline.get(call.succeeding);
    }

    // The protocol: permission and outcome, no timeout applied.

    @Benchmark
    public @Nullable String protocol_off(Breakers breakers, Calls call) {
        return Protocols.breaker(breakers.off, call);
    }

    @Benchmark
    public @Nullable String protocol_throttle(Breakers breakers, Calls call) {
        return Protocols.breaker(breakers.throttle, call);
    }

    @Benchmark
    public @Nullable String protocol_baseline(Breakers breakers, Calls call) {
        return Protocols.breaker(breakers.baseline, call);
    }

    // The limit an integration reads per call to apply a timeout.

    @Benchmark
    public long limit_off(Breakers breakers) {
        return breakers.off.timeoutNanos();
    }

    @Benchmark
    public long limit_fixedTimeout(Breakers breakers) {
        return breakers.fixedTimeout.timeoutNanos();
    }

    @Benchmark
    public long limit_adaptiveTimeout(Breakers breakers) {
        return breakers.adaptiveTimeout.timeoutNanos();
    }
}
