package dev.breaker.spring.cluster;

import dev.breaker.redis.RedisCluster;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code breakerCluster} health indicator: always UP (a Redis outage must not take an instance out of rotation:
 * it goes on protecting itself alone), with the details that tell whether it does: {@code connected}, the
 * {@code namespace}, this {@code instance} and the {@code liveInstances}.
 */
public final class ClusterHealthIndicator implements HealthIndicator {

    private final RedisCluster cluster;

    public ClusterHealthIndicator(RedisCluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public Health health() {
        return Health.up()
                .withDetail("connected", cluster.connected())
                .withDetail("mode", cluster.connected() ? "cluster" : "local-only")
                .withDetail("namespace", cluster.namespace())
                .withDetail("instance", cluster.instanceId())
                .withDetail("liveInstances", cluster.liveInstances())
                .build();
    }
}
