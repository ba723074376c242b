package dev.breaker.benchmarks;

import com.alibaba.csp.sentinel.Entry;
import com.alibaba.csp.sentinel.SphO;
import com.alibaba.csp.sentinel.SphU;
import com.alibaba.csp.sentinel.Tracer;
import com.alibaba.csp.sentinel.slots.block.BlockException;
import com.alibaba.csp.sentinel.slots.block.degrade.DegradeRuleManager;
import dev.breaker.Breaker;
import dev.breaker.CallNotPermittedException;
import dev.breaker.CircuitState;
import dev.failsafe.CircuitBreakerOpenException;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
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

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * OPEN, opened by failures (not forced) and waiting an hour: how fast each library says no. {@code reject_*}:
 * asking for permission, answered false. {@code throw_*}: the execution helper, which throws the library's
 * rejection exception; the benchmark catches it and returns it, so it escapes as it would in an application.
 * Resilience4j writes a stack trace into its exception by default; {@code throw_resilience4jStackless} turns that
 * off ({@code writableStackTraceEnabled(false)}), Breaker's default.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class OpenRejection {

    @Benchmark
    public boolean reject_breaker(OpenBreaker open) {
        return open.breaker.tryAcquire();
    }

    @Benchmark
    public boolean reject_resilience4j(OpenResilience4j open) {
        return open.withStackTrace.tryAcquirePermission();
    }

    @Benchmark
    public boolean reject_failsafe(OpenFailsafe open) {
        return open.breaker.tryAcquirePermit();
    }

    @Benchmark
    public boolean reject_sentinel(OpenSentinel open) {
        boolean passed = SphO.entry(open.resource);
        if (passed) {
            SphO.exit();
        }
        return passed;
    }

    @Benchmark
    public Object throw_breaker(OpenBreaker open, Calls call) {
        try {
            return open.breaker.get(call.succeeding);
        } catch (CallNotPermittedException e) {
            return e;
        }
    }

    @Benchmark
    public Object throw_resilience4j(OpenResilience4j open, Calls call) {
        try {
            return open.withStackTrace.executeSupplier(call.succeeding);
        } catch (io.github.resilience4j.circuitbreaker.CallNotPermittedException e) {
            return e;
        }
    }

    @Benchmark
    public Object throw_resilience4jStackless(OpenResilience4j open, Calls call) {
        try {
            return open.stackless.executeSupplier(call.succeeding);
        } catch (io.github.resilience4j.circuitbreaker.CallNotPermittedException e) {
            return e;
        }
    }

    @Benchmark
    public Object throw_failsafe(OpenFailsafe open, Calls call) {
        try {
            return open.executor.get(call.succeedingChecked);
        } catch (CircuitBreakerOpenException e) {
            return e;
        }
    }

    @Benchmark
    public Object throw_sentinel(OpenSentinel open) {
        try {
            Entry entry = SphU.entry(open.resource);
            entry.exit();
            return entry;
        } catch (BlockException e) {
            return e;
        }
    }

    /** Our breaker, count window of 100, opened by failures. */
    @State(Scope.Benchmark)
    public static class OpenBreaker {

        public Breaker breaker;

        @Setup(Level.Trial)
        public void open() {
            breaker = Breaker.of("open", Fixtures.breakerCountWindow());
            for (int i = 0; i < Fixtures.CALLS_TO_OPEN && breaker.tryAcquire(); i++) {
                breaker.onFailure(0, Calls.FAILURE);
            }
            requireOpen();
        }

        @TearDown(Level.Trial)
        public void requireOpen() {
            Fixtures.require(breaker.state() == CircuitState.OPEN, breaker + " not OPEN");
        }
    }

    /** Resilience4j's breakers, count window of 100, opened by failures. */
    @State(Scope.Benchmark)
    public static class OpenResilience4j {

        public CircuitBreaker withStackTrace;
        public CircuitBreaker stackless;

        @Setup(Level.Trial)
        public void open() {
            withStackTrace = CircuitBreaker.of("open", Fixtures.resilience4jCountWindow(false));
            stackless = CircuitBreaker.of("open-stackless",
                    Fixtures.resilience4j(Fixtures.COUNT_WINDOW,
                                    io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType.COUNT_BASED,
                                    false)
                            .writableStackTraceEnabled(false)
                            .build());
            for (CircuitBreaker breaker : List.of(withStackTrace, stackless)) {
                for (int i = 0; i < Fixtures.CALLS_TO_OPEN && breaker.tryAcquirePermission(); i++) {
                    breaker.onError(0, TimeUnit.NANOSECONDS, Calls.FAILURE);
                }
            }
            requireOpen();
        }

        @TearDown(Level.Trial)
        public void requireOpen() {
            for (CircuitBreaker breaker : List.of(withStackTrace, stackless)) {
                Fixtures.require(breaker.getState() == CircuitBreaker.State.OPEN,
                        "Resilience4j '" + breaker.getName() + "' not OPEN: " + breaker.getState());
            }
        }
    }

    /** Failsafe's breaker, count window of 100, opened by failures. */
    @State(Scope.Benchmark)
    public static class OpenFailsafe {

        public dev.failsafe.CircuitBreaker<Object> breaker;
        public FailsafeExecutor<Object> executor;

        @Setup(Level.Trial)
        public void open() {
            breaker = Fixtures.failsafeCountWindow();
            executor = Failsafe.with(breaker);
            for (int i = 0; i < Fixtures.CALLS_TO_OPEN && breaker.tryAcquirePermit(); i++) {
                breaker.recordException(Calls.FAILURE);
            }
            requireOpen();
        }

        @TearDown(Level.Trial)
        public void requireOpen() {
            Fixtures.require(breaker.isOpen(), "Failsafe breaker not OPEN: " + breaker.getState());
        }
    }

    /** A Sentinel resource with the error-ratio rule, opened by failures. */
    @State(Scope.Benchmark)
    public static class OpenSentinel {

        static {
            Fixtures.configureSentinelLogs();
        }

        public final String resource = "open";

        @Setup(Level.Trial)
        public void open() {
            DegradeRuleManager.loadRules(List.of(Fixtures.sentinelRule(resource)));
            for (int i = 0; i < Fixtures.CALLS_TO_OPEN; i++) {
                Entry entry;
                try {
                    entry = SphU.entry(resource);
                } catch (BlockException e) {
                    break;
                }
                Tracer.traceEntry(Calls.FAILURE, entry);
                entry.exit();
            }
            requireOpen();
        }

        @TearDown(Level.Trial)
        public void requireOpen() {
            boolean passed = SphO.entry(resource);
            if (passed) {
                SphO.exit();
            }
            Fixtures.require(!passed, "Sentinel resource '" + resource + "' not OPEN");
        }
    }
}
