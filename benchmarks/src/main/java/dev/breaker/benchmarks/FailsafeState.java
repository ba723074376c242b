package dev.breaker.benchmarks;

import dev.failsafe.CircuitBreaker;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** Failsafe's breakers for the closed scenarios, and executors built once; the breakers must stay closed. */
@State(Scope.Benchmark)
public class FailsafeState {

    public CircuitBreaker<Object> countWindow;
    public CircuitBreaker<Object> timeWindow;
    public FailsafeExecutor<Object> countWindowExecutor;
    public FailsafeExecutor<Object> timeWindowExecutor;

    @Setup(Level.Trial)
    public void create() {
        countWindow = Fixtures.failsafeCountWindow();
        timeWindow = Fixtures.failsafeTimeWindow();
        countWindowExecutor = Failsafe.with(countWindow);
        timeWindowExecutor = Failsafe.with(timeWindow);
    }

    @TearDown(Level.Trial)
    public void requireClosed() {
        Fixtures.require(countWindow.isClosed(), "Failsafe count-window breaker left CLOSED: " + countWindow.getState());
        Fixtures.require(timeWindow.isClosed(), "Failsafe time-window breaker left CLOSED: " + timeWindow.getState());
    }
}
