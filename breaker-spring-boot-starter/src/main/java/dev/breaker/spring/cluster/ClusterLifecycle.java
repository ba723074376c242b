package dev.breaker.spring.cluster;

import dev.breaker.redis.RedisCluster;
import org.springframework.context.SmartLifecycle;

/**
 * Leaves the cluster when the application stops, before the Redis connection factory stops (its phase is 0): the
 * instance gives back its probe leases and stops reporting while its connections still work, rather than seeing
 * them closed under it.
 */
public final class ClusterLifecycle implements SmartLifecycle {

    /** After the web server's graceful shutdown, well before the connection factory. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final RedisCluster cluster;
    private volatile boolean running = true;

    public ClusterLifecycle(RedisCluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public void start() {
        running = true; // the cluster started with its bean and connects in the background
    }

    @Override
    public void stop() {
        running = false;
        cluster.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
