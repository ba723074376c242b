package dev.breaker;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.breaker.CircuitState.CLOSED;
import static dev.breaker.CircuitState.HALF_OPEN;
import static dev.breaker.CircuitState.OPEN;
import static dev.breaker.CircuitState.RECOVERING;
import static org.assertj.core.api.Assertions.assertThat;

/** The hooks cluster coordination uses: opening by the cluster, the probe lease, following the prober's verdict. */
class ClusterHooksTest {

    private final FakeTicker ticker = new FakeTicker();

    private BreakerConfig.Builder config() {
        return BreakerConfig.builder().ticker(ticker).clock(ticker.clock()).countWindow(1).minimumCalls(1)
                .waitInOpen(Duration.ofSeconds(30)).halfOpenCalls(1);
    }

    @Test
    void openByCluster_opensAClosedBreakerForTheRemainingWait_withReasonCluster() {
        Breaker breaker = Breaker.of("shared", config().build());
        List<BreakerEvent> events = new CopyOnWriteArrayList<>();
        breaker.addListener(EnumSet.of(EventType.STATE_TRANSITION), events::add);

        assertThat(breaker.openByCluster(Duration.ofSeconds(12))).isTrue();

        assertThat(breaker.state()).isEqualTo(OPEN);
        assertThat(breaker.rejection(breaker.acquirePermit()).retryAfter()).contains(Duration.ofSeconds(12));
        assertThat(((BreakerEvent.StateTransition) events.get(0)).reason()).isEqualTo(TransitionReason.CLUSTER_OPENED);
        assertThat(breaker.openByCluster(Duration.ofSeconds(50))).as("already open: keeps its own wait").isFalse();
    }

    @Test
    void probeGate_keepsTheBreakerOpenPastItsWait_untilThisInstanceMayProbe() {
        Breaker breaker = Breaker.of("gated", config().build());
        AtomicBoolean leaseHeld = new AtomicBoolean();
        breaker.probeGate((b, outage) -> leaseHeld.get());
        breaker.recordFailure(breaker.acquirePermit(), 0, new IOException("down"));
        ticker.advance(Duration.ofSeconds(31));

        assertThat(breaker.tryAcquire()).isFalse();
        assertThat(breaker.state()).isEqualTo(OPEN);

        leaseHeld.set(true);
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.state()).isEqualTo(HALF_OPEN);
    }

    @Test
    void remainingWait_isWhatRemainsOfTheWaitInOpen_andZeroOtherwise() {
        Breaker breaker = Breaker.of("waiting", config().build());
        assertThat(breaker.remainingWait()).as("closed").isZero();

        breaker.recordFailure(breaker.acquirePermit(), 0, new IOException("down"));
        ticker.advance(Duration.ofSeconds(12));
        assertThat(breaker.remainingWait()).isEqualTo(Duration.ofSeconds(18));

        ticker.advance(Duration.ofSeconds(20));
        assertThat(breaker.remainingWait()).as("the wait is over").isZero();
        breaker.forceOpen();
        assertThat(breaker.remainingWait()).as("forced open: no wait ends it").isZero();
    }

    @Test
    void recoverByCluster_closes_orRampsWhenGradualRecoveryIsOn() {
        Breaker plain = Breaker.of("plain", config().build());
        Breaker ramping = Breaker.of("ramping", config().gradualRecovery(GradualRecovery.over(Duration.ofMinutes(1)))
                .build());
        plain.openByCluster(Duration.ofSeconds(10));
        ramping.openByCluster(Duration.ofSeconds(10));

        assertThat(plain.recoverByCluster()).isTrue();
        assertThat(ramping.recoverByCluster()).isTrue();

        assertThat(plain.state()).isEqualTo(CLOSED);
        assertThat(ramping.state()).isEqualTo(RECOVERING);
        assertThat(plain.recoverByCluster()).as("not in an outage").isFalse();
    }
}
