package dev.breaker.redis;

import dev.breaker.Breaker;
import dev.breaker.BreakerConfig;
import dev.breaker.BreakerEvent;
import dev.breaker.BreakerEventListener;
import dev.breaker.BreakerMetrics;
import dev.breaker.CircuitState;
import dev.breaker.ProbeGate;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What this instance knows of one breaker's cluster-wide state, and the two hooks the cluster puts on the breaker:
 * its {@link ProbeGate} (asked, on the calling thread, only once an open breaker's wait is over) and a listener for
 * its state transitions (called on the thread that made the transition). Both hand their work to the cluster's
 * thread and never wait for Redis.
 */
final class BreakerView implements ProbeGate, BreakerEventListener {

    private static final int RECENT_EVENTS = 10;

    final Breaker breaker;
    final ClusterPolicy policy;
    private final RedisCluster cluster;

    // Written on the cluster's thread, read by callers through the gate.
    /** Whether this instance follows the cluster-wide outage {@link #generation}. */
    volatile boolean following;
    /** The latest outage seen: followed now, or ended. Older announcements are stale. */
    volatile long generation;
    /** {@link System#nanoTime()} when the cluster-wide wait in open of the followed outage ends. */
    volatile long clusterOpenUntil;
    /** The outage whose probe lease this instance holds, or 0. */
    volatile long leaseGeneration;
    /** {@link System#nanoTime()} until which the lease held is safely this instance's. */
    volatile long leaseValidUntil;
    /** {@link System#nanoTime()} before which the gate asks for the lease no more. */
    volatile long nextLeaseAttempt;
    final AtomicBoolean leaseRequested = new AtomicBoolean();
    volatile @Nullable String leaseHolder;
    volatile @Nullable String openedBy;
    volatile @Nullable String openCause;

    // The cluster's thread only.
    /** Open (or half-open) by its own thresholds, not by the cluster: a vote for a quorum. */
    boolean ownOutage;
    /** Why it last opened by its own thresholds. */
    String ownCause = "";
    /** An opening whose announcement did not get through: announced with the next report that does. */
    boolean announcementPending;
    /** The report Redis holds, as far as this instance knows. */
    @Nullable String lastReported;

    private final Deque<ClusterEvent> recent = new ArrayDeque<>();

    BreakerView(RedisCluster cluster, Breaker breaker, ClusterPolicy policy) {
        this.cluster = cluster;
        this.breaker = breaker;
        this.policy = policy;
    }

    String name() {
        return breaker.name();
    }

    @Override
    public boolean mayProbe(Breaker asking, long outageStartedAt) {
        return cluster.mayProbe(this);
    }

    @Override
    public void onEvent(BreakerEvent event) {
        if (event instanceof BreakerEvent.StateTransition transition) {
            // Read here, on the thread of the transition: by the time the cluster's thread runs, it may have moved.
            Duration wait = transition.to() == CircuitState.OPEN ? breaker.remainingWait() : Duration.ZERO;
            cluster.execute(() -> cluster.onTransition(this, transition, wait));
        }
    }

    /** Whether this instance holds the probe lease of the outage it follows, as of {@code now}. */
    boolean holdsLease(long now) {
        long held = leaseGeneration;
        return held != 0 && held == generation && now - leaseValidUntil < 0;
    }

    /** This instance's report of the breaker: its state, and for a quorum its closed window's totals. */
    String report() {
        CircuitState state = breaker.state();
        boolean own = ownOutage && (state == CircuitState.OPEN || state == CircuitState.HALF_OPEN);
        if (policy.mode() == ClusterPolicy.Mode.QUORUM && state == CircuitState.CLOSED) {
            BreakerMetrics m = breaker.metrics();
            return Payloads.report(state.name(), false, m.bufferedCalls(), m.failedCalls(), m.slowCalls());
        }
        return Payloads.report(state.name(), own, 0, 0, 0);
    }

    /**
     * What the tick script needs to decide a quorum from {@code report}: "failRate|slowRate|minCalls|count|percent|
     * waitMs"; "" when there is nothing to decide (not a quorum, or a report without failures, slow calls or a vote).
     */
    String quorumParameters(String report) {
        if (policy.mode() != ClusterPolicy.Mode.QUORUM || !Payloads.report(report).signalsTrouble()) {
            return "";
        }
        BreakerConfig config = breaker.config();
        int minimumCalls = policy.minimumCalls() > 0 ? policy.minimumCalls() : config.minimumCalls();
        return String.format(Locale.ROOT, "%s|%s|%d|%d|%s|%d", config.failureRateThreshold(),
                config.slowCallRateThreshold(), minimumCalls, policy.quorum().count(), policy.quorum().percent(),
                Math.max(1, config.waitInOpen().toMillis()));
    }

    void remember(ClusterEvent event) {
        synchronized (recent) {
            recent.addFirst(event);
            if (recent.size() > RECENT_EVENTS) {
                recent.removeLast();
            }
        }
    }

    List<ClusterEvent> recentEvents() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
    }
}
