package dev.breaker.redis;

/** Receives {@link ClusterEvent}s, on the cluster's background thread; must not block. */
@FunctionalInterface
public interface ClusterEventListener {

    /** Called once per event; an exception is logged and otherwise ignored. */
    void onEvent(ClusterEvent event);
}
