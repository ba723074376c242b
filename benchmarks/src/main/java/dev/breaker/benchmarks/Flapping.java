package dev.breaker.benchmarks;

import dev.breaker.Breaker;
import dev.breaker.CircuitState;
import dev.breaker.Ticker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

/**
 * A breaker that flaps: one operation is one full cycle CLOSED -> OPEN -> HALF_OPEN -> CLOSED through the
 * protocol, {@value #CALLS_PER_CYCLE} calls: {@value #FAILURES} failures (the minimum number of calls, all failed:
 * OPEN), one call rejected while OPEN, the clock moved just past the wait in open (1 s), and {@value #TRIALS} successful
 * trial calls (the first turns the breaker HALF_OPEN, the last closes it). Time does not pass by itself: ours reads
 * a manual {@link Ticker}, Resilience4j a manual {@link Clock} ({@code CircuitBreakerConfig.Builder.clock}, with its
 * automatic transition off, so that its permission check moves it to HALF_OPEN as ours does). Count window of 100;
 * each cycle checks that it ended CLOSED. Single-threaded by design: a cycle is a sequence.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class Flapping {

    static final int FAILURES = Fixtures.MINIMUM_CALLS;
    static final int TRIALS = 3;
    /** The calls of one cycle: the failures, one rejection, the trials. */
    public static final int CALLS_PER_CYCLE = FAILURES + 1 + TRIALS;
    static final Duration WAIT_IN_OPEN = Duration.ofSeconds(1);

    @Benchmark
    public int cycle_breaker(Ours ours) {
        Breaker breaker = ours.breaker;
        int answered = 0;
        for (int i = 0; i < FAILURES; i++) {
            if (breaker.tryAcquire()) {
                breaker.onFailure(0, Calls.FAILURE);
                answered++;
            }
        }
        answered += breaker.tryAcquire() ? 1 : 0; // OPEN: refused
        ours.now += WAIT_IN_OPEN.toNanos() + 1; // the wait is over once it has passed
        for (int i = 0; i < TRIALS; i++) {
            if (breaker.tryAcquire()) {
                breaker.onSuccess(0);
                answered++;
            }
        }
        Fixtures.require(answered == FAILURES + TRIALS && breaker.state() == CircuitState.CLOSED,
                "a cycle of " + breaker + " did not end CLOSED with " + (FAILURES + TRIALS) + " calls let through");
        return answered;
    }

    @Benchmark
    public int cycle_resilience4j(Theirs theirs) {
        CircuitBreaker breaker = theirs.breaker;
        int answered = 0;
        for (int i = 0; i < FAILURES; i++) {
            if (breaker.tryAcquirePermission()) {
                breaker.onError(0, TimeUnit.NANOSECONDS, Calls.FAILURE);
                answered++;
            }
        }
        answered += breaker.tryAcquirePermission() ? 1 : 0; // OPEN: refused
        theirs.clock.millis += WAIT_IN_OPEN.toMillis() + 1;
        for (int i = 0; i < TRIALS; i++) {
            if (breaker.tryAcquirePermission()) {
                breaker.onSuccess(0, TimeUnit.NANOSECONDS);
                answered++;
            }
        }
        Fixtures.require(answered == FAILURES + TRIALS && breaker.getState() == CircuitBreaker.State.CLOSED,
                "a cycle of Resilience4j did not end CLOSED with " + (FAILURES + TRIALS) + " calls let through: "
                        + breaker.getState());
        return answered;
    }

    /** Our breaker on a manual ticker. */
    @State(Scope.Thread)
    public static class Ours {

        public long now;
        public Breaker breaker;

        @Setup(Level.Trial)
        public void create() {
            breaker = Breaker.of("flapping", Fixtures.breaker()
                    .countWindow(Fixtures.COUNT_WINDOW)
                    .waitInOpen(WAIT_IN_OPEN)
                    .halfOpenCalls(TRIALS)
                    .ticker(() -> now)
                    .build());
        }
    }

    /** Resilience4j's breaker on a manual clock. */
    @State(Scope.Thread)
    public static class Theirs {

        public final ManualClock clock = new ManualClock();
        public CircuitBreaker breaker;

        @Setup(Level.Trial)
        public void create() {
            breaker = CircuitBreaker.of("flapping",
                    Fixtures.resilience4j(Fixtures.COUNT_WINDOW, SlidingWindowType.COUNT_BASED, false,
                                    WAIT_IN_OPEN)
                            .permittedNumberOfCallsInHalfOpenState(TRIALS)
                            .clock(clock)
                            .build());
        }
    }

    /** A clock that moves only when told to. */
    public static final class ManualClock extends Clock {

        public long millis;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("a manual clock stays in UTC");
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }
}
