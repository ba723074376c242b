package dev.breaker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import static dev.breaker.CircuitState.CLOSED;
import static dev.breaker.CircuitState.OPEN;
import static dev.breaker.Concurrently.inParallel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Live reconfiguration: a breaker takes a new configuration without losing its state, window or totals. */
@Timeout(60)
class ReconfigurationTest {

    private static final IOException DOWN = new IOException("down");

    private final FakeTicker ticker = new FakeTicker();

    private BreakerConfig.Builder config() {
        return BreakerConfig.builder().ticker(ticker).clock(ticker.clock()).countWindow(10).minimumCalls(10)
                .failureRateThreshold(50).waitInOpen(Duration.ofSeconds(30));
    }

    private static void record(Breaker breaker, int successes, int failures) {
        for (int i = 0; i < successes; i++) {
            breaker.recordSuccess(breaker.acquirePermit(), 0);
        }
        for (int i = 0; i < failures; i++) {
            breaker.recordFailure(breaker.acquirePermit(), 0, DOWN);
        }
    }

    @Test
    void sameWindow_isKept_andItsOutcomesAreJudgedByTheNewThresholds() {
        Breaker breaker = Breaker.of("inventory", config().build());
        List<BreakerEvent> events = new CopyOnWriteArrayList<>();
        breaker.addListener(EnumSet.of(EventType.CONFIG_CHANGED, EventType.STATE_TRANSITION), events::add);
        record(breaker, 7, 2);
        ticker.advance(Duration.ofSeconds(5));

        breaker.reconfigure(config().failureRateThreshold(20).build(), "api");

        BreakerMetrics metrics = breaker.metrics();
        assertThat(metrics.state()).isEqualTo(CLOSED);
        assertThat(metrics.bufferedCalls()).as("the window carried over").isEqualTo(9);
        assertThat(metrics.timeInState()).as("the state carried on").isEqualTo(Duration.ofSeconds(5));
        assertThat(metrics.stateTransitions()).isZero();
        record(breaker, 1, 0);
        assertThat(breaker.state()).as("2 of 10 = 20 %: the new threshold").isEqualTo(OPEN);
        BreakerEvent.ConfigChanged changed = (BreakerEvent.ConfigChanged) events.get(0);
        assertThat(changed.from().failureRateThreshold()).isEqualTo(50);
        assertThat(changed.to().failureRateThreshold()).isEqualTo(20);
        assertThat(changed.source()).isEqualTo("api");
        assertThat(events.get(1)).isInstanceOf(BreakerEvent.StateTransition.class);
    }

    @Test
    void otherWindowSize_startsANewWindow_theStateAndTotalsStay() {
        Breaker breaker = Breaker.of("resize", config().build());
        record(breaker, 5, 3);
        long permitInFlight = breaker.acquirePermit();

        breaker.reconfigure(config().countWindow(4).minimumCalls(4).build(), "api");
        breaker.recordFailure(permitInFlight, 0, DOWN);

        BreakerMetrics metrics = breaker.metrics();
        assertThat(metrics.state()).isEqualTo(CLOSED);
        assertThat(metrics.bufferedCalls()).as("a new window, with the call in flight recorded in it").isOne();
        assertThat(metrics.totalSuccesses()).isEqualTo(5);
        assertThat(metrics.totalFailures()).isEqualTo(4);
        assertThat(breaker.config().countWindowSize()).isEqualTo(4);
    }

    @Test
    void openBreaker_keepsItsWait_andTheNextOpeningUsesTheNewOne() {
        Breaker breaker = Breaker.of("open", config().build());
        record(breaker, 0, 10);
        assertThat(breaker.state()).isEqualTo(OPEN);

        breaker.reconfigure(config().waitInOpen(Duration.ofSeconds(5)).halfOpenCalls(1).build(), "api");

        assertThat(breaker.rejection(breaker.acquirePermit()).retryAfter()).contains(Duration.ofSeconds(30));
        ticker.advance(Duration.ofSeconds(31));
        breaker.recordFailure(breaker.acquirePermit(), 0, DOWN);
        assertThat(breaker.state()).as("one trial call now decides").isEqualTo(OPEN);
        assertThat(breaker.rejection(breaker.acquirePermit()).retryAfter()).contains(Duration.ofSeconds(5));
    }

