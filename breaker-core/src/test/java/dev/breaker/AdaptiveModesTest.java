package dev.breaker;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.breaker.CircuitState.CLOSED;
import static dev.breaker.CircuitState.OPEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Adaptive thresholds: client-side throttling and learned baselines, on a fake ticker and seeded traces. */
class AdaptiveModesTest {

    private static final IOException DOWN = new IOException("down");
    private static final Duration BUCKET = Duration.ofSeconds(10);

    private final FakeTicker ticker = new FakeTicker();

    private BreakerConfig.Builder config() {
        return BreakerConfig.builder().ticker(ticker).clock(ticker.clock());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Throttle.

    @Test
    void throttle_requests100Accepts40_rejects198OfAThousandCalls() {
        Breaker breaker = Breaker.of("throttle", config().adaptiveThrottle(AdaptiveThrottle.defaults()).build());
        for (int i = 0; i < 100; i++) {
            long permit = breaker.acquirePermit();
            assertThat(Breaker.isPermitted(permit)).isTrue();
            if (i < 40) {
                breaker.recordSuccess(permit, 0);
            } else {
                breaker.recordFailure(permit, 0, DOWN);
            }
        }
        ticker.advanceNanos(1);

        int rejected = 0;
        for (int i = 0; i < 1_000; i++) {
            long permit = breaker.acquirePermit();
            if (Breaker.isPermitted(permit)) {
                breaker.release(permit);
            } else {
                rejected++;
                assertThat(breaker.rejection(permit).reason()).isEqualTo(RejectionReason.THROTTLED);
            }
        }

        assertThat(rejected).as("P = (100 - 2 x 40) / 101 = 0.198").isBetween(197, 199);
        assertThat(breaker.metrics().throttleRejectPercent()).isCloseTo(19.8f,
                org.assertj.core.data.Offset.offset(0.05f));
    }

    @Test
    void throttle_shedsAtMostMaxReject_andNeverOpensOnRates() {
        Breaker breaker = Breaker.of("degraded", config().countWindow(10).minimumCalls(10)
                .adaptiveThrottle(AdaptiveThrottle.defaults()).build());
        int admitted = 0;
        for (int millis = 0; millis < 20_000; millis++) {
            ticker.advance(Duration.ofMillis(1));
            long permit = breaker.acquirePermit();
            if (Breaker.isPermitted(permit)) {
                admitted++;
                breaker.recordFailure(permit, 0, DOWN);
            }
        }

        assertThat(breaker.state()).as("100 % failures, yet closed: the throttle sheds instead").isEqualTo(CLOSED);
        assertThat(breaker.metrics().throttleRejectPercent()).isCloseTo(80f, org.assertj.core.data.Offset.offset(0.5f));
        assertThat(admitted).as("at least a fifth still goes through").isGreaterThan(20_000 / 5 - 10);
    }

    @Test
    void throttle_shedsTheLeastImportantFirst() {
        Breaker breaker = Breaker.of("priorities", config().adaptiveThrottle(AdaptiveThrottle.defaults()).build());
        for (int i = 0; i < 100; i++) {
            long permit = breaker.acquirePermit();
            if (i < 40) {
                breaker.recordSuccess(permit, 0);
            } else {
                breaker.recordFailure(permit, 0, DOWN);
            }
        }
        ticker.advanceNanos(1);

        int[] rejected = new int[Priority.values().length];
        for (int i = 0; i < 1_000; i++) {
            for (Priority priority : Priority.values()) {
                long permit = Priority.get(priority, breaker::acquirePermit);
                if (Breaker.isPermitted(permit)) {
                    breaker.release(permit);
                } else {
                    rejected[priority.ordinal()]++;
                }
            }
        }

        assertThat(rejected[Priority.CRITICAL_PLUS.ordinal()]).isLessThan(rejected[Priority.CRITICAL.ordinal()]);
        assertThat(rejected[Priority.CRITICAL.ordinal()]).isBetween(197, 199);
        assertThat(rejected[Priority.SHEDDABLE_PLUS.ordinal()]).isGreaterThan(rejected[Priority.CRITICAL.ordinal()]);
        assertThat(rejected[Priority.SHEDDABLE.ordinal()]).as("1 - 0.802^3 = 48 %%").isBetween(482, 486);
    }

    @Test
    void throttleAndBaseline_areTwoModes_chooseOne() {
        assertThatThrownBy(() -> config().adaptiveThrottle(AdaptiveThrottle.defaults())
                .adaptiveBaseline(AdaptiveBaseline.defaults()).build())
                .hasMessage("adaptiveThrottle and adaptiveBaseline are two modes: choose one, was both");
        assertThatThrownBy(() -> config().adaptiveThrottle(AdaptiveThrottle.defaults().withK(0.5)).build())
                .hasMessage("adaptiveThrottle.k must be at least 1, was 0.5");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Baseline.

    /** A breaker whose static threshold (50 %) is a ceiling, learning a baseline over 10 s buckets. */
    private Breaker baselineBreaker(int warmUpBuckets) {
        return Breaker.of("baseline", config().countWindow(100).minimumCalls(20).failureRateThreshold(50)
                .adaptiveBaseline(AdaptiveBaseline.defaults().withWarmUp(warmUpBuckets)
                        .withFloors(5, Duration.ZERO)).build());
    }

    /** Plays one bucket of {@code calls} calls failing with probability {@code failureRate}; returns the state. */
    private CircuitState bucket(Breaker breaker, Random random, int calls, double failureRate) {
        long step = BUCKET.toNanos() / calls;
        for (int i = 0; i < calls; i++) {
            ticker.advanceNanos(step);
            long permit = breaker.acquirePermit();
            if (!Breaker.isPermitted(permit)) {
                continue;
            }
            if (random.nextDouble() < failureRate) {
                breaker.recordFailure(permit, 0, DOWN);
            } else {
                breaker.recordSuccess(permit, 0);
            }
        }
        return breaker.state();
    }

    @Test
    void baseline_stepFrom1To20PercentFailures_opensWithinThreeBuckets_withTheInputsInTheEvent() {
        Breaker breaker = baselineBreaker(30);
        List<BreakerEvent> thresholds = new CopyOnWriteArrayList<>();
        breaker.addListener(EnumSet.of(EventType.THRESHOLD_EXCEEDED), thresholds::add);
        Random random = new Random(11);
        for (int i = 0; i < 60; i++) {
            assertThat(bucket(breaker, random, 1_000, 0.01)).isEqualTo(CLOSED);
        }
        assertThat(breaker.metrics().baseline().warmedUp()).isTrue();

        int buckets = 0;
        while (bucket(breaker, random, 1_000, 0.20) == CLOSED && buckets < 10) {
            buckets++;
        }

        assertThat(breaker.state()).isEqualTo(OPEN);
        assertThat(buckets + 1).as("buckets at 20 %% until it opened (3 to confirm, +1 to close the third)")
                .isLessThanOrEqualTo(4);
        BreakerEvent.ThresholdExceeded exceeded = (BreakerEvent.ThresholdExceeded) thresholds.get(0);
        assertThat(exceeded.reason()).isEqualTo(TransitionReason.BASELINE_EXCEEDED);
        assertThat(exceeded.baseline()).isNotNull();
        assertThat(exceeded.baseline().signal()).isEqualTo("failure-rate");
        assertThat(exceeded.baseline().value()).isBetween(15.0, 25.0);
        assertThat(exceeded.baseline().mean()).isBetween(0.5, 2.0);
        assertThat(exceeded.baseline().z()).isEqualTo(3.0);
    }

    @Test
    void baseline_slowDriftFrom1To4PercentOverTwoHours_neverOpens() {
        Breaker breaker = baselineBreaker(30);
        Random random = new Random(12);
        int buckets = (int) (Duration.ofHours(2).toNanos() / BUCKET.toNanos());
        for (int i = 0; i < buckets; i++) {
            double rate = 0.01 + 0.03 * i / buckets;
            assertThat(bucket(breaker, random, 500, rate)).as("bucket %d at %.2f %%", i, rate * 100).isEqualTo(CLOSED);
        }
        assertThat(breaker.metrics().baseline().failureRateMean()).as("followed the drift").isBetween(3.0, 4.5);
    }

    @Test
    void baseline_duringWarmUp_theStaticThresholdsDecide() {
        Breaker breaker = baselineBreaker(30);
        Random random = new Random(13);
        for (int i = 0; i < 5; i++) {
            bucket(breaker, random, 1_000, 0.01);
        }

        assertThat(bucket(breaker, random, 1_000, 0.20)).as("20 %%: a deviation, but still warming up")
                .isEqualTo(CLOSED);
        assertThat(bucket(breaker, random, 1_000, 0.20)).isEqualTo(CLOSED);
        assertThat(bucket(breaker, random, 1_000, 0.20)).isEqualTo(CLOSED);
        assertThat(bucket(breaker, random, 1_000, 0.70)).as("70 %%: the static 50 %% threshold opens it")
                .isEqualTo(OPEN);
    }

    @Test
    void baseline_theLearnedMeanDoesNotMoveWhileOpen() {
        Breaker breaker = Breaker.of("frozen", config().countWindow(100).minimumCalls(20).failureRateThreshold(50)
                .waitInOpen(Duration.ofSeconds(30)).adaptiveBaseline(AdaptiveBaseline.defaults().withWarmUp(10)
                        .withFloors(5, Duration.ZERO)).build());
        Random random = new Random(14);
        for (int i = 0; i < 30; i++) {
            bucket(breaker, random, 1_000, 0.02);
        }
        while (bucket(breaker, random, 1_000, 0.90) != OPEN) {
            // an outage opens it by the static threshold
        }
        BaselineSnapshot before = breaker.metrics().baseline();

        for (int i = 0; i < 60; i++) {
            bucket(breaker, random, 1_000, 0.90);
        }

        BaselineSnapshot after = breaker.metrics().baseline();
        assertThat(after.failureRateMean()).isEqualTo(before.failureRateMean());
        assertThat(after.learnedBuckets()).isEqualTo(before.learnedBuckets());
        assertThat(after.failureRateMean()).isLessThan(3.0);
    }

    /**
     * The trace behind the README's figure: a dependency that normally fails 25-35 % of its calls. A fixed 30 %
     * threshold flaps; a baseline with a 90 % ceiling learns the normal and holds, and still opens for an incident.
     */
    @Test
    void noisyDependency_fixedThresholdFlaps_baselineHolds_andStillCatchesTheIncident() {
        Breaker fixed = Breaker.of("fixed", config().countWindow(100).minimumCalls(100).failureRateThreshold(30)
                .waitInOpen(Duration.ofSeconds(10)).build());
        Breaker learned = Breaker.of("learned", config().countWindow(100).minimumCalls(100).failureRateThreshold(90)
                .waitInOpen(Duration.ofSeconds(10)).adaptiveBaseline(AdaptiveBaseline.defaults()
                        .withFloors(5, Duration.ZERO)).build());
        Random fixedRandom = new Random(21);
        Random learnedRandom = new Random(21);
        List<String> rows = new ArrayList<>();
        long fixedBefore = 0;
        long learnedBefore = 0;
        for (int minute = 0; minute < 40; minute++) {
            for (int b = 0; b < 6; b++) {
                double rate = minute < 35 ? 0.30 + 0.05 * Math.sin((minute * 6 + b) * 0.7) : 0.70;
                bucket(fixed, fixedRandom, 300, rate);
                bucket(learned, learnedRandom, 300, rate);
            }
            if (minute % 5 == 4) {
                long fixedTransitions = fixed.metrics().stateTransitions();
                long learnedTransitions = learned.metrics().stateTransitions();
                rows.add(String.format("| %2d-%2d | %s | %d | %d |", minute - 3, minute + 1,
                        minute < 35 ? "25-35 %" : "70 %", fixedTransitions - fixedBefore,
                        learnedTransitions - learnedBefore));
                fixedBefore = fixedTransitions;
                learnedBefore = learnedTransitions;
            }
        }
        System.out.println("| minutes | failure rate | fixed 30 % threshold: transitions | baseline: transitions |");
        rows.forEach(System.out::println);

        long noisyFixed = rows.subList(1, 7).stream().mapToLong(row -> Long.parseLong(row.split("\\|")[3].trim())).sum();
        long noisyLearned = rows.subList(1, 7).stream().mapToLong(row -> Long.parseLong(row.split("\\|")[4].trim()))
                .sum();
        assertThat(noisyFixed).as("the fixed threshold flaps after the warm-up").isGreaterThan(20);
        assertThat(noisyLearned).as("the baseline holds after the warm-up").isZero();
        assertThat(Long.parseLong(rows.get(7).split("\\|")[4].trim())).as("and opens for the incident").isPositive();
    }
}
