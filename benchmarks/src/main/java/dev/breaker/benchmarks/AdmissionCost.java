package dev.breaker.benchmarks;

import dev.breaker.Breaker;
import dev.breaker.BreakerConfig;
import dev.breaker.BreakerRegistry;
import dev.breaker.CircuitState;
import dev.breaker.Priority;
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

import java.util.concurrent.TimeUnit;

/**
 * What dependencies, admission limits and priorities cost a successful call through a closed breaker (count window
 * of 100), on the generation-aware protocol the execution helpers and the Spring starter use: {@code none} is the
 * same breaker without them, from the same run. The limits are set high enough never to reject (the rate limit's
 * burst is a second's worth: the coarse ticker it reads may stall for milliseconds on a loaded machine); the
 * dependencies are closed. JMH forks each benchmark, so marking priorities in use (once, as a scope or an annotation
 * with a priority does) touches only the {@code priority*} benchmarks.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class AdmissionCost {

    /** Breakers with and without admission control, shared by all benchmark threads; they must stay closed. */
    @State(Scope.Benchmark)
    public static class Breakers {

        public Breaker none;
        public Breaker dependencies;
        public Breaker concurrencyLimit;
        public Breaker rateLimit;

        @Setup(Level.Trial)
        public void create() {
            BreakerConfig base = Fixtures.breakerCountWindow();
            none = Breaker.of("none", base);
            BreakerRegistry registry = BreakerRegistry.builder().defaults(base)
                    .config("payments", base).config("ledger", base)
                    .config("checkout", base.toBuilder().dependsOn("payments", "ledger").build()).build();
            dependencies = registry.breaker("checkout");
            concurrencyLimit = Breaker.of("concurrency-limit", base.toBuilder().maxConcurrentCalls(1_000).build());
            rateLimit = Breaker.of("rate-limit", base.toBuilder().maxCallsPerSecond(1e9, 1_000_000_000).build());
        }

        @TearDown(Level.Trial)
        public void requireClosedAndNothingRejected() {
            for (Breaker breaker : new Breaker[] {none, dependencies, concurrencyLimit, rateLimit}) {
                Fixtures.require(breaker.state() == CircuitState.CLOSED && breaker.metrics().totalNotPermitted() == 0,
                        breaker + " rejected calls or left CLOSED: " + breaker.metrics());
            }
        }
    }

    /** {@link Breakers}, with priorities in use in this fork. */
    @State(Scope.Benchmark)
    public static class WithPriorities extends Breakers {

        @Setup(Level.Trial)
        public void markPrioritiesInUse() {
            Priority.markInUse();
        }
    }

    static @Nullable String call(Breaker breaker, Calls call) {
        return callWith(breaker, breaker.acquirePermit(), call);
    }

    static @Nullable String call(Breaker breaker, Priority priority, Calls call) {
        return callWith(breaker, breaker.acquirePermit(priority), call);
    }

    private static @Nullable String callWith(Breaker breaker, long permit, Calls call) {
        if (!Breaker.isPermitted(permit)) {
            return null;
        }
        String result = call.succeeding.get();
        breaker.recordResult(permit, 0, result);
        return result;
    }

    @Benchmark
    public @Nullable String none(Breakers breakers, Calls call) {
        return call(breakers.none, call);
    }

    @Benchmark
    public @Nullable String dependencies(Breakers breakers, Calls call) {
        return call(breakers.dependencies, call);
    }

    @Benchmark
    public @Nullable String concurrencyLimit(Breakers breakers, Calls call) {
        return call(breakers.concurrencyLimit, call);
    }

    @Benchmark
    public @Nullable String rateLimit(Breakers breakers, Calls call) {
        return call(breakers.rateLimit, call);
    }

    /** A priority given with the call (as an annotation's), priorities in use. */
    @Benchmark
    public @Nullable String priorityGiven(WithPriorities breakers, Calls call) {
        return call(breakers.none, Priority.SHEDDABLE, call);
    }

    /** A priority given with the call to a breaker with a concurrency limit, which reads it for its reserve. */
    @Benchmark
    public @Nullable String priorityGivenWithConcurrencyLimit(WithPriorities breakers, Calls call) {
        return call(breakers.concurrencyLimit, Priority.SHEDDABLE, call);
    }

    /** The call in a {@link Priority} scope of its own: what a scope costs per call. */
    @Benchmark
    public @Nullable String priorityScope(WithPriorities breakers, Calls call) {
        return Priority.get(Priority.SHEDDABLE, () -> call(breakers.none, call));
    }
}
