package dev.breaker.spring.actuate;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

import java.util.List;

/**
 * A breaker's cluster section in the {@code breakers} endpoint, present while cluster coordination is on.
 *
 * @param policy {@code local}, {@code share-open} or {@code quorum(...)}
 * @param connected whether this instance reaches Redis; if not, it protects itself alone
 * @param instance this instance's id
 * @param liveInstances the live instances that have this breaker, with their states (empty for a local breaker)
 * @param following whether this instance follows a cluster-wide outage of the breaker
 * @param openedBy the instance that announced the cluster-wide opening being followed, or null
 * @param openCause why it opened ({@code FAILURE_RATE_EXCEEDED}, {@code QUORUM}, {@code CLUSTER_WINDOW}, ...)
 * @param openRemainingMillis what remains of the cluster-wide wait in open, 0 once over
 * @param probeLeaseHolder the instance that runs the trial calls for the cluster, or null
 * @param recentEvents the latest cluster events of this breaker on this instance, newest first
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ClusterDescriptor(String policy, boolean connected, String instance, List<InstanceDescriptor> liveInstances,
                                boolean following, @Nullable String openedBy, @Nullable String openCause,
                                long openRemainingMillis, @Nullable String probeLeaseHolder,
                                List<ClusterEventDescriptor> recentEvents) {

    /**
     * One live instance's state of the breaker.
     *
     * @param instance its id
     * @param state its state as it last reported it
     * @param ownOutage whether it is open by its own thresholds (a vote for a quorum) rather than by the cluster
     * @param self whether it is this instance
     */
    public record InstanceDescriptor(String instance, String state, boolean ownOutage, boolean self) {
    }

    /**
     * Something the cluster did to the breaker here.
     *
     * @param time when, ISO-8601
     * @param kind {@code OPENED_BY_CLUSTER}, {@code LEASE_TAKEN}, {@code MANUAL_ACTION}, ...
     * @param instance the instance that caused it
     * @param detail the opening's cause or the manual action, or null
     */
    public record ClusterEventDescriptor(String time, String kind, String instance, @Nullable String detail) {
    }
}
