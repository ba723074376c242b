package dev.breaker.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link FailingCalls} for Sentinel, without 49 %: Sentinel's error ratio is counted over a statistic interval
 * that starts empty every 10 s rather than sliding, and the first 21 calls of an interval can hold 11 failures at
 * 49 %, which opens it as its rule says.
 */
@State(Scope.Thread)
public class SentinelFailingCalls extends FailurePattern {

    @Param({"10", "30"})
    public int failurePercent;

    @Setup(Level.Trial)
    public void pattern() {
        fill(failurePercent);
    }
}