    @Test
    void limits_areRetuned_slotsInFlightComeBackWhereTheyWereTaken() {
        Breaker breaker = Breaker.of("limits", config().maxConcurrentCalls(2).build());
        long first = breaker.acquirePermit();
        long second = breaker.acquirePermit();

        breaker.reconfigure(config().maxConcurrentCalls(1).build(), "api");
        assertThat(Breaker.isPermitted(breaker.acquirePermit())).isFalse();
        breaker.recordSuccess(first, 0);
        assertThat(Breaker.isPermitted(breaker.acquirePermit())).as("still 1 in flight of 1").isFalse();
        breaker.recordSuccess(second, 0);

        long only = breaker.acquirePermit();
        assertThat(Breaker.isPermitted(only)).isTrue();
        assertThat(Breaker.isPermitted(breaker.acquirePermit())).isFalse();
        breaker.release(only);
        assertThat(breaker.metrics().callsInFlight()).isZero();
    }

    @Test
    void breaker_keepsTheTickerAndClockItWasCreatedWith() {
        Breaker breaker = Breaker.of("ticker", config().build());

        breaker.reconfigure(BreakerConfig.builder().failureRateThreshold(10).build(), "api");

        assertThat(breaker.config().ticker()).isSameAs(ticker);
        assertThat(breaker.config().failureRateThreshold()).isEqualTo(10);
    }

    @Test
    void registry_reconfiguresDependencies_refusingACycle_andRewiringDependents() {
        BreakerRegistry registry = BreakerRegistry.builder()
                .config("payments", config().build())
                .config("ledger", config().build())
                .config("checkout", config().dependsOn("payments").build())
                .config("orders", config().dependsOn("checkout").build())
                .build();
        Breaker orders = registry.breaker("orders");
        registry.breaker("ledger");

        registry.reconfigure("checkout", config().dependsOn("payments", "ledger").build(), "api");
        assertThat(orders.dependencies()).as("the dependent learned the new one").containsExactly("checkout",
                "payments", "ledger");
        registry.find("ledger").orElseThrow().forceOpen();
        assertThat(orders.rejection(orders.acquirePermit()).blockedBy()).contains("ledger");

        assertThatThrownBy(() -> registry.reconfigure("payments", config().dependsOn("orders").build(), "api"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cycle");
        assertThat(registry.find("payments").orElseThrow().config().dependsOn()).as("unchanged").isEmpty();
    }

    @Test
    void callsDuringSwaps_areNeverLostOrCountedTwice() throws Exception {
        Breaker breaker = Breaker.of("swapping", BreakerConfig.builder().countWindow(1_000).minimumCalls(1_000)
                .failureRateThreshold(100).build());
        LongAdder successes = new LongAdder();
        LongAdder failures = new LongAdder();
        AtomicBoolean done = new AtomicBoolean();

        inParallel(5, thread -> {
            if (thread == 4) {
                for (int swap = 0; !done.get(); swap++) {
                    breaker.reconfigure(BreakerConfig.builder().countWindow(1_000).minimumCalls(1_000)
                            .failureRateThreshold(swap % 2 == 0 ? 100 : 99.9f).maxConcurrentCalls(swap % 3 == 0 ? 0 : 64)
                            .build(), "test");
                }
                return;
            }
            SplittableRandom random = new SplittableRandom(thread);
            for (int i = 0; i < 50_000; i++) {
                long permit = breaker.acquirePermit();
                if (!Breaker.isPermitted(permit)) {
                    continue;
                }
                if (random.nextInt(10) == 0) {
                    breaker.recordFailure(permit, 0, DOWN);
                    failures.increment();
                } else {
                    breaker.recordSuccess(permit, 0);
                    successes.increment();
                }
            }
            if (thread == 0) {
                done.set(true);
            }
        });
        done.set(true);

        BreakerMetrics metrics = breaker.metrics();
        assertThat(metrics.totalSuccesses()).isEqualTo(successes.sum());
        assertThat(metrics.totalFailures()).isEqualTo(failures.sum());
        assertThat(metrics.bufferedCalls()).as("the window carried every outcome across the swaps").isEqualTo(1_000);
        assertThat(metrics.callsInFlight()).isLessThanOrEqualTo(0);
        assertThat(metrics.state()).isEqualTo(CLOSED);
    }
}
