package dev.breaker.redis;

import dev.breaker.Breaker;
import dev.breaker.BreakerConfig;
import dev.breaker.BreakerRegistry;
import dev.breaker.redis.testing.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Instances of one application in one JVM: each a registry of its own with a {@link RedisCluster} of its own, on
 * connections of its own, sharing one Redis. Each set of instances gets a namespace of its own.
 */
final class Instances implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofMillis(200);
    static final Duration TIMEOUT = Duration.ofMillis(100);
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    final String namespace = "test-" + NAMESPACES.incrementAndGet();
    final RedisClient client;
    private final BreakerConfig config;
    private final Function<String, ClusterPolicy> policies;
    private final List<Instance> started = new ArrayList<>();

    private final Duration interval;

    Instances(RedisServer redis, BreakerConfig config, Function<String, ClusterPolicy> policies) {
        this(redis, config, policies, INTERVAL);
    }

    Instances(RedisServer redis, BreakerConfig config, Function<String, ClusterPolicy> policies, Duration interval) {
        this.interval = interval;
        this.client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(redis.port())
                .withTimeout(Duration.ofSeconds(1)).build());
        this.config = config;
        this.policies = policies;
    }

    /** Starts instance {@code id} and waits until it joined the cluster. */
    Instance start(String id) {
        Instance instance = startDetached(id);
        instance.awaitConnected();
        return instance;
    }

    /** Starts instance {@code id} without waiting for Redis. */
    Instance startDetached(String id) {
        BreakerRegistry registry = BreakerRegistry.of(config);
        RedisCluster cluster = RedisCluster.builder(client).namespace(namespace).instanceId(id)
                .publishInterval(interval).commandTimeout(TIMEOUT).policies(policies).start(registry);
        Instance instance = new Instance(id, registry, cluster);
        started.add(instance);
        return instance;
    }

    @Override
    public void close() {
        started.forEach(instance -> instance.cluster().close());
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    /** One instance: its registry and its cluster. */
    record Instance(String id, BreakerRegistry registry, RedisCluster cluster) {

        Breaker breaker(String name) {
            return registry.breaker(name);
        }

        void awaitConnected() {
            org.awaitility.Awaitility.await(id + " connected").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(10)).until(cluster::connected);
        }

        /** Records {@code count} failed calls. */
        void fail(String name, int count) {
            Breaker breaker = breaker(name);
            for (int i = 0; i < count; i++) {
                long permit = breaker.acquirePermit();
                if (Breaker.isPermitted(permit)) {
                    breaker.recordFailure(permit, 0, new IOException("down"));
                }
            }
        }

        /** Records {@code count} successful calls. */
        void succeed(String name, int count) {
            Breaker breaker = breaker(name);
            for (int i = 0; i < count; i++) {
                long permit = breaker.acquirePermit();
                if (Breaker.isPermitted(permit)) {
                    breaker.recordSuccess(permit, 0);
                }
            }
        }
    }
}
