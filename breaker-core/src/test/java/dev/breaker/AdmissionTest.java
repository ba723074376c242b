package dev.breaker;

import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.breaker.CircuitState.CLOSED;
import static dev.breaker.CircuitState.OPEN;
import static dev.breaker.Concurrently.inParallel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Admission limits (concurrency, rate) and admission by priority, on a fake ticker. */
@Timeout(60)
class AdmissionTest {

    private static final IOException DOWN = new IOException("down");

    private final FakeTicker ticker = new FakeTicker();

    private BreakerConfig.Builder config() {
        return BreakerConfig.builder().ticker(ticker).clock(ticker.clock());
    }

    @Test
    void sixteenThreads_neverMoreCallsInsideTheDownstreamThanMaxConcurrentCalls() throws Exception {
        Breaker breaker = Breaker.of("bulkhead", config().maxConcurrentCalls(5).build());
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        AtomicInteger admitted = new AtomicInteger();

        inParallel(16, thread -> {
            SplittableRandom random = new SplittableRandom(thread);
            for (int i = 0; i < 5_000; i++) {
                try {
                    breaker.call(() -> {
                        admitted.incrementAndGet();
                        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        for (int spin = random.nextInt(500); spin > 0; spin--) {
                            Thread.onSpinWait();
                        }
                        inside.decrementAndGet();
                        return "ok";
                    });
                } catch (CallNotPermittedException rejected) {
                    assertThat(rejected.reason()).isEqualTo(RejectionReason.CONCURRENCY_LIMIT);
                }
            }
        });

        assertThat(maxInside.get()).isEqualTo(5);
        BreakerMetrics metrics = breaker.metrics();
        assertThat(metrics.callsInFlight()).isZero();
        assertThat(metrics.totalSuccesses()).isEqualTo(admitted.get());
        assertThat(metrics.totalNotPermitted()).isEqualTo(16 * 5_000 - admitted.get()).isPositive();
        assertThat(metrics.bufferedCalls()).as("limit rejections are not outcomes").isEqualTo(100);
        assertThat(metrics.state()).isEqualTo(CLOSED);
    }

