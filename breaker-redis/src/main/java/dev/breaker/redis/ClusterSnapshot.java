package dev.breaker.redis;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What this instance knows of one breaker across the cluster, as of {@code at}.
 *
 * @param policy what the cluster shares about it
 * @param connected whether this instance reaches Redis (if not, it protects itself alone)
 * @param instance this instance's id
 * @param instances the live instances that have this breaker, this one included, with their states; empty for a
 *     {@link ClusterPolicy.Mode#LOCAL local} breaker and while not connected
 * @param following whether this instance follows a cluster-wide outage of the breaker
 * @param outageGeneration the cluster-wide outage this instance follows or last followed, 0 if none
 * @param openedBy the instance that announced the current cluster-wide opening, or null
 * @param openCause why it opened ({@code FAILURE_RATE_EXCEEDED}, {@code QUORUM}, ...), or null
 * @param openRemaining what remains of the cluster-wide wait in open; zero once it is over
 * @param leaseHolder the instance that holds the probe lease (runs the trial for everyone), or null
 * @param recentEvents the latest cluster events of this breaker here, newest first
 * @param at when Redis was last read for this picture (or now, while not connected)
 */
public record ClusterSnapshot(ClusterPolicy policy, boolean connected, String instance, List<InstanceState> instances,
                              boolean following, long outageGeneration, @Nullable String openedBy,
                              @Nullable String openCause, Duration openRemaining, @Nullable String leaseHolder,
                              List<ClusterEvent> recentEvents, Instant at) {

    public ClusterSnapshot {
        instances = List.copyOf(instances);
        recentEvents = List.copyOf(recentEvents);
    }

    /**
     * One live instance's state of the breaker.
     *
     * @param instance its id
     * @param state its state ({@code CLOSED}, {@code OPEN}, ...), as it last reported it
     * @param ownOutage whether it is open by its own thresholds (a vote for a quorum), rather than by the cluster
     * @param self whether it is this instance
     */
    public record InstanceState(String instance, String state, boolean ownOutage, boolean self) {
    }
}
