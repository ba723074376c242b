package dev.breaker.benchmarks;

import com.alibaba.csp.sentinel.slots.block.RuleConstant;
import com.alibaba.csp.sentinel.slots.block.degrade.DegradeRule;
import dev.breaker.BreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowSynchronizationStrategy;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;

import java.time.Duration;

/**
 * Equivalent configurations of every library under test: a count window of the last 100 calls or a time window
 * of 10 s, rates evaluated from 20 calls on, opening at a 50 % failure rate, and an open wait of an hour so that
 * nothing half-opens during a run. Slow-call detection is off (Breaker's default) or, where a library cannot turn
 * it off, at a threshold no benchmarked call reaches.
 */
final class Fixtures {

    static final int COUNT_WINDOW = 100;
    static final Duration TIME_WINDOW = Duration.ofSeconds(10);
    static final int MINIMUM_CALLS = 20;
    static final int FAILURE_RATE_PERCENT = 50;
    static final Duration WAIT_IN_OPEN = Duration.ofHours(1);
    /** The slow-call threshold where detection is on: far above any benchmarked call. */
    static final Duration SLOW_CALL = Duration.ofSeconds(1);
    /** Enough failed calls to open any of the breakers above. */
    static final int CALLS_TO_OPEN = 2 * COUNT_WINDOW;

    private Fixtures() {
    }

    // Breaker

    static BreakerConfig breakerCountWindow() {
        return breaker().countWindow(COUNT_WINDOW).build();
    }

    static BreakerConfig breakerTimeWindow() {
        return breaker().timeWindow(TIME_WINDOW).build();
    }

    static BreakerConfig breakerCountWindowWithSlowCalls() {
        return breaker().countWindow(COUNT_WINDOW).slowCallDuration(SLOW_CALL).build();
    }

    static BreakerConfig.Builder breaker() {
        return BreakerConfig.builder()
                .minimumCalls(MINIMUM_CALLS)
                .failureRateThreshold(FAILURE_RATE_PERCENT)
                .waitInOpen(WAIT_IN_OPEN);
    }

    // Resilience4j

    static CircuitBreakerConfig resilience4jCountWindow(boolean lockFree) {
        return resilience4j(COUNT_WINDOW, SlidingWindowType.COUNT_BASED, lockFree).build();
    }

    static CircuitBreakerConfig resilience4jTimeWindow(boolean lockFree) {
        return resilience4j((int) TIME_WINDOW.toSeconds(), SlidingWindowType.TIME_BASED, lockFree).build();
    }

    static CircuitBreakerConfig.Builder resilience4j(int windowSize, SlidingWindowType type, boolean lockFree) {
        return resilience4j(windowSize, type, lockFree, WAIT_IN_OPEN);
    }

    /** As above, with another wait in open (Resilience4j refuses a second one set on the builder). */
    static CircuitBreakerConfig.Builder resilience4j(int windowSize, SlidingWindowType type, boolean lockFree,
                                                     Duration waitInOpen) {
        return CircuitBreakerConfig.custom()
                .slidingWindow(windowSize, MINIMUM_CALLS, type, lockFree
                        ? SlidingWindowSynchronizationStrategy.LOCK_FREE
                        : SlidingWindowSynchronizationStrategy.SYNCHRONIZED)
                .failureRateThreshold(FAILURE_RATE_PERCENT)
                .waitDurationInOpenState(waitInOpen)
                .automaticTransitionFromOpenToHalfOpenEnabled(false);
        // Slow calls: Resilience4j always times calls; its default threshold (60 s at a 100 % rate) is never
        // reached here, and the protocol benchmarks pass a duration of 0 to both libraries.
    }

    // Failsafe

    static dev.failsafe.CircuitBreaker<Object> failsafeCountWindow() {
        return dev.failsafe.CircuitBreaker.builder()
                .withFailureThreshold(FAILURE_RATE_PERCENT * COUNT_WINDOW / 100, COUNT_WINDOW)
                .withDelay(WAIT_IN_OPEN)
                .build();
    }

    static dev.failsafe.CircuitBreaker<Object> failsafeTimeWindow() {
        return dev.failsafe.CircuitBreaker.builder()
                .withFailureRateThreshold(FAILURE_RATE_PERCENT, MINIMUM_CALLS, TIME_WINDOW)
                .withDelay(WAIT_IN_OPEN)
                .build();
    }

    // Sentinel: a time window only (its statistic interval); rules are global, loaded once per fork.

    static DegradeRule sentinelRule(String resource) {
        return new DegradeRule(resource)
                .setGrade(RuleConstant.DEGRADE_GRADE_EXCEPTION_RATIO)
                .setCount(FAILURE_RATE_PERCENT / 100.0)
                .setMinRequestAmount(MINIMUM_CALLS)
                .setStatIntervalMs((int) TIME_WINDOW.toMillis())
                .setTimeWindow((int) WAIT_IN_OPEN.toSeconds());
    }

    /** Keeps Sentinel's log files out of the home directory; call before Sentinel's classes initialize. */
    static void configureSentinelLogs() {
        if (System.getProperty("csp.sentinel.log.dir") == null) {
            System.setProperty("csp.sentinel.log.dir",
                    System.getProperty("java.io.tmpdir") + "/breaker-benchmarks/sentinel-logs/");
        }
    }

    /** Fails the benchmark, loudly, when a breaker is not in the state its scenario is about. */
    static void require(boolean expected, String what) {
        if (!expected) {
            throw new IllegalStateException("Benchmark invalid: " + what);
        }
    }
}
