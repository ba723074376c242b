package dev.breaker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.breaker.CircuitState.CLOSED;
import static dev.breaker.CircuitState.HALF_OPEN;
import static dev.breaker.CircuitState.OPEN;
import static dev.breaker.Concurrently.inParallel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Breakers that know their dependencies: a dependent rejects while a breaker it depends on is open. */
@Timeout(60)
class DependenciesTest {

    private static final IOException DOWN = new IOException("down");

    private final FakeTicker ticker = new FakeTicker();

    private BreakerConfig.Builder config() {
        return BreakerConfig.builder().ticker(ticker).clock(ticker.clock()).countWindow(1).minimumCalls(1)
                .failureRateThreshold(100).waitInOpen(Duration.ofSeconds(30)).halfOpenCalls(1);
    }

    private BreakerRegistry registry() {
        return BreakerRegistry.builder()
                .config("payments", config().build())
                .config("ledger", config().build())
                .config("checkout", config().dependsOn("payments").build())
                .config("orders", config().dependsOn("checkout").build())
                .build();
    }

    private static void open(Breaker breaker) {
        breaker.recordFailure(breaker.acquirePermit(), 0, DOWN);
        assertThat(breaker.state()).isEqualTo(OPEN);
    }

    @Test
    void dependencyOpen_dependentRejectsWithoutCalling_namingItAndItsRetryAfter_windowUntouched() {
        BreakerRegistry registry = registry();
        Breaker checkout = registry.breaker("checkout");
        Breaker payments = registry.find("payments").orElseThrow();
        open(payments);
        ticker.advance(Duration.ofSeconds(10));

        long rejection = checkout.acquirePermit();

        assertThat(Breaker.isPermitted(rejection)).isFalse();
        CallNotPermittedException e = checkout.rejection(rejection);
        assertThat(e.reason()).isEqualTo(RejectionReason.DEPENDENCY_OPEN);
        assertThat(e.blockedBy()).contains("payments");
        assertThat(e.state()).as("the dependent's own state").isEqualTo(CLOSED);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(20));
        assertThat(e.getMessage()).isEqualTo("Breaker 'checkout' permits no calls while its dependency 'payments' "
                + "is open, for another 20.0s");
        BreakerMetrics metrics = checkout.metrics();
        assertThat(metrics.state()).isEqualTo(CLOSED);
        assertThat(metrics.bufferedCalls()).isZero();
        assertThat(metrics.stateTransitions()).isZero();
        assertThat(metrics.notPermittedByReason()).containsEntry(RejectionReason.DEPENDENCY_OPEN, 1L);
        assertThat(metrics.blockedBy()).isEqualTo("payments");
        assertThat(checkout.blockedBy()).contains("payments");
    }

    @Test
    void rejectionEventOfABlockedDependent_namesTheDependencyThatBlocksIt() {
        BreakerRegistry registry = registry();
        Breaker orders = registry.breaker("orders");
        List<BreakerEvent> events = new CopyOnWriteArrayList<>();
        orders.addListener(EnumSet.of(EventType.CALL_NOT_PERMITTED), events::add);
        open(registry.find("payments").orElseThrow());

        orders.acquirePermit();

        assertThat(events).singleElement().isEqualTo(new BreakerEvent.CallNotPermitted("orders",
                ticker.clock().instant(), CLOSED, RejectionReason.DEPENDENCY_OPEN, "payments"));
    }

    @Test
    void dependencyCalledOnlyThroughItsDependent_isTriedOnceItsWaitIsOver_andBothRecover() {
        // Defect: an OPEN dependency blocked its dependents until it half-opened, which only a call to it does: when
        // every call to payments is made inside a checkout, checkout rejected for ever and payments never half-opened.
        BreakerRegistry registry = registry();
        Breaker checkout = registry.breaker("checkout");
        Breaker payments = registry.find("payments").orElseThrow();
        open(payments);
        assertThat(Breaker.isPermitted(checkout.acquirePermit())).as("within the wait").isFalse();
        ticker.advance(Duration.ofSeconds(31));

        long permit = checkout.acquirePermit();
        assertThat(Breaker.isPermitted(permit)).as("the wait is over: the checkout may carry the trial").isTrue();
        long trial = payments.acquirePermit();
        assertThat(payments.state()).isEqualTo(HALF_OPEN);
        payments.recordSuccess(trial, 0);
        checkout.recordSuccess(permit, 0);

        assertThat(payments.state()).isEqualTo(CLOSED);
        assertThat(checkout.blockedBy()).isEmpty();
    }

    @Test
    void dependentRecoversByItself_whenTheDependencyHalfOpensAndCloses() {
        BreakerRegistry registry = registry();
        Breaker checkout = registry.breaker("checkout");
        Breaker payments = registry.find("payments").orElseThrow();
        open(payments);
        assertThat(checkout.tryAcquire()).isFalse();

        ticker.advance(Duration.ofSeconds(31));
        long trial = payments.acquirePermit();
        assertThat(payments.state()).isEqualTo(HALF_OPEN);
        long whileHalfOpen = checkout.acquirePermit();
        assertThat(Breaker.isPermitted(whileHalfOpen)).as("a half-open dependency decides its own calls").isTrue();
        checkout.recordSuccess(whileHalfOpen, 0);

        payments.recordSuccess(trial, 0);
        assertThat(payments.state()).isEqualTo(CLOSED);
        assertThat(checkout.blockedBy()).isEmpty();
        assertThat(checkout.tryAcquire()).isTrue();
    }

    @Test
    void transitiveChain_theDeepestOpenDependencyBlocksEveryDependentAbove() {
        BreakerRegistry registry = registry();
        Breaker orders = registry.breaker("orders");
        open(registry.find("payments").orElseThrow());

        CallNotPermittedException e = orders.rejection(orders.acquirePermit());

        assertThat(orders.dependencies()).containsExactly("checkout", "payments");
        assertThat(e.blockedBy()).contains("payments");
        assertThat(registry.find("checkout").orElseThrow().state()).isEqualTo(CLOSED);
    }

    @Test
    void forcedOpenDependency_blocks_andAnEmergencyHalfOpenOneToo() {
        BreakerRegistry registry = BreakerRegistry.builder()
                .config("payments", config().escalation(Escalation.defaults().withEmergencyAfter(1)).build())
                .config("checkout", config().dependsOn("payments").build()).build();
        Breaker checkout = registry.breaker("checkout");
        Breaker payments = registry.find("payments").orElseThrow();

        payments.forceOpen();
        assertThat(checkout.rejection(checkout.acquirePermit()).retryAfter()).as("until someone closes it").isEmpty();
        payments.reset();
        assertThat(checkout.tryAcquire()).isTrue();
        checkout.onSuccess(0);

        open(payments);
        ticker.advance(Duration.ofSeconds(31));
        payments.recordFailure(payments.acquirePermit(), 0, DOWN);
        assertThat(payments.level()).isEqualTo(Level.EMERGENCY);
        ticker.advance(Duration.ofSeconds(61));
        long trial = payments.acquirePermit();
        assertThat(payments.state()).isEqualTo(HALF_OPEN);

        assertThat(checkout.blockedBy()).as("an emergency half-open dependency blocks").contains("payments");
        payments.recordSuccess(trial, 0);
        assertThat(checkout.blockedBy()).isEmpty();
    }

    @Test
    void emergencyDependencyCalledOnlyThroughItsDependent_blocksOnlyWhileItsTrialIsInFlight() {
        // Defect: a half-open dependency in an emergency blocked its dependents whether or not its one trial was in
        // flight. Once that trial was given back (a cancelled call), nothing could reach payments any more, since
        // every call to it is made inside a checkout: both stayed where they were for ever.
        BreakerRegistry registry = BreakerRegistry.builder()
                .config("payments", config().escalation(Escalation.defaults().withEmergencyAfter(1)).build())
                .config("checkout", config().dependsOn("payments").build()).build();
        Breaker checkout = registry.breaker("checkout");
        Breaker payments = registry.find("payments").orElseThrow();
        open(payments);
        ticker.advance(Duration.ofSeconds(31));
        payments.recordFailure(payments.acquirePermit(), 0, DOWN);
        assertThat(payments.level()).isEqualTo(Level.EMERGENCY);
        ticker.advance(Duration.ofSeconds(61));

        long cancelled = checkout.acquirePermit();
        long trial = payments.acquirePermit();
        assertThat(payments.state()).isEqualTo(HALF_OPEN);
        assertThat(checkout.blockedBy()).as("while the emergency trial is in flight").contains("payments");
        payments.release(trial);
        checkout.release(cancelled);

        long permit = checkout.acquirePermit();
        assertThat(Breaker.isPermitted(permit)).as("no trial in flight: a checkout may carry the next").isTrue();
        long next = payments.acquirePermit();
        payments.recordSuccess(next, 0);
        checkout.recordSuccess(permit, 0);
        assertThat(payments.state()).isEqualTo(CLOSED);
        assertThat(checkout.blockedBy()).isEmpty();
    }

    @Test
    void unknownDependency_isRefused_namingIt() {
        BreakerRegistry registry = BreakerRegistry.builder()
                .config("checkout", config().dependsOn("paymnts").build()).build();

        assertThatThrownBy(() -> registry.breaker("checkout")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Breaker 'checkout' depends on 'paymnts', which is no breaker of this registry (known: "
                        + "[checkout]); check the name, or create that breaker first");
        assertThat(registry.find("checkout")).isEmpty();
    }

    @Test
    void declaredDependency_isCreatedOnDemand() {
        BreakerRegistry registry = BreakerRegistry.builder().defaults(config().build())
                .config("checkout", config().dependsOn("payments").build())
                .declared(name -> name.equals("payments")).build();

        registry.breaker("checkout");

        assertThat(registry.find("payments")).isPresent();
    }

    @Test
    void cycle_isRefused_namingIt() {
        BreakerRegistry registry = BreakerRegistry.builder()
                .config("a", config().dependsOn("b").build())
                .config("b", config().dependsOn("c").build())
                .config("c", config().dependsOn("a").build())
                .config("self", config().dependsOn("self").build())
                .build();

        assertThatThrownBy(() -> registry.breaker("a")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Breakers depend on each other in a cycle: a -> b -> c -> a");
        assertThatThrownBy(() -> registry.breaker("self")).hasMessageStartingWith(
                "Breakers depend on each other in a cycle: self -> self");
        assertThat(registry.all()).isEmpty();
    }

    @Test
    void standaloneBreakerWithDependencies_isRefused() {
        assertThatThrownBy(() -> Breaker.of("checkout", config().dependsOn("payments").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("create it with a BreakerRegistry");
    }

    @Test
    void blockedDependent_raisesNoProlongedOpenAlertOfItsOwn() {
        BreakerRegistry registry = BreakerRegistry.builder()
                .config("payments", config().build())
                .config("checkout", config().dependsOn("payments").prolongedOpenAlert(Duration.ofMinutes(1)).build())
                .build();
        Breaker checkout = registry.breaker("checkout");
        List<BreakerEvent> alerts = new CopyOnWriteArrayList<>();
        checkout.addListener(EnumSet.of(EventType.PROLONGED_OPEN, EventType.STATE_TRANSITION), alerts::add);
        open(registry.find("payments").orElseThrow());

        for (int i = 0; i < 5; i++) {
            ticker.advance(Duration.ofMinutes(1));
            checkout.tryAcquire();
            checkout.checkProlongedOpen();
        }

        assertThat(alerts).isEmpty();
    }

    /**
     * A dependent with a concurrency limit, a rate limit and trial permits, while the threads flip its dependency
     * open and closed and reset it: every permit taken on the way to a rejection is given back, so afterwards nothing is held.
     */
    @Test
    void sixteenThreads_rejectionsAtEveryStepOfTheChain_leaveNoPermitHeld() throws Exception {
        BreakerRegistry registry = BreakerRegistry.builder()
                .config("payments", config().build())
                .config("checkout", config().countWindow(50).minimumCalls(50).halfOpenCalls(4).dependsOn("payments")
                        .maxConcurrentCalls(6).maxCallsPerSecond(1_000_000, 1_000_000).waitInOpen(Duration.ofMillis(1))
                        .build())
                .build();
        Breaker checkout = registry.breaker("checkout");
        Breaker payments = registry.find("payments").orElseThrow();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();

        inParallel(16, thread -> {
            SplittableRandom random = new SplittableRandom(thread);
            for (int call = 0; call < 20_000; call++) {
                ticker.advanceNanos(100_000);
                switch (call % 100) {
                    case 0 -> payments.forceOpen();
                    case 50 -> payments.reset();
                    case 77 -> {
                        checkout.forceOpen();
                        checkout.reset();
                    }
                    default -> {
                    }
                }
                long permit = checkout.acquirePermit();
                if (!Breaker.isPermitted(permit)) {
                    continue;
                }
                maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                inside.decrementAndGet();
                switch (random.nextInt(4)) {
                    case 0 -> checkout.recordSuccess(permit, 0);
                    case 1 -> checkout.recordFailure(permit, 0, DOWN);
                    case 2 -> checkout.release(permit);
                    default -> checkout.recordFailure(permit, 0, new OutOfMemoryError("simulated"));
                }
            }
        });
        payments.reset();
        checkout.reset();

        assertThat(maxInside.get()).isLessThanOrEqualTo(6);
        assertThat(checkout.metrics().callsInFlight()).as("concurrency slots all given back").isZero();
        long[] permits = new long[6];
        for (int i = 0; i < permits.length; i++) {
            permits[i] = checkout.acquirePermit();
            assertThat(Breaker.isPermitted(permits[i])).as("slot %d free again", i).isTrue();
        }
        assertThat(checkout.rejection(checkout.acquirePermit()).reason()).isEqualTo(RejectionReason.CONCURRENCY_LIMIT);
        for (long permit : permits) {
            checkout.release(permit);
        }
        assertThat(checkout.metrics().notPermittedByReason()).containsKeys(RejectionReason.DEPENDENCY_OPEN,
                RejectionReason.CONCURRENCY_LIMIT);
    }
}
