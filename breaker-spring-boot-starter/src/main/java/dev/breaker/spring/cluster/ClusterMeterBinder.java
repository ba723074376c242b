package dev.breaker.spring.cluster;

import dev.breaker.Breaker;
import dev.breaker.BreakerRegistry;
import dev.breaker.redis.ClusterPolicy;
import dev.breaker.redis.RedisCluster;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster's meters, read when scraped (nothing on the call path, and never a Redis round trip: they read what
 * the cluster's background thread last learnt):
 * <ul>
 * <li>{@code breaker.cluster.connected} (gauge, tag {@code namespace}): 1 while this instance reaches Redis, 0 while
 * it protects itself alone;</li>
 * <li>{@code breaker.cluster.instances} (gauge, tag {@code namespace}): the live instances of the application;</li>
 * and per breaker that shares something (tag {@code name}):
 * <li>{@code breaker.cluster.live.instances}: the live instances that reported the breaker, as of the last
 * reading of the cluster's picture (the endpoint's, or one a scrape asked for, at most every ten publish
 * intervals);</li>
 * <li>{@code breaker.cluster.following}: 1 while this instance follows a cluster-wide outage of it;</li>
 * <li>{@code breaker.cluster.lease.held}: 1 while this instance holds its probe lease.</li>
 * </ul>
 */
public final class ClusterMeterBinder implements MeterBinder {

    private final RedisCluster cluster;
    private final BreakerRegistry breakers;
    private final Tags commonTags;
    private final Map<String, List<Meter>> metersByBreaker = new ConcurrentHashMap<>();

    public ClusterMeterBinder(RedisCluster cluster, BreakerRegistry breakers, Iterable<Tag> commonTags) {
        this.cluster = cluster;
        this.breakers = breakers;
        this.commonTags = Tags.of(commonTags);
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        Tags namespace = commonTags.and("namespace", cluster.namespace());
        Gauge.builder("breaker.cluster.connected", cluster, c -> c.connected() ? 1 : 0)
                .description("1 while this instance reaches Redis, 0 while it protects itself alone")
                .tags(namespace).register(meters);
        Gauge.builder("breaker.cluster.instances", cluster, RedisCluster::liveInstances)
                .description("Live instances of the application").tags(namespace).register(meters);
        breakers.all().forEach(breaker -> bind(breaker, meters));
        breakers.onBreakerAdded(breaker -> bind(breaker, meters));
        breakers.onBreakerRemoved(breaker -> unbind(breaker, meters));
    }

    private void bind(Breaker breaker, MeterRegistry meters) {
        String name = breaker.name();
        if (cluster.policy(name).mode() == ClusterPolicy.Mode.LOCAL) {
            return;
        }
        Tags tags = commonTags.and("name", name);
        List<Meter> bound = new ArrayList<>();
        bound.add(Gauge.builder("breaker.cluster.live.instances", cluster, c -> {
            // For a later scrape, at most every ten publish intervals (a read costs Redis work per live instance and
            // breaker); a gauge never waits.
            c.refresh(c.publishInterval().multipliedBy(10));
            return c.snapshot(name).instances().size();
        }).description("Live instances that reported the breaker").tags(tags).register(meters));
        bound.add(Gauge.builder("breaker.cluster.following", cluster, c -> c.following(name) ? 1 : 0)
                .description("1 while this instance follows a cluster-wide outage of the breaker")
                .tags(tags).register(meters));
        bound.add(Gauge.builder("breaker.cluster.lease.held", cluster, c -> c.holdsLease(name) ? 1 : 0)
                .description("1 while this instance holds the breaker's probe lease").tags(tags).register(meters));
        metersByBreaker.put(name, bound);
    }

    private void unbind(Breaker breaker, MeterRegistry meters) {
        List<Meter> bound = metersByBreaker.remove(breaker.name());
        if (bound != null) {
            bound.forEach(meters::remove);
        }
    }
}
