package dev.breaker.benchmarks;

import dev.breaker.Breaker;
import dev.breaker.Ticker;
import dev.breaker.internal.CountWindow;
import dev.breaker.internal.Thresholds;
import dev.breaker.internal.TimeWindow;
import dev.breaker.internal.Verdict;
import dev.breaker.internal.Window;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Not a comparison: the pieces of Breaker's paths, measured apart, to explain the comparisons. {@code run.sh}
 * leaves this class out; run it with {@code java -jar benchmarks.jar Diagnostics -t 1} (the
 * {@code shared*} methods are meant for {@code -t 2}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class Diagnostics {

    /** What an atomic read-modify-write and a volatile store cost on this machine. */
    @State(Scope.Benchmark)
    public static class Atomics {
        public final LongAdder adder = new LongAdder();
        public final AtomicLong atomic = new AtomicLong();
        public volatile long published;
        public long plain;
    }

    /** Windows, used directly; fresh for each iteration, so that the time window's failure stays inside it. */
    @State(Scope.Benchmark)
    public static class Windows {
        public TimeWindow timeWindowClean;
        public TimeWindow timeWindowWithAFailure;
        public CountWindow countWindow;

        @Setup(Level.Iteration)
        public void create() {
            Thresholds thresholds = new Thresholds(Fixtures.MINIMUM_CALLS, Fixtures.FAILURE_RATE_PERCENT, 100);
            timeWindowClean = new TimeWindow(Fixtures.TIME_WINDOW.toNanos(), 10, thresholds, Ticker.system());
            timeWindowWithAFailure = new TimeWindow(Fixtures.TIME_WINDOW.toNanos(), 10, thresholds,
                    Ticker.system());
            timeWindowWithAFailure.record(Window.FAILURE);
            countWindow = new CountWindow(Fixtures.COUNT_WINDOW, thresholds);
        }
    }

    /** Every tenth outcome of each thread a failure. */
    @State(Scope.Thread)
    public static class Outcomes {
        private int untilFailure = Calls.FAILURE_EVERY;

        int next() {
            if (--untilFailure == 0) {
                untilFailure = Calls.FAILURE_EVERY;
                return Window.FAILURE;
            }
            return Window.SUCCESS;
        }
    }

    // Atomics

    @Benchmark
    public String longAdderIncrement(Atomics atomics, Calls call) {
        atomics.adder.increment();
        return call.succeeding.get();
    }

    @Benchmark
    public long atomicLongIncrement(Atomics atomics) {
        return atomics.atomic.incrementAndGet();
    }

    @Benchmark
    public void volatileStore(Atomics atomics) {
        atomics.published = 1;
    }

    // The success path, piece by piece (compare with Baseline.bareCall and ClosedSuccessCountWindow)

    @Benchmark
    public String tryAcquireAndCall(BreakerState breakers, Calls call) {
        Breaker breaker = breakers.countWindow;
        return breaker.tryAcquire() ? call.succeeding.get() : "";
    }

    @Benchmark
    public String protocolPlusOneMoreLongAdder(BreakerState breakers, Atomics atomics, Calls call) {
        String value = Protocols.breaker(breakers.countWindow, call);
        atomics.adder.increment();
        return value == null ? "" : value;
    }

    // Between two clock reads (compare with Baseline.nanoTimeTwice and SlowCallDetection)

    @Benchmark
    public long timedPlainIncrement(Atomics atomics, Calls call) {
        long start = System.nanoTime();
        String value = call.succeeding.get();
        atomics.plain++;
        return System.nanoTime() - start + value.length();
    }

    @Benchmark
    public long timedLongAdderIncrement(Atomics atomics, Calls call) {
        long start = System.nanoTime();
        String value = call.succeeding.get();
        atomics.adder.increment();
        return System.nanoTime() - start + value.length();
    }

    // Windows

    @Benchmark
    public Verdict timeWindowSuccess_noFailureInWindow(Windows windows) {
        return windows.timeWindowClean.record(Window.SUCCESS);
    }

    @Benchmark
    public Verdict timeWindowSuccess_failureInWindow(Windows windows) {
        return windows.timeWindowWithAFailure.record(Window.SUCCESS);
    }

    /** A count window with every tenth outcome a failure; with -t 2 both threads share it. */
    @Benchmark
    public Verdict countWindow_everyTenthAFailure(Windows windows, Outcomes outcomes) {
        return windows.countWindow.record(outcomes.next());
    }
}
