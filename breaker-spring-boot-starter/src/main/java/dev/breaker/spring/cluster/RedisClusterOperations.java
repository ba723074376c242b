package dev.breaker.spring.cluster;

import dev.breaker.redis.ClusterEvent;
import dev.breaker.redis.ClusterSnapshot;
import dev.breaker.redis.ManualAction;
import dev.breaker.redis.RedisCluster;
import dev.breaker.spring.actuate.BreakerClusterOperations;
import dev.breaker.spring.actuate.BreakersEndpoint;
import dev.breaker.spring.actuate.ClusterDescriptor;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The {@code breakers} endpoint's cluster operations, on a {@link RedisCluster}. */
public final class RedisClusterOperations implements BreakerClusterOperations {

    private final RedisCluster cluster;
    private final long readMillis;
    private final long actionMillis;

    /**
     * @param waitToRead how long a read of the endpoint waits at most for a fresh picture of the cluster
     * @param waitToAct how long an action waits at most to learn whether the other instances were told
     */
    public RedisClusterOperations(RedisCluster cluster, Duration waitToRead, Duration waitToAct) {
        this.cluster = cluster;
        this.readMillis = Math.max(1, waitToRead.toMillis());
        this.actionMillis = Math.max(1, waitToAct.toMillis());
    }

    @Override
    public String instanceId() {
        return cluster.instanceId();
    }

    @Override
    public void refresh() {
        try {
            cluster.refresh().get(readMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Redis did not answer in time: the sections show what this instance knew already.
        }
    }

    @Override
    public ClusterDescriptor describe(String name) {
        ClusterSnapshot s = cluster.snapshot(name);
        return new ClusterDescriptor(s.policy().toString(), s.connected(), s.instance(),
                s.instances().stream().map(i -> new ClusterDescriptor.InstanceDescriptor(i.instance(), i.state(),
                        i.ownOutage(), i.self())).toList(),
                s.following(), s.openedBy(), s.openCause(), s.openRemaining().toMillis(), s.leaseHolder(),
                s.recentEvents().stream().map(RedisClusterOperations::describe).toList());
    }

    private static ClusterDescriptor.ClusterEventDescriptor describe(ClusterEvent event) {
        return new ClusterDescriptor.ClusterEventDescriptor(event.at().toString(), event.kind().name(),
                event.instance(), event.detail());
    }

    @Override
    public boolean act(String name, BreakersEndpoint.Action action, boolean clusterWide) {
        ManualAction manual = ManualAction.of(action.path()).orElseThrow(() -> new IllegalStateException(
                "No cluster action for " + action));
        try {
            return cluster.act(name, manual, clusterWide).get(actionMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false; // applied here; the others were not told in time
        }
    }
}
