package dev.breaker.redis;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * Something the cluster did to one of this instance's breakers, naming the instance that caused it.
 *
 * @param breakerName the breaker
 * @param at when this instance saw it
 * @param kind what happened
 * @param instance the instance that caused it: the one that announced an opening, holds the lease, reported the
 *     verdict or asked for the manual action (this instance's id when it was this instance)
 * @param detail the opening's cause ({@code FAILURE_RATE_EXCEEDED}, {@code QUORUM}, {@code CLUSTER_WINDOW}, ...) or
 *     the manual action ({@code reset}, ...); null otherwise
 */
public record ClusterEvent(String breakerName, Instant at, Kind kind, String instance, @Nullable String detail) {

    /** What happened. */
    public enum Kind {
        /** This instance announced that its breaker opened by its own thresholds. */
        OPEN_ANNOUNCED,
        /** The breaker opened here because another instance announced an opening, or the cluster's quorum did. */
        OPENED_BY_CLUSTER,
        /** This instance won the probe lease: it runs the trial calls for the cluster. */
        LEASE_TAKEN,
        /** This instance's trial calls succeeded and it told the cluster. */
        RECOVERY_ANNOUNCED,
        /** The breaker left its outage here because the instance that probed reported success. */
        RECOVERED_BY_CLUSTER,
        /** A manual action applied here: asked for on {@code instance}, for the whole cluster or this instance. */
        MANUAL_ACTION
    }

    @Override
    public String toString() {
        return "Breaker '" + breakerName + "': " + kind + (detail == null ? "" : " " + detail) + " (instance "
                + instance + ")";
    }
}
