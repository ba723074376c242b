package dev.breaker.benchmarks;

import dev.breaker.Breaker;
import dev.breaker.CircuitState;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** Our breakers for the closed scenarios, shared by all benchmark threads; they must stay closed. */
@State(Scope.Benchmark)
public class BreakerState {

    public Breaker countWindow;
    public Breaker timeWindow;
    public Breaker countWindowWithSlowCalls;

    @Setup(Level.Trial)
    public void create() {
        countWindow = Breaker.of("count-window", Fixtures.breakerCountWindow());
        timeWindow = Breaker.of("time-window", Fixtures.breakerTimeWindow());
        countWindowWithSlowCalls = Breaker.of("slow-calls", Fixtures.breakerCountWindowWithSlowCalls());
    }

    @TearDown(Level.Trial)
    public void requireClosed() {
        for (Breaker breaker : new Breaker[] {countWindow, timeWindow, countWindowWithSlowCalls}) {
            Fixtures.require(breaker.state() == CircuitState.CLOSED, breaker + " left CLOSED: " + breaker.metrics());
        }
    }
}
