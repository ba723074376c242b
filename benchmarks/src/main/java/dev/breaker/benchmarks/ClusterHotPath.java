package dev.breaker.benchmarks;

import dev.breaker.Breaker;
import dev.breaker.BreakerConfig;
import dev.breaker.BreakerRegistry;
import dev.breaker.CircuitState;
import dev.breaker.redis.ClusterPolicy;
import dev.breaker.redis.RedisCluster;
import dev.breaker.redis.testing.RedisServer;
import io.lettuce.core.RedisClient;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The hot path with cluster coordination on and off: {@code breaker}, a breaker of a registry alone;
 * {@code breakerClusterOn}, the same breaker in a registry a {@link RedisCluster} (share-open) is attached to and
 * connected through, to a redis-server on this machine. {@code protocol}: closed, every call succeeds, count window
 * of 100; {@code reject}: open (a one-hour wait), asking for permission. The two must be equal within noise: the
 * cluster adds nothing to a call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ClusterHotPath {

    @Benchmark
    public @Nullable String protocol_breaker(Alone breakers, Calls call) {
        return Protocols.breaker(breakers.closed, call);
    }

    @Benchmark
    public @Nullable String protocol_breakerClusterOn(InCluster breakers, Calls call) {
        return Protocols.breaker(breakers.closed, call);
    }

    @Benchmark
    public boolean reject_breaker(Alone breakers) {
        return breakers.open.tryAcquire();
    }

    @Benchmark
    public boolean reject_breakerClusterOn(InCluster breakers) {
        return breakers.open.tryAcquire();
    }

    private static BreakerConfig config() {
        return Fixtures.breaker().countWindow(Fixtures.COUNT_WINDOW).waitInOpen(Duration.ofHours(1)).build();
    }

    /** A closed and an open breaker of a registry without a cluster. */
    @State(Scope.Benchmark)
    public static class Alone {

        Breaker closed;
        Breaker open;

        @Setup(Level.Trial)
        public void create() {
            BreakerRegistry registry = BreakerRegistry.of(config());
            closed = registry.breaker("closed");
            open = registry.breaker("open");
            trip(open);
        }

        @TearDown(Level.Trial)
        public void requireStates() {
            requireClosedAndOpen(closed, open);
        }
    }

    /** The same breakers, in a registry coordinated through a local redis-server. */
    @State(Scope.Benchmark)
    public static class InCluster {

        Breaker closed;
        Breaker open;
        private RedisServer redis;
        private RedisClient client;
        private RedisCluster cluster;

        @Setup(Level.Trial)
        public void start() {
            redis = new RedisServer().start();
            client = RedisClient.create(redis.uri());
            BreakerRegistry registry = BreakerRegistry.of(config());
            // A benchmark thread keeps a core busy: a generous command timeout keeps the link up on a small machine
            // (the calls measured never wait for Redis either way).
            cluster = RedisCluster.builder(client).namespace("jmh").policies(name -> ClusterPolicy.SHARE_OPEN)
                    .commandTimeout(Duration.ofMillis(500)).start(registry);
            await("connected to Redis").atMost(Duration.ofSeconds(30)).until(cluster::connected);
            closed = registry.breaker("closed");
            open = registry.breaker("open");
            trip(open);
            await("the opening announced").atMost(Duration.ofSeconds(30)).until(() -> cluster.following("open"));
        }

        @TearDown(Level.Trial)
        public void stop() {
            try {
                Fixtures.require(cluster.connected(), "the cluster lost Redis during the benchmark");
                requireClosedAndOpen(closed, open);
            } finally {
                cluster.close();
                client.shutdown();
                redis.stop();
            }
        }
    }

    private static void requireClosedAndOpen(Breaker closed, Breaker open) {
        Fixtures.require(closed.state() == CircuitState.CLOSED, closed + " left CLOSED");
        Fixtures.require(open.state() == CircuitState.OPEN, open + " left OPEN");
    }

    private static void trip(Breaker breaker) {
        while (breaker.state() == CircuitState.CLOSED) {
            long permit = breaker.acquirePermit();
            if (Breaker.isPermitted(permit)) {
                breaker.recordFailure(permit, 0, new IOException("down"));
            }
        }
    }
}
