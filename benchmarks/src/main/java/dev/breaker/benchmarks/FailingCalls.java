package dev.breaker.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * 10, 30 or 49 failed calls in 100 (see {@link FailurePattern}), below the 50 % threshold. Two threads sharing a
 * count window of 100 can put one more failure of each thread in it, and so open it at 49 %: the two-thread run of
 * {@code benchmarks/run.sh} passes {@code -p failurePercent=10,30}.
 */
@State(Scope.Thread)
public class FailingCalls extends FailurePattern {

    @Param({"10", "30", "49"})
    public int failurePercent;

    @Setup(Level.Trial)
    public void pattern() {
        fill(failurePercent);
    }
}