    @Test
    void concurrencySlot_givenBackExactlyOnce_onEveryOutcome() throws Exception {
        Breaker breaker = Breaker.of("outcomes", config().maxConcurrentCalls(1).failureRateThreshold(100)
                .ignoreExceptions(IllegalArgumentException.class).build());

        breaker.call(() -> "success");
        assertThatThrownBy(() -> breaker.call(() -> {
            throw DOWN;
        })).isSameAs(DOWN);
        assertThatThrownBy(() -> breaker.run(() -> {
            throw new IllegalArgumentException("ignored");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> breaker.run(() -> {
            throw new StackOverflowError("an Error");
        })).isInstanceOf(StackOverflowError.class);
        CompletableFuture<String> cancelled = new CompletableFuture<>();
        breaker.callAsync(() -> cancelled);
        assertThat(breaker.metrics().callsInFlight()).isOne();
        cancelled.cancel(true);
        breaker.release(breaker.acquirePermit());

        assertThat(breaker.metrics().callsInFlight()).isZero();
        assertThat(breaker.call(() -> "the one slot is free")).isEqualTo("the one slot is free");
    }

    @Test
    void rateLimitOf100PerSecond_admits100PlusTheBurstInTheFirstSecond_then100PerSecond() {
        Breaker breaker = Breaker.of("rate", config().maxCallsPerSecond(100).build());
        assertThat(breaker.config().rateLimitBurst()).isEqualTo(10);

        int firstSecond = admittedOverOneSecond(breaker);
        int secondSecond = admittedOverOneSecond(breaker);

        assertThat(firstSecond).isBetween(100, 110);
        assertThat(secondSecond).isEqualTo(100);
        long permit;
        while (Breaker.isPermitted(permit = breaker.acquirePermit())) {
            breaker.recordSuccess(permit, 0);
        }
        CallNotPermittedException rejected = breaker.rejection(permit);
        assertThat(rejected.reason()).isEqualTo(RejectionReason.RATE_LIMIT);
        assertThat(rejected.retryAfter().orElseThrow()).isLessThanOrEqualTo(Duration.ofMillis(10));
        assertThat(breaker.metrics().bufferedCalls()).as("rejections never enter the window").isEqualTo(100);
    }

    /** Asks 50 times per millisecond for a second; returns how many were admitted. */
    private int admittedOverOneSecond(Breaker breaker) {
        int admitted = 0;
        for (int millisecond = 0; millisecond < 1_000; millisecond++) {
            for (int i = 0; i < 50; i++) {
                long permit = breaker.acquirePermit();
                if (Breaker.isPermitted(permit)) {
                    admitted++;
                    breaker.recordSuccess(permit, 0);
                }
            }
            ticker.advance(Duration.ofMillis(1));
        }
        return admitted;
    }

    @Test
    void limitRejections_neverOpenTheBreaker_andCountByReason() {
        Breaker breaker = Breaker.of("limits", config().maxConcurrentCalls(1).countWindow(2).minimumCalls(1).build());
        long held = breaker.acquirePermit();
        for (int i = 0; i < 100; i++) {
            assertThat(breaker.tryAcquire() && breaker.acquirePermit() >= 0).isFalse();
        }

        assertThat(breaker.state()).isEqualTo(CLOSED);
        assertThat(breaker.metrics().notPermittedByReason()).containsEntry(RejectionReason.CONCURRENCY_LIMIT, 100L);
        breaker.recordSuccess(held, 0);
    }

    @Test
    void reservedForCritical_sheddableCallsCannotTakeTheLastSlots() {
        Breaker breaker = Breaker.of("reserved", config().maxConcurrentCalls(10).reservedForCritical(20).build());
        long[] sheddable = new long[10];
        int admitted = 0;
        for (int i = 0; i < sheddable.length; i++) {
            sheddable[i] = breaker.acquirePermit(Priority.SHEDDABLE);
            if (Breaker.isPermitted(sheddable[i])) {
                admitted++;
            }
        }
        assertThat(admitted).isEqualTo(8);

        long critical1 = breaker.acquirePermit(Priority.CRITICAL);
        long critical2 = breaker.acquirePermit(Priority.CRITICAL_PLUS);
        long critical3 = breaker.acquirePermit(Priority.CRITICAL);

        assertThat(Breaker.isPermitted(critical1) && Breaker.isPermitted(critical2)).isTrue();
        assertThat(Breaker.isPermitted(critical3)).isFalse();
        assertThat(breaker.metrics().notPermittedByPriority()).containsEntry(Priority.SHEDDABLE, 2L)
                .containsEntry(Priority.CRITICAL, 1L);
    }

    @Test
    void recoveringAtAShareOfAQuarter_admits500_250_62_15_ofAThousandCallsPerPriority() {
        Breaker breaker = Breaker.of("ramp", config().countWindow(1).minimumCalls(1).failureRateThreshold(100)
                .halfOpenCalls(1).waitInOpen(Duration.ofSeconds(1))
                .gradualRecovery(GradualRecovery.over(Duration.ofDays(1000)).withMinShare(25)).build());
        breaker.recordFailure(breaker.acquirePermit(), 0, DOWN);
        ticker.advance(Duration.ofSeconds(2));
        breaker.recordSuccess(breaker.acquirePermit(), 0);
        assertThat(breaker.state()).isEqualTo(CircuitState.RECOVERING);

        Map<Priority, Integer> admitted = new EnumMap<>(Priority.class);
        for (int i = 0; i < 1_000; i++) {
            for (Priority priority : Priority.values()) {
                long permit = Priority.get(priority, breaker::acquirePermit);
                if (Breaker.isPermitted(permit)) {
                    admitted.merge(priority, 1, Integer::sum);
                    breaker.recordSuccess(permit, 0);
                }
            }
        }

        assertThat(admitted.get(Priority.CRITICAL_PLUS)).isBetween(499, 501);
        assertThat(admitted.get(Priority.CRITICAL)).isBetween(249, 251);
        assertThat(admitted.get(Priority.SHEDDABLE_PLUS)).isBetween(61, 63);
        assertThat(admitted.get(Priority.SHEDDABLE)).isBetween(14, 16);
    }

    @Test
    void shedOnWarning_rejectsOnlySheddableCalls_whileTheLevelIsWarning() {
        Breaker breaker = Breaker.of("shed", config().countWindow(10).minimumCalls(10).failureRateThreshold(50)
                .escalation(Escalation.defaults()).shedOnWarning(true).build());
        for (int i = 0; i < 10; i++) {
            long permit = breaker.acquirePermit();
            if (i < 3) {
                breaker.recordFailure(permit, 0, DOWN);
            } else {
                breaker.recordSuccess(permit, 0);
            }
        }
        assertThat(breaker.level()).isEqualTo(Level.WARNING);

        long sheddable = breaker.acquirePermit(Priority.SHEDDABLE);
        long sheddablePlus = breaker.acquirePermit(Priority.SHEDDABLE_PLUS);

        assertThat(breaker.rejection(sheddable).reason()).isEqualTo(RejectionReason.PRIORITY);
        assertThat(Breaker.isPermitted(sheddablePlus)).isTrue();
        breaker.release(sheddablePlus);
        assertThat(breaker.state()).isEqualTo(CLOSED);
    }

    @Test
    void shedOnWarning_withoutEscalation_isRefusedByBuild() {
        assertThatThrownBy(() -> config().shedOnWarning(true).build())
                .hasMessage("shedOnWarning needs escalation, which sets the warning level, was true");
    }

    @Test
    void emergencyTrial_goesToCriticalPlusCalls_whenPrioritiesAreInUse() {
        Breaker breaker = Breaker.of("emergency", config().countWindow(1).minimumCalls(1).failureRateThreshold(100)
                .halfOpenCalls(3).waitInOpen(Duration.ofSeconds(1))
                .escalation(Escalation.defaults().withEmergencyAfter(1)).build());
        breaker.recordFailure(breaker.acquirePermit(), 0, DOWN);
        ticker.advance(Duration.ofSeconds(2));
        breaker.recordFailure(breaker.acquirePermit(), 0, DOWN);
        assertThat(breaker.level()).isEqualTo(Level.EMERGENCY);
        ticker.advance(Duration.ofSeconds(2));

        long critical = Priority.get(Priority.CRITICAL, breaker::acquirePermit);
        long criticalPlus = Priority.get(Priority.CRITICAL_PLUS, breaker::acquirePermit);

        assertThat(breaker.rejection(critical).reason()).isEqualTo(RejectionReason.PRIORITY);
        assertThat(Breaker.isTrial(criticalPlus)).isTrue();
        breaker.recordSuccess(criticalPlus, 0);
        assertThat(breaker.state()).isEqualTo(CLOSED);
    }

    @Test
    void emergencyTrial_afterOneWaitWithoutCriticalPlusCalls_anyCallMayProbe() {
        Breaker breaker = Breaker.of("grace", config().countWindow(1).minimumCalls(1).failureRateThreshold(100)
                .waitInOpen(Duration.ofSeconds(1)).escalation(Escalation.defaults().withEmergencyAfter(1)).build());
        breaker.recordFailure(breaker.acquirePermit(), 0, DOWN);
        ticker.advance(Duration.ofSeconds(2));
        breaker.recordFailure(breaker.acquirePermit(), 0, DOWN);
        ticker.advance(Duration.ofSeconds(2));
        assertThat(breaker.rejection(Priority.get(Priority.SHEDDABLE, breaker::acquirePermit)).reason())
                .isEqualTo(RejectionReason.PRIORITY);
        assertThat(Breaker.isTrial(breaker.acquirePermit())).as("a call without a priority of its own may probe")
                .isTrue();
        breaker.reset();
        breaker.recordFailure(breaker.acquirePermit(), 0, DOWN);

        ticker.advance(Duration.ofSeconds(2));
        breaker.recordFailure(breaker.acquirePermit(), 0, DOWN);
        ticker.advance(Duration.ofSeconds(2));
        assertThat(Breaker.isPermitted(Priority.get(Priority.SHEDDABLE, breaker::acquirePermit))).isFalse();
        ticker.advance(Duration.ofSeconds(1));

        assertThat(Breaker.isTrial(Priority.get(Priority.SHEDDABLE, breaker::acquirePermit)))
                .as("no critical-plus call came for a whole wait: the sheddable one probes").isTrue();
    }

    @ParameterizedTest
    @EnumSource(Priority.class)
    void openBreaker_rejectsEveryPriority(Priority priority) {
        Breaker breaker = Breaker.of("open", config().countWindow(1).minimumCalls(1).build());
        breaker.recordFailure(breaker.acquirePermit(), 0, DOWN);
        assertThat(breaker.state()).isEqualTo(OPEN);

        assertThat(Breaker.isPermitted(Priority.get(priority, breaker::acquirePermit))).isFalse();
    }

    @Test
    void priorityOfAScope_winsOverTheOneGiven_whichWinsOverTheDefault() {
        Breaker breaker = Breaker.of("resolution", config().defaultPriority(Priority.SHEDDABLE_PLUS).build());

        assertThat(breaker.priorityOf(null)).isEqualTo(Priority.SHEDDABLE_PLUS);
        assertThat(breaker.priorityOf(Priority.CRITICAL)).isEqualTo(Priority.CRITICAL);
        assertThat(Priority.get(Priority.SHEDDABLE, () -> breaker.priorityOf(Priority.CRITICAL)))
                .isEqualTo(Priority.SHEDDABLE);
        Priority.run(Priority.CRITICAL_PLUS, () -> Priority.run(Priority.SHEDDABLE,
                () -> assertThat(Priority.current()).isEqualTo(Priority.SHEDDABLE)));
        assertThat(Priority.current()).as("scopes end").isNull();
    }

    @Test
    void limits_areValidatedNamingTheOption() {
        assertThatThrownBy(() -> config().maxConcurrentCalls(-1).build())
                .hasMessage("maxConcurrentCalls must be 0 (off) or more, was -1");
        assertThatThrownBy(() -> config().maxCallsPerSecond(Double.NaN).build())
                .hasMessage("maxCallsPerSecond must be 0 (off) or more, was NaN");
        assertThatThrownBy(() -> config().reservedForCritical(100).build())
                .hasMessage("reservedForCritical must be in [0, 100), was 100.0");
    }

    @Test
    void rateLimit_withoutPriorities_costsOneCoarseReadAndOneCas_andAllowsBursts() {
        Breaker breaker = Breaker.of("burst", config().maxCallsPerSecond(1_000, 50).build());

        int admitted = 0;
        for (int i = 0; i < 100; i++) {
            if (breaker.tryAcquire()) {
                admitted++;
                breaker.onSuccess(0);
            }
        }

        assertThat(admitted).as("the burst at once").isEqualTo(50);
        ticker.advance(Duration.ofSeconds(1));
        assertThat(admittedOverOneSecond(breaker)).isCloseTo(1_000 + 50, Percentage.withPercentage(1));
    }
}
