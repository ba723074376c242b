package dev.breaker.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/** The floors: the protected call alone, and the two clock reads that timing a call cannot avoid. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class Baseline {

    /** The supplier every other benchmark protects, called bare. */
    @Benchmark
    public String bareCall(Calls call) {
        return call.succeeding.get();
    }

    /** What timing a call costs at least: two {@link System#nanoTime()} reads and their difference. */
    @Benchmark
    public long nanoTimeTwice() {
        long start = System.nanoTime();
        return System.nanoTime() - start;
    }
}
