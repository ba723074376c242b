package dev.breaker;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Proves that a breaker with a count window (or a time window in one-second buckets) and rate thresholds behaves
 * step for step as Resilience4j 2.4.0 does with {@code COUNT_BASED} (or {@code TIME_BASED}),
 * {@code automaticTransitionFromOpenToHalfOpenEnabled(false)} and the equivalent settings: whether each call is permitted, and the state and window figures after every acquire, outcome,
 * release and clock move.
 *
 * <p>Resilience4j is the oracle: no expectation here is derived from our implementation. Both breakers run on one
 * {@link FakeTicker} (Resilience4j through the wall clock that follows it) and are driven through their low-level
 * protocols: {@link Breaker#tryAcquire()}, {@link Breaker#onSuccess(long)}, {@link Breaker#onFailure(long,
 * Throwable)} and {@link Breaker#release()} against {@code tryAcquirePermission()}, {@code onSuccess},
 * {@code onError} and {@code releasePermission()}.
 *
 * <p>A divergence fails with the scenario's seed and configuration and a shrunk sequence of steps that still
 * reproduces it; {@link #replaysOneScenario()} reruns a single seed given as
 * {@code -Dbreaker.differential.seed=...}.
 */
class ResilienceDifferentialTest {

    /*
     * Implementation notes.
     *
     * A scenario is a configuration drawn from its own seed; the explorer then draws operations from the same
     * Random, adapting to the observed state (outcomes only for granted permits, clock moves aimed at the open
     * deadline), and applies each one to both breakers at once, comparing after every step. The operations are
     * kept as concrete values (durations, clock moves), so a divergent run can be replayed and shrunk: chunks of
     * operations, and permits together with an outcome, are dropped while the shortened run still diverges and
     * still answers only permits it was granted.
     *
     * Settings mapped between the two: our slowCallDuration off is Resilience4j's slowCallDurationThreshold of
     * 1000 days with slowCallRateThreshold 100 (no call is ever that slow); waits are whole milliseconds because
     * Resilience4j truncates the wait in open to milliseconds.
     */

    private static final long MASTER_SEED = Long.getLong("breaker.differential.masterSeed", 0x5EED_2024_0240L);
    private static final int SCENARIOS = Integer.getInteger("breaker.differential.scenarios", 10_000);
    private static final int OPERATIONS_PER_SCENARIO = Integer.getInteger("breaker.differential.operations", 250);
    private static final long MILLI = 1_000_000L;

    // ---------------------------------------------------------------------------------------------------------
    // The differential test.

    @Test
    void behavesLikeResilience4jForRandomConfigurationsAndCallSequences() {
        Random master = new Random(MASTER_SEED);
        Coverage coverage = new Coverage();
        long started = System.nanoTime();
        for (int i = 0; i < SCENARIOS; i++) {
            long seed = master.nextLong();
            explore(seed, OPERATIONS_PER_SCENARIO, coverage);
        }
        long elapsedMillis = (System.nanoTime() - started) / MILLI;
        System.out.printf("ResilienceDifferentialTest: %d scenarios, %d steps in %d ms; %s%n",
                coverage.scenarios, coverage.steps, elapsedMillis, coverage);

        // The generator must reach every corner the requirement names, or agreement would prove little.
        int atLeast = Math.max(1, SCENARIOS / 100);
        assertThat(coverage.transitions).as("transitions seen").containsKeys(
                "CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED", "HALF_OPEN->OPEN");
        coverage.transitions.forEach((transition, count) -> assertReached(transition, count, atLeast));
        assertReached("trips with minimum calls clamped to the window", coverage.clampedMinimumCallTrips, atLeast);
        assertReached("trips with a rate exactly at its threshold", coverage.tripsAtExactThreshold, atLeast);
        assertReached("calls exactly as long as the slow-call duration", coverage.callsExactlyAtSlowThreshold,
                atLeast);
        assertReached("acquires exactly at the end of the wait", coverage.acquiresAtDeadline, atLeast);
        assertReached("acquires 1 ns after the end of the wait", coverage.acquiresJustAfterDeadline, atLeast);
        assertReached("outcomes arriving while open", coverage.outcomesWhileOpen, atLeast);
        assertReached("half-open verdicts reached with fewer outcomes than trial calls",
                coverage.halfOpenVerdictsBelowHalfOpenCalls, atLeast);
        assertReached("ignored errors in half-open", coverage.ignoredInHalfOpen, atLeast);
        assertReached("errors neither recorded nor ignored", coverage.unlistedErrors, atLeast);
        assertReached("transitions with permits outstanding", coverage.outstandingAtTransition, atLeast);
        assertReached("outcomes in half-open for permits granted before it",
                coverage.halfOpenOutcomesOfEarlierPermits, atLeast);
        assertReached("time-window scenarios", coverage.timeWindowScenarios, atLeast);
        assertReached("time-window trips by its thresholds", coverage.timeWindowTrips, atLeast);
        assertReached("time-window outcomes leaving their bucket", coverage.timeWindowBucketsLeft, atLeast);
    }

    private static void assertReached(String what, long count, int atLeast) {
        assertThat(count).as(what).isGreaterThanOrEqualTo(atLeast);
    }

    /**
     * Runs one long scenario; rerun one printed by a failure with {@code -Dbreaker.differential.seed=-123}.
     */
    @Test
    void replaysOneScenario() {
        explore(Long.decode(System.getProperty("breaker.differential.seed", "20261123")), 20 * OPERATIONS_PER_SCENARIO,
                new Coverage());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Named cases: each step is still checked against Resilience4j; the extra assertions spell out the rule.

    @Test
    void minimumCallsAreClampedToTheWindowSize() {
        // A window of 4 calls with 10 minimum calls evaluates once 4 calls are buffered.
        Pair pair = new Pair(scenario(4, 10, 50f).build());
        pair.call(new Succeed(0));
        pair.call(new Succeed(0));
        assertThat(pair.call(new Fail(0, Kind.RECORDED, false)).failureRate()).isEqualTo(-1f);
        Observation fourth = pair.call(new Fail(0, Kind.RECORDED, false));
        assertThat(fourth.failureRate()).isEqualTo(50f);
        assertThat(fourth.state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void ratesTripAtExactlyTheThreshold() {
        float oneInThree = 1 * 100.0f / 3;
        Pair exact = new Pair(scenario(3, 3, oneInThree).build());
        exact.call(new Succeed(0));
        exact.call(new Succeed(0));
        assertThat(exact.call(new Fail(0, Kind.RECORDED, false)).state()).isEqualTo(CircuitState.OPEN);

        Pair justAbove = new Pair(scenario(3, 3, Math.nextUp(oneInThree)).build());
        justAbove.call(new Succeed(0));
        justAbove.call(new Succeed(0));
        assertThat(justAbove.call(new Fail(0, Kind.RECORDED, false)).state()).isEqualTo(CircuitState.CLOSED);

        // 2 of 3 is 66.666664f, just below the 66.66667f a person might write down.
        Pair twoInThree = new Pair(scenario(3, 3, 66.66667f).build());
        twoInThree.call(new Succeed(0));
        twoInThree.call(new Fail(0, Kind.RECORDED, false));
        assertThat(twoInThree.call(new Fail(0, Kind.RECORDED, false)).state()).isEqualTo(CircuitState.CLOSED);

        // The slow-call rate counts failed slow calls too: S, S(slow), F, F(slow) is 50 % slow, below 75 %;
        // one more slow success pushes out the first call and makes it 75 %.
        Pair slowExact = new Pair(scenario(4, 4, 100f).slowCalls(MILLI, 75f).build());
        slowExact.call(new Succeed(0));
        slowExact.call(new Succeed(MILLI + 1));
        slowExact.call(new Fail(0, Kind.RECORDED, false));
        assertThat(slowExact.call(new Fail(2 * MILLI, Kind.RECORDED, false)).state()).isEqualTo(CircuitState.CLOSED);
        assertThat(slowExact.call(new Succeed(3 * MILLI)).state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void aCallIsSlowOnlyWhenStrictlyLongerThanTheSlowCallDuration() {
        Pair pair = new Pair(scenario(1, 1, 100f).slowCalls(10 * MILLI, 100f).build());
        Observation exactly = pair.call(new Succeed(10 * MILLI));
        assertThat(exactly.slow()).isZero();
        assertThat(exactly.state()).isEqualTo(CircuitState.CLOSED);
        Observation longer = pair.call(new Succeed(10 * MILLI + 1));
        assertThat(longer.slow()).isEqualTo(1);
        assertThat(longer.state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void openTurnsHalfOpenOnTheFirstAcquireAfterTheWaitHasStrictlyPassed() {
        Pair pair = new Pair(scenario(1, 1, 50f).halfOpenCalls(1).waitInOpenMillis(20).build());
        pair.call(new Fail(0, Kind.RECORDED, false));
        pair.check(new Advance(20 * MILLI));
        Observation atDeadline = pair.check(new Acquire());
        assertThat(atDeadline.permitted()).isFalse();
        assertThat(atDeadline.state()).isEqualTo(CircuitState.OPEN);
        pair.check(new Advance(1));
        Observation justAfter = pair.check(new Acquire());
        assertThat(justAfter.permitted()).isTrue();
        assertThat(justAfter.state()).isEqualTo(CircuitState.HALF_OPEN);
        // The transition took the only trial permit.
        assertThat(pair.check(new Acquire()).permitted()).isFalse();
    }

    @Test
    void halfOpenVerdictIsTakenOverTheMinimumCallsWhenThatIsBelowTheTrialCalls() {
        Pair opens = new Pair(scenario(10, 2, 50f).halfOpenCalls(4).waitInOpenMillis(1).build());
        tripAndHalfOpen(opens, 4);
        opens.check(new Fail(0, Kind.RECORDED, false));
        assertThat(opens.check(new Succeed(0)).state()).isEqualTo(CircuitState.OPEN);

        Pair closes = new Pair(scenario(10, 2, 50f).halfOpenCalls(4).waitInOpenMillis(1).build());
        tripAndHalfOpen(closes, 4);
        closes.check(new Succeed(0));
        assertThat(closes.check(new Succeed(0)).state()).isEqualTo(CircuitState.CLOSED);
        // The two trial calls still outstanding report into the new closed window.
        closes.check(new Fail(0, Kind.RECORDED, false));
        assertThat(closes.check(new Fail(0, Kind.RECORDED, false)).state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void theTrialClampsTheMinimumCallsToTheTrialCallsNotToTheWindowSize() {
        // The closed window of 1 evaluates every call (2 minimum calls clamped to 1); the trial of 4 calls
        // evaluates after 2 outcomes.
        Pair pair = new Pair(scenario(1, 2, 25f).halfOpenCalls(4).waitInOpenMillis(1).build());
        tripAndHalfOpen(pair, 2);
        Observation first = pair.check(new Fail(0, Kind.RECORDED, false));
        assertThat(first.state()).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(first.failureRate()).isEqualTo(-1f);
        assertThat(pair.check(new Succeed(0)).state()).isEqualTo(CircuitState.OPEN);

        // That is Resilience4j configured with separate setters, as its Spring Boot properties do. Its shorthand
        // slidingWindow(1, 2, COUNT_BASED) stores the minimum already clamped to the window (1), so its trial
        // decides on the first outcome: not the equivalent of our settings.
        FakeTicker ticker = new FakeTicker();
        CircuitBreaker shorthand = CircuitBreaker.of("shorthand", CircuitBreakerConfig
                .from(pair.scenario.theirs(ticker))
                .slidingWindow(1, 2, SlidingWindowType.COUNT_BASED)
                .build());
        shorthand.onError(0, TimeUnit.NANOSECONDS, Kind.RECORDED.error);
        ticker.advance(Duration.ofMillis(1).plusNanos(1));
        assertThat(shorthand.tryAcquirePermission()).isTrue();
        shorthand.onError(0, TimeUnit.NANOSECONDS, Kind.RECORDED.error);
        assertThat(shorthand.getState()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void anIgnoredErrorGivesBackAHalfOpenPermitEvenForACallAdmittedWhileClosed() {
        Pair pair = new Pair(scenario(2, 2, 50f).halfOpenCalls(1).errors(Errors.IGNORE_ONE).build());
        for (int i = 0; i < 4; i++) {
            pair.check(new Acquire());
        }
        pair.check(new Fail(0, Kind.RECORDED, false));
        assertThat(pair.check(new Fail(0, Kind.RECORDED, false)).state()).isEqualTo(CircuitState.OPEN);
        pair.check(new Advance(pair.scenario.waitInOpenMillis() * MILLI + 1));
        assertThat(pair.check(new Acquire()).state()).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(pair.check(new Acquire()).permitted()).isFalse();
        // The two calls admitted while closed end with ignored errors: each hands a permit to the trial.
        pair.check(new Fail(0, Kind.IGNORED, false));
        assertThat(pair.check(new Acquire()).permitted()).isTrue();
        pair.check(new Fail(0, Kind.IGNORED, true));
        assertThat(pair.check(new Acquire()).permitted()).isTrue();
        assertThat(pair.check(new Acquire()).permitted()).isFalse();
        assertThat(pair.check(new Succeed(0)).state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void anErrorNeitherRecordedNorIgnoredCountsAsASuccess() {
        Pair pair = new Pair(scenario(2, 2, 50f).errors(Errors.RECORD_ONE_IGNORE_ONE).build());
        pair.call(new Fail(0, Kind.UNLISTED, false));
        Observation second = pair.call(new Fail(0, Kind.UNLISTED, true));
        assertThat(second.failed()).isZero();
        assertThat(second.buffered()).isEqualTo(2);
        assertThat(second.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(pair.call(new Fail(0, Kind.RECORDED, false)).state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void outcomesArrivingWhileOpenAreRecordedIntoTheWindowThatOpened() {
        Pair pair = new Pair(scenario(3, 2, 50f).build());
        for (int i = 0; i < 4; i++) {
            pair.check(new Acquire());
        }
        pair.check(new Fail(0, Kind.RECORDED, false));
        assertThat(pair.check(new Fail(0, Kind.RECORDED, false)).state()).isEqualTo(CircuitState.OPEN);
        pair.check(new Succeed(0));
        Observation last = pair.check(new Succeed(0));
        assertThat(last.state()).isEqualTo(CircuitState.OPEN);
        assertThat(last.buffered()).isEqualTo(3);
        assertThat(last.failed()).isEqualTo(1);
    }

    /** Trips a breaker whose window evaluates at 2 failures or fewer, waits out the open state, takes permits. */
    private static void tripAndHalfOpen(Pair pair, int permits) {
        while (pair.theirs.getState() != CircuitBreaker.State.OPEN) {
            pair.call(new Fail(0, Kind.RECORDED, false));
        }
        pair.check(new Advance(pair.scenario.waitInOpenMillis() * MILLI + 1));
        for (int i = 0; i < permits; i++) {
            assertThat(pair.check(new Acquire()).permitted()).isTrue();
        }
        assertThat(pair.theirs.getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Scenarios.

    /** How errors are classified, configured alike on both sides. */
    enum Errors {
        /** Every error is a failure. */
        RECORD_ALL,
        /** {@link IgnoredError} is ignored, every other error is a failure. */
        IGNORE_ONE,
        /** Only {@link RecordedError} is a failure, every other error a success. */
        RECORD_ONE,
        /** {@link IgnoredError} is ignored, {@link RecordedError} is a failure, every other error a success. */
        RECORD_ONE_IGNORE_ONE;

        boolean ignores() {
            return this == IGNORE_ONE || this == RECORD_ONE_IGNORE_ONE;
        }

        boolean recordsOnlyOne() {
            return this == RECORD_ONE || this == RECORD_ONE_IGNORE_ONE;
        }
    }

    /**
     * One configuration of both breakers.
     *
     * @param slowCallNanos the slow-call duration, or 0 for slow-call detection off
     */
    record Scenario(long seed, int windowSize, int minimumCalls, float failureRateThreshold,
                    float slowCallRateThreshold, long slowCallNanos, int halfOpenCalls, long waitInOpenMillis,
                    Errors errors, boolean timeWindow) {

        static Scenario random(long seed, Random random) {
            boolean slowCalls = random.nextInt(3) != 0;
            long slowCallNanos = !slowCalls ? 0 : switch (random.nextInt(4)) {
                case 0 -> 1 + random.nextInt(3);
                case 1 -> MILLI;
                default -> 1 + (long) random.nextInt(5 * (int) MILLI);
            };
            Scenario scenario = new Scenario(seed, 1 + random.nextInt(20), 1 + random.nextInt(30), threshold(random),
                    threshold(random), slowCallNanos, 1 + random.nextInt(5), 1 + random.nextInt(50),
                    Errors.values()[random.nextInt(Errors.values().length)], false);
            // Drawn last, so that the count scenarios of every seed are the ones drawn before time windows existed.
            boolean timeWindow = random.nextInt(10) < 3;
            return timeWindow ? scenario.withTimeWindow() : scenario;
        }

        /** The same scenario with a time window of {@code windowSize} seconds in one-second buckets. */
        Scenario withTimeWindow() {
            return new Scenario(seed, windowSize, minimumCalls, failureRateThreshold, slowCallRateThreshold,
                    slowCallNanos, halfOpenCalls, waitInOpenMillis, errors, true);
        }

        /** A rate threshold, often exactly a rate a small window can reach, so float boundaries are hit. */
        private static float threshold(Random random) {
            return switch (random.nextInt(6)) {
                case 0 -> new float[] {50f, 33.333332f, 25f, 66.66667f, 66.666664f, 100f, 1f}[random.nextInt(7)];
                case 1, 2, 3 -> {
                    int calls = 1 + random.nextInt(20);
                    yield (1 + random.nextInt(calls)) * 100.0f / calls;
                }
                case 4 -> Math.nextUp((1 + random.nextInt(4)) * 100.0f / (5 + random.nextInt(5)));
                default -> Math.max(Math.ulp(0f), Math.min(100f, random.nextFloat() * 100f));
            };
        }

        BreakerConfig ours(FakeTicker ticker) {
            BreakerConfig.Builder builder = BreakerConfig.builder()
                    .ticker(ticker)
                    .clock(ticker.clock())
                    .minimumCalls(minimumCalls)
                    .failureRateThreshold(failureRateThreshold)
                    .slowCallRateThreshold(slowCallRateThreshold)
                    .halfOpenCalls(halfOpenCalls)
                    .waitInOpen(Duration.ofMillis(waitInOpenMillis));
            if (timeWindow) {
                builder.timeWindow(Duration.ofSeconds(windowSize), windowSize);
            } else {
                builder.countWindow(windowSize);
            }
            if (slowCallNanos > 0) {
                builder.slowCallDuration(Duration.ofNanos(slowCallNanos));
            }
            if (errors.ignores()) {
                builder.ignoreExceptions(IgnoredError.class);
            }
            if (errors.recordsOnlyOne()) {
                builder.recordExceptions(RecordedError.class);
            }
            return builder.build();
        }

        CircuitBreakerConfig theirs(FakeTicker ticker) {
            CircuitBreakerConfig.Builder builder = CircuitBreakerConfig.custom()
                    .clock(ticker.clock())
                    .slidingWindowType(timeWindow ? SlidingWindowType.TIME_BASED : SlidingWindowType.COUNT_BASED)
                    .slidingWindowSize(windowSize)
                    .minimumNumberOfCalls(minimumCalls)
                    .failureRateThreshold(failureRateThreshold)
                    .slowCallRateThreshold(slowCallNanos > 0 ? slowCallRateThreshold : 100f)
                    .slowCallDurationThreshold(slowCallNanos > 0 ? Duration.ofNanos(slowCallNanos)
                            : Duration.ofDays(1000))
                    .permittedNumberOfCallsInHalfOpenState(halfOpenCalls)
                    .waitDurationInOpenState(Duration.ofMillis(waitInOpenMillis))
                    .automaticTransitionFromOpenToHalfOpenEnabled(false);
            if (errors.ignores()) {
                builder.ignoreExceptions(IgnoredError.class);
            }
            if (errors.recordsOnlyOne()) {
                builder.recordExceptions(RecordedError.class);
            }
            return builder.build();
        }

        @Override
        public String toString() {
            return "Scenario{seed=" + seed + (timeWindow ? ", timeWindow=" + windowSize + "s" : ", countWindow="
                    + windowSize) + ", minimumCalls=" + minimumCalls
                    + ", failureRateThreshold=" + failureRateThreshold + "f"
                    + ", slowCallRateThreshold=" + slowCallRateThreshold + "f"
                    + ", slowCallDuration=" + (slowCallNanos > 0 ? slowCallNanos + "ns" : "off")
                    + ", halfOpenCalls=" + halfOpenCalls + ", waitInOpen=" + waitInOpenMillis + "ms"
                    + ", errors=" + errors + '}';
        }
    }

    private static ScenarioBuilder scenario(int windowSize, int minimumCalls, float failureRateThreshold) {
        return new ScenarioBuilder(windowSize, minimumCalls, failureRateThreshold);
    }

    private static final class ScenarioBuilder {
        private final int windowSize;
        private final int minimumCalls;
        private final float failureRateThreshold;
        private float slowCallRateThreshold = 100f;
        private long slowCallNanos;
        private int halfOpenCalls = 3;
        private long waitInOpenMillis = 10;
        private Errors errors = Errors.RECORD_ALL;

        ScenarioBuilder(int windowSize, int minimumCalls, float failureRateThreshold) {
            this.windowSize = windowSize;
            this.minimumCalls = minimumCalls;
            this.failureRateThreshold = failureRateThreshold;
        }

        ScenarioBuilder slowCalls(long durationNanos, float rateThreshold) {
            this.slowCallNanos = durationNanos;
            this.slowCallRateThreshold = rateThreshold;
            return this;
        }

        ScenarioBuilder halfOpenCalls(int calls) {
            this.halfOpenCalls = calls;
            return this;
        }

        ScenarioBuilder waitInOpenMillis(long millis) {
            this.waitInOpenMillis = millis;
            return this;
        }

        ScenarioBuilder errors(Errors classification) {
            this.errors = classification;
            return this;
        }

        Scenario build() {
            return new Scenario(0, windowSize, minimumCalls, failureRateThreshold, slowCallRateThreshold,
                    slowCallNanos, halfOpenCalls, waitInOpenMillis, errors, false);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Operations.

    static final class RecordedError extends RuntimeException {
        RecordedError() {
            super("recorded", null, false, false);
        }
    }

    static final class IgnoredError extends RuntimeException {
        IgnoredError() {
            super("ignored", null, false, false);
        }
    }

    static final class UnlistedError extends RuntimeException {
        UnlistedError() {
            super("neither recorded nor ignored", null, false, false);
        }
    }

    enum Kind {
        RECORDED(new RecordedError()), IGNORED(new IgnoredError()), UNLISTED(new UnlistedError());

        final RuntimeException error;
        final CompletionException wrapped;

        Kind(RuntimeException error) {
            this.error = error;
            this.wrapped = new CompletionException(error);
        }
    }

    sealed interface Op permits Acquire, Succeed, Fail, Release, Advance {
    }

    record Acquire() implements Op {
        @Override
        public String toString() {
            return "tryAcquire()";
        }
    }

    record Succeed(long nanos) implements Op {
        @Override
        public String toString() {
            return "onSuccess(" + nanos + "ns)";
        }
    }

    record Fail(long nanos, Kind kind, boolean wrapped) implements Op {
        @Override
        public String toString() {
            return "onFailure(" + nanos + "ns, " + (wrapped ? "CompletionException(" + kind + ")" : kind) + ")";
        }
    }

    record Release() implements Op {
        @Override
        public String toString() {
            return "release()";
        }
    }

    record Advance(long nanos) implements Op {
        @Override
        public String toString() {
            return "advance(" + nanos + "ns)";
        }
    }

    /** What one side shows after a step; {@code permitted} is null for steps that are not acquires. */
    record Observation(Boolean permitted, CircuitState state, float failureRate, float slowCallRate, long buffered,
                       long failed, long slow) {
        @Override
        public String toString() {
            return (permitted == null ? "" : "permitted=" + permitted + " ") + state + " failureRate=" + failureRate
                    + " slowCallRate=" + slowCallRate + " buffered=" + buffered + " failed=" + failed
                    + " slow=" + slow;
        }
    }

    record Step(Op op, Observation ours, Observation theirs) {
        boolean diverged() {
            return !ours.equals(theirs);
        }
    }

    /** Our breaker and Resilience4j's, configured alike on one fake clock. */
    static final class Pair {
        final Scenario scenario;
        final FakeTicker ticker = new FakeTicker();
        final Breaker ours;
        final CircuitBreaker theirs;
        /** Permits granted (by Resilience4j, which agrees with ours up to a divergence) and not yet answered. */
        int outstanding;
        /** Whether an outcome or release was applied without an outstanding permit. */
        boolean protocolBroken;
        private final List<Step> history = new ArrayList<>();

        Pair(Scenario scenario) {
            this.scenario = scenario;
            this.ours = Breaker.of("differential", scenario.ours(ticker));
            this.theirs = CircuitBreaker.of("differential", scenario.theirs(ticker));
        }

        Step apply(Op op) {
            Boolean ourPermit = null;
            Boolean theirPermit = null;
            if (op instanceof Acquire) {
                ourPermit = ours.tryAcquire();
                theirPermit = theirs.tryAcquirePermission();
                if (theirPermit) {
                    outstanding++;
                }
            } else if (op instanceof Advance advance) {
                ticker.advanceNanos(advance.nanos());
            } else {
                if (outstanding == 0) {
                    protocolBroken = true;
                } else {
                    outstanding--;
                }
                if (op instanceof Succeed success) {
                    ours.onSuccess(success.nanos());
                    theirs.onSuccess(success.nanos(), TimeUnit.NANOSECONDS);
                } else if (op instanceof Fail failure) {
                    Throwable error = failure.wrapped() ? failure.kind().wrapped : failure.kind().error;
                    ours.onFailure(failure.nanos(), error);
                    theirs.onError(failure.nanos(), TimeUnit.NANOSECONDS, error);
                } else {
                    ours.release();
                    theirs.releasePermission();
                }
            }
            Step step = new Step(op, observeOurs(ourPermit), observeTheirs(theirPermit));
            history.add(step);
            return step;
        }

        /** Acquires (which must be permitted) and applies {@code outcome}, checking both steps. */
        Observation call(Op outcome) {
            assertThat(check(new Acquire()).permitted()).as("permitted").isTrue();
            return check(outcome);
        }

        /** Applies {@code op} and asserts that both sides show the same; returns what they show. */
        Observation check(Op op) {
            Step step = apply(op);
            if (step.diverged()) {
                fail("Diverged from Resilience4j 2.4.0 on " + scenario + "\n" + format(history, history.size()));
            }
            return step.theirs();
        }

        private Observation observeOurs(Boolean permitted) {
            BreakerMetrics metrics = ours.metrics();
            return new Observation(permitted, ours.state(), metrics.failureRate(), metrics.slowCallRate(),
                    metrics.bufferedCalls(), metrics.failedCalls(), metrics.slowCalls());
        }

        private Observation observeTheirs(Boolean permitted) {
            CircuitBreaker.Metrics metrics = theirs.getMetrics();
            return new Observation(permitted, CircuitState.valueOf(theirs.getState().name()),
                    metrics.getFailureRate(), metrics.getSlowCallRate(), metrics.getNumberOfBufferedCalls(),
                    metrics.getNumberOfFailedCalls(), metrics.getNumberOfSlowCalls());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Exploring, replaying and shrinking.

    /** Runs one random scenario; on a divergence, fails with a shrunk reproduction. */
    private static void explore(long seed, int operations, Coverage coverage) {
        Random random = new Random(seed);
        Scenario scenario = Scenario.random(seed, random);
        Explorer explorer = new Explorer(scenario, random, coverage);
        boolean agreed = explorer.run(operations);
        coverage.scenarios++;
        if (scenario.timeWindow()) {
            coverage.timeWindowScenarios++;
        }
        if (!agreed) {
            failWithReproduction(scenario, explorer.ops);
        }
    }

    private static void failWithReproduction(Scenario scenario, List<Op> ops) {
        List<Op> shrunk = shrink(scenario, ops);
        Pair pair = replay(scenario, shrunk);
        fail("Diverged from Resilience4j 2.4.0 on " + scenario + " after " + ops.size()
                + " random steps (rerun with -Dbreaker.differential.seed=" + scenario.seed() + "); shrunk to "
                + shrunk.size() + ":\n" + format(pair.history, pair.history.size()));
    }

    /** Applies {@code ops} until the first divergence. */
    private static Pair replay(Scenario scenario, List<Op> ops) {
        Pair pair = new Pair(scenario);
        for (Op op : ops) {
            if (pair.apply(op).diverged()) {
                break;
            }
        }
        return pair;
    }

    private static boolean reproduces(Scenario scenario, List<Op> ops) {
        Pair pair = replay(scenario, ops);
        return !pair.protocolBroken && !pair.history.isEmpty()
                && pair.history.get(pair.history.size() - 1).diverged();
    }

    /**
     * Drops chunks of operations, single ones, and permits together with an outcome that answers them, for as
     * long as the run still diverges and answers only permits it was granted.
     */
    private static List<Op> shrink(Scenario scenario, List<Op> ops) {
        List<Op> best = divergentPrefix(scenario, ops);
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int chunk = Math.max(1, best.size() / 2); chunk >= 1; chunk /= 2) {
                int from = 0;
                while (from + chunk <= best.size()) {
                    List<Op> candidate = new ArrayList<>(best.subList(0, from));
                    candidate.addAll(best.subList(from + chunk, best.size()));
                    if (reproduces(scenario, candidate)) {
                        best = divergentPrefix(scenario, candidate);
                        progress = true;
                    } else {
                        from++;
                    }
                }
            }
            for (int acquire = 0; acquire < best.size(); acquire++) {
                if (!(best.get(acquire) instanceof Acquire)) {
                    continue;
                }
                for (int answer = acquire + 1; answer < best.size(); answer++) {
                    Op op = best.get(answer);
                    if (op instanceof Acquire || op instanceof Advance) {
                        continue;
                    }
                    List<Op> candidate = new ArrayList<>(best);
                    candidate.remove(answer);
                    candidate.remove(acquire);
                    if (reproduces(scenario, candidate)) {
                        best = divergentPrefix(scenario, candidate);
                        progress = true;
                        break;
                    }
                }
            }
        }
        List<Op> merged = mergeAdvances(best);
        return reproduces(scenario, merged) ? merged : best;
    }

    private static List<Op> divergentPrefix(Scenario scenario, List<Op> ops) {
        return new ArrayList<>(replay(scenario, ops).history.stream().map(Step::op).toList());
    }

    private static List<Op> mergeAdvances(List<Op> ops) {
        List<Op> merged = new ArrayList<>();
        for (Op op : ops) {
            if (op instanceof Advance next && !merged.isEmpty()
                    && merged.get(merged.size() - 1) instanceof Advance previous) {
                merged.set(merged.size() - 1, new Advance(previous.nanos() + next.nanos()));
            } else {
                merged.add(op);
            }
        }
        return merged;
    }

    private static String format(List<Step> steps, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            Step step = steps.get(i);
            text.append(String.format("  %3d. %-48s", i + 1, step.op()));
            if (step.diverged()) {
                text.append("ours:   ").append(step.ours()).append('\n')
                        .append(String.format("       %-48s", "")).append("theirs: ").append(step.theirs());
            } else {
                text.append("both:   ").append(step.theirs());
            }
            text.append('\n');
        }
        return text.toString();
    }

    /** Draws operations from the scenario's Random, adapting to the state, and applies them as it goes. */
    private static final class Explorer {
        private final Scenario scenario;
        private final Random random;
        private final Coverage coverage;
        private final Pair pair;
        final List<Op> ops = new ArrayList<>();
        private long openedAt = -1;
        private int halfOpenOutcomes;
        /** The state stay (counted in transitions) that granted each outstanding permit, oldest first. */
        private final ArrayDeque<Integer> permitStays = new ArrayDeque<>();
        private int stay;

        Explorer(Scenario scenario, Random random, Coverage coverage) {
            this.scenario = scenario;
            this.random = random;
            this.coverage = coverage;
            this.pair = new Pair(scenario);
        }

        /** Returns false at the first divergence. */
        boolean run(int operations) {
            while (ops.size() < operations) {
                int pattern = random.nextInt(100);
                boolean agreed;
                if (pattern < 40) {
                    agreed = singleCall();
                } else if (pattern < 60) {
                    agreed = burst(2 + random.nextInt(6));
                } else if (pattern < 70) {
                    agreed = apply(new Acquire());
                } else if (pattern < 80) {
                    agreed = pair.outstanding == 0 || apply(outcome());
                } else if (pattern < 97) {
                    agreed = apply(new Advance(advance()));
                } else {
                    agreed = pair.outstanding == 0 || apply(new Release());
                }
                if (!agreed) {
                    return false;
                }
            }
            return true;
        }

        private boolean singleCall() {
            if (!apply(new Acquire())) {
                return false;
            }
            return !pair.history.get(pair.history.size() - 1).theirs().permitted() || apply(outcome());
        }

        /** Several acquires, then an outcome for each permit granted, with the clock moving in between. */
        private boolean burst(int calls) {
            for (int i = 0; i < calls; i++) {
                if (!apply(new Acquire())) {
                    return false;
                }
            }
            int answers = Math.min(calls, pair.outstanding);
            for (int i = 0; i < answers; i++) {
                if (random.nextInt(5) == 0 && !apply(new Advance(advance()))) {
                    return false;
                }
                if (!apply(random.nextInt(30) == 0 ? new Release() : outcome())) {
                    return false;
                }
            }
            return true;
        }

        private Op outcome() {
            long nanos = duration();
            int kind = random.nextInt(100);
            if (kind < 45) {
                return new Succeed(nanos);
            }
            Kind error = kind < 75 ? Kind.RECORDED : kind < 88 ? Kind.IGNORED : Kind.UNLISTED;
            return new Fail(nanos, error, random.nextInt(8) == 0);
        }

        private long duration() {
            long slow = scenario.slowCallNanos();
            if (slow == 0) {
                return random.nextInt(10) == 0 ? Duration.ofSeconds(30).toNanos() : random.nextInt(5 * (int) MILLI);
            }
            return switch (random.nextInt(8)) {
                case 0 -> slow - 1;
                case 1, 2 -> slow;
                case 3 -> slow + 1;
                case 4 -> 0;
                case 5 -> slow * 3;
                default -> (long) (random.nextDouble() * 2 * slow);
            };
        }

        private long advance() {
            long now = pair.ticker.read();
            long wait = scenario.waitInOpenMillis() * MILLI;
            if (pair.theirs.getState() == CircuitBreaker.State.OPEN && random.nextInt(4) != 0) {
                long deadline = openedAt + wait;
                long target = switch (random.nextInt(6)) {
                    case 0 -> deadline - 1;
                    case 1, 2 -> deadline;
                    case 3 -> deadline + 1;
                    case 4 -> deadline + MILLI;
                    default -> deadline - MILLI;
                };
                if (target > now) {
                    return target - now;
                }
            }
            if (scenario.timeWindow() && random.nextInt(4) == 0) {
                // Move across buckets: whole seconds, a little under or over, or to just before the next second.
                long second = 1_000_000_000L;
                return switch (random.nextInt(4)) {
                    case 0 -> second * (1 + random.nextInt(scenario.windowSize() + 2));
                    case 1 -> second - 1;
                    case 2 -> second - Math.floorMod(now, second);
                    default -> (long) (random.nextDouble() * 3 * second);
                };
            }
            return switch (random.nextInt(6)) {
                case 0 -> 1;
                case 1 -> 1 + random.nextInt((int) MILLI);
                case 2 -> MILLI * (1 + random.nextInt((int) scenario.waitInOpenMillis()));
                case 3 -> wait;
                case 4 -> wait + 1;
                default -> wait + MILLI;
            };
        }

        private boolean apply(Op op) {
            CircuitBreaker.State before = pair.theirs.getState();
            int outstandingBefore = pair.outstanding;
            long now = pair.ticker.read();
            if (op instanceof Acquire && before == CircuitBreaker.State.OPEN) {
                long deadline = openedAt + scenario.waitInOpenMillis() * MILLI;
                if (now == deadline) {
                    coverage.acquiresAtDeadline++;
                } else if (now == deadline + 1) {
                    coverage.acquiresJustAfterDeadline++;
                }
            }
            if (op instanceof Succeed || op instanceof Fail) {
                long nanos = op instanceof Succeed success ? success.nanos() : ((Fail) op).nanos();
                if (scenario.slowCallNanos() > 0 && nanos == scenario.slowCallNanos()) {
                    coverage.callsExactlyAtSlowThreshold++;
                }
                if (before == CircuitBreaker.State.OPEN) {
                    coverage.outcomesWhileOpen++;
                }
                if (op instanceof Fail failure) {
                    if (failure.kind() == Kind.IGNORED && before == CircuitBreaker.State.HALF_OPEN) {
                        coverage.ignoredInHalfOpen++;
                    }
                    if (failure.kind() == Kind.UNLISTED && scenario.errors().recordsOnlyOne()) {
                        coverage.unlistedErrors++;
                    }
                }
            }

            if ((op instanceof Succeed || op instanceof Fail || op instanceof Release) && !permitStays.isEmpty()
                    && permitStays.poll() != stay && before == CircuitBreaker.State.HALF_OPEN) {
                coverage.halfOpenOutcomesOfEarlierPermits++;
            }

            ops.add(op);
            long bufferedBefore = pair.history.isEmpty() ? 0 : pair.history.get(pair.history.size() - 1).theirs()
                    .buffered();
            Step step = pair.apply(op);
            coverage.steps++;
            if (scenario.timeWindow() && op instanceof Advance && step.theirs().buffered() < bufferedBefore) {
                coverage.timeWindowBucketsLeft++;
            }
            if (step.diverged()) {
                return false;
            }

            CircuitBreaker.State after = pair.theirs.getState();
            if (after != before) {
                stay++;
            }
            if (op instanceof Acquire && step.theirs().permitted()) {
                permitStays.add(stay);
            }
            if (before == CircuitBreaker.State.HALF_OPEN
                    && (op instanceof Succeed || (op instanceof Fail f && isRecorded(f)))) {
                halfOpenOutcomes++;
            }
            if (after != before) {
                coverage.transitions.merge(before + "->" + after, 1, Integer::sum);
                if (outstandingBefore > 1) {
                    coverage.outstandingAtTransition++;
                }
                if (before == CircuitBreaker.State.HALF_OPEN && halfOpenOutcomes < scenario.halfOpenCalls()) {
                    coverage.halfOpenVerdictsBelowHalfOpenCalls++;
                }
                if (after == CircuitBreaker.State.HALF_OPEN) {
                    halfOpenOutcomes = 0;
                }
                if (after == CircuitBreaker.State.OPEN) {
                    openedAt = pair.ticker.read();
                    if (before == CircuitBreaker.State.CLOSED) {
                        Observation tripped = step.theirs();
                        if (scenario.timeWindow()) {
                            coverage.timeWindowTrips++;
                        }
                        if (scenario.minimumCalls() > scenario.windowSize()
                                && tripped.buffered() < scenario.minimumCalls()) {
                            coverage.clampedMinimumCallTrips++;
                        }
                        if (tripped.failureRate() == scenario.failureRateThreshold()
                                || (scenario.slowCallNanos() > 0
                                && tripped.slowCallRate() == scenario.slowCallRateThreshold())) {
                            coverage.tripsAtExactThreshold++;
                        }
                    }
                }
            }
            return true;
        }

        private boolean isRecorded(Fail failure) {
            return failure.kind() != Kind.IGNORED || !scenario.errors().ignores();
        }
    }

    /** What the random runs reached, so that a degenerate generator fails the test instead of passing it. */
    private static final class Coverage {
        int scenarios;
        long steps;
        final Map<String, Integer> transitions = new TreeMap<>();
        int clampedMinimumCallTrips;
        int tripsAtExactThreshold;
        int callsExactlyAtSlowThreshold;
        int acquiresAtDeadline;
        int acquiresJustAfterDeadline;
        int outcomesWhileOpen;
        int halfOpenVerdictsBelowHalfOpenCalls;
        int ignoredInHalfOpen;
        int unlistedErrors;
        int outstandingAtTransition;
        int halfOpenOutcomesOfEarlierPermits;
        int timeWindowScenarios;
        int timeWindowTrips;
        long timeWindowBucketsLeft;

        @Override
        public String toString() {
            return "transitions=" + transitions + ", clampedMinimumCallTrips=" + clampedMinimumCallTrips
                    + ", tripsAtExactThreshold=" + tripsAtExactThreshold
                    + ", callsExactlyAtSlowThreshold=" + callsExactlyAtSlowThreshold
                    + ", acquiresAtDeadline=" + acquiresAtDeadline
                    + ", acquiresJustAfterDeadline=" + acquiresJustAfterDeadline
                    + ", outcomesWhileOpen=" + outcomesWhileOpen
                    + ", halfOpenVerdictsBelowHalfOpenCalls=" + halfOpenVerdictsBelowHalfOpenCalls
                    + ", ignoredInHalfOpen=" + ignoredInHalfOpen + ", unlistedErrors=" + unlistedErrors
                    + ", outstandingAtTransition=" + outstandingAtTransition
                    + ", halfOpenOutcomesOfEarlierPermits=" + halfOpenOutcomesOfEarlierPermits
                    + ", timeWindowScenarios=" + timeWindowScenarios + ", timeWindowTrips=" + timeWindowTrips
                    + ", timeWindowBucketsLeft=" + timeWindowBucketsLeft;
        }
    }
}
