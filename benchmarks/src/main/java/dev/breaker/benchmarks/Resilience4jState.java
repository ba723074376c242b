package dev.breaker.benchmarks;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** Resilience4j's breakers for the closed scenarios, default and LOCK_FREE windows; they must stay closed. */
@State(Scope.Benchmark)
public class Resilience4jState {

    public CircuitBreaker countWindow;
    public CircuitBreaker countWindowLockFree;
    public CircuitBreaker timeWindow;
    public CircuitBreaker timeWindowLockFree;
    public CircuitBreaker countWindowWithSlowCalls;

    @Setup(Level.Trial)
    public void create() {
        countWindow = CircuitBreaker.of("count-window", Fixtures.resilience4jCountWindow(false));
        countWindowLockFree = CircuitBreaker.of("count-window-lock-free", Fixtures.resilience4jCountWindow(true));
        timeWindow = CircuitBreaker.of("time-window", Fixtures.resilience4jTimeWindow(false));
        timeWindowLockFree = CircuitBreaker.of("time-window-lock-free", Fixtures.resilience4jTimeWindow(true));
        countWindowWithSlowCalls = CircuitBreaker.of("slow-calls",
                Fixtures.resilience4j(Fixtures.COUNT_WINDOW, SlidingWindowType.COUNT_BASED, false)
                        .slowCallDurationThreshold(Fixtures.SLOW_CALL)
                        .build());
    }

    @TearDown(Level.Trial)
    public void requireClosed() {
        for (CircuitBreaker breaker : new CircuitBreaker[] {countWindow, countWindowLockFree, timeWindow,
                timeWindowLockFree, countWindowWithSlowCalls}) {
            Fixtures.require(breaker.getState() == CircuitBreaker.State.CLOSED, "Resilience4j '" + breaker.getName()
                    + "' left CLOSED: " + breaker.getState() + ", failure rate "
                    + breaker.getMetrics().getFailureRate());
        }
    }
}
