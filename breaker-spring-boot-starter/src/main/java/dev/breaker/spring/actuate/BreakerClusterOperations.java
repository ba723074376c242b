package dev.breaker.spring.actuate;

/**
 * What the {@code breakers} endpoint asks of cluster coordination when it is on ({@code breaker.cluster.enabled}):
 * each breaker's cluster section, and manual actions that apply to every instance.
 */
public interface BreakerClusterOperations {

    /** This instance's id in the cluster. */
    String instanceId();

    /**
     * Reads the cluster's picture once before breakers are described: waits for Redis at most a bounded time and
     * never fails (the sections then show what this instance knew already).
     */
    void refresh();

    /** The cluster section of the breaker called {@code name}. */
    ClusterDescriptor describe(String name);

    /**
     * Applies {@code action} to the breaker called {@code name} here, and when {@code clusterWide} on every other
     * instance too.
     *
     * @return whether the other instances were told: false for this instance alone, or while it does not reach Redis
     */
    boolean act(String name, BreakersEndpoint.Action action, boolean clusterWide);
}
