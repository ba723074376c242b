package dev.breaker.benchmarks;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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

/**
 * Not a comparison: what {@code breaker.metrics.call-duration} adds to every protected call
 * ({@code AnnotatedSuccess.success_breakerCallDuration}), measured apart: the Micrometer timer it records into
 * (a {@code SimpleMeterRegistry}'s, as in that benchmark), alone and with the two clock reads around the call.
 * {@code run.sh} leaves this class out (its name matches the default exclude); run it with
 * {@code java -jar benchmarks.jar MetricsDiagnostics -t 1}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class MetricsDiagnostics {

    /** The timer {@code MicrometerCallTimers} registers for a breaker's successful calls. */
    @State(Scope.Benchmark)
    public static class Timers {

        public Timer success;

        @Setup(Level.Trial)
        public void register() {
            success = Timer.builder("breaker.call.duration").tag("name", "diagnostics").tag("outcome", "success")
                    .register(new SimpleMeterRegistry());
        }
    }

    /** One {@code Timer.record} of a constant duration. */
    @Benchmark
    public void timerRecord(Timers timers) {
        timers.success.record(100, TimeUnit.NANOSECONDS);
    }

    /** The call timed as {@code ProtectedCall} times it: two clock reads around it and one record. */
    @Benchmark
    public String timedCall(Timers timers, Calls call) {
        long start = System.nanoTime();
        String result = call.succeeding.get();
        timers.success.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return result;
    }
}
