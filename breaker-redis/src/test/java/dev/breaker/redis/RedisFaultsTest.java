package dev.breaker.redis;

import dev.breaker.Breaker;
import dev.breaker.BreakerConfig;
import dev.breaker.BreakerRegistry;
import dev.breaker.redis.Instances.Instance;
import dev.breaker.redis.testing.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;

import static dev.breaker.CircuitState.CLOSED;
import static dev.breaker.CircuitState.HALF_OPEN;
import static dev.breaker.CircuitState.OPEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis going away under a running cluster: killed, frozen with SIGSTOP, never there. The callers never wait for it,
 * each instance protects itself alone with one WARN, and rejoins by itself with one INFO, sharing what happened
 * meanwhile.
 */
class RedisFaultsTest {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final Duration BOUND = Duration.ofSeconds(15);
    /**
     * A call that waited for Redis would take at least the command timeout (100 ms), and for a frozen or dead Redis
     * as long as the fault (over a second here); a call takes microseconds, plus what the machine steals.
     */
    private static final Duration NEVER_BLOCKED = Instances.TIMEOUT;
    /** How long each fault lasts at least, with the callers calling. */
    private static final Duration FAULT = Duration.ofSeconds(1);
    /** Long enough that connecting again (TCP, handshake, subscription, the first reads) fits well within it. */
    private static final Duration INTERVAL = Duration.ofMillis(500);
    private static final String NAME = "inventory";
    private static final String STEADY = "catalog";

    private final BreakerConfig config = BreakerConfig.builder().countWindow(4).minimumCalls(4)
            .failureRateThreshold(50).waitInOpen(Duration.ofSeconds(30)).halfOpenCalls(1).build();
    private final LogCapture log = new LogCapture();
    private final Caller caller = new Caller();

    @BeforeEach
    void redisRuns() {
        redis.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        caller.stop();
        log.close();
        redis.resume();
    }

    /**
     * Calls breakers all along, on a thread of its own, and keeps the slowest call's duration. It pauses a tenth of a
     * millisecond between rounds, as a real caller does between calls: a thread that called without a pause would be
     * inside a call whenever the busy machine took its core away, and measure the machine.
     */
    private static final class Caller implements Runnable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong worstNanos = new AtomicLong();
        private final AtomicLong calls = new AtomicLong();
        private volatile List<Breaker> breakers = List.of();
        private Thread thread;

        void start(List<Breaker> called) {
            breakers = called;
            thread = new Thread(this, "caller");
            thread.start();
        }

        @Override
        public void run() {
            while (running.get()) {
                for (Breaker breaker : breakers) {
                    long start = System.nanoTime();
                    long permit = breaker.acquirePermit();
                    if (Breaker.isPermitted(permit)) {
                        breaker.recordSuccess(permit, 0);
                    }
                    worstNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                    calls.incrementAndGet();
                }
                LockSupport.parkNanos(100_000);
            }
        }

        Duration worst() {
            return Duration.ofNanos(worstNanos.get());
        }

        void stop() throws InterruptedException {
            running.set(false);
            if (thread != null) {
                thread.join(10_000);
            }
        }
    }

    @Test
    void redisKilledMidRun_theInstancesGoOnAlone_andRejoinWithinTwoPublishIntervalsOnceItIsBack() throws Exception {
        try (Instances cluster = new Instances(redis, config, name -> ClusterPolicy.SHARE_OPEN, INTERVAL)) {
            Instance a = cluster.start("a");
            Instance b = cluster.start("b");
            caller.start(List.of(a.breaker(STEADY), b.breaker(STEADY), a.breaker(NAME), b.breaker(NAME)));

            redis.stop();
            await("both local-only").atMost(BOUND).until(() -> !a.cluster().connected() && !b.cluster().connected());
            await("the fault lasting").during(FAULT).atMost(BOUND).until(() -> !a.cluster().connected());
            a.fail(NAME, 4); // opens alone: nobody to tell
            assertThat(a.breaker(NAME).state()).isEqualTo(OPEN);
            assertThat(b.breaker(NAME).state()).isEqualTo(CLOSED);

            redis.start();
            long back = System.nanoTime();
            await("both rejoined").atMost(BOUND).pollInterval(Duration.ofMillis(5))
                    .until(() -> a.cluster().connected() && b.cluster().connected());
            Duration rejoin = Duration.ofNanos(System.nanoTime() - back);

            await("a's opening, kept while away, reaches b").atMost(BOUND)
                    .until(() -> b.breaker(NAME).state() == OPEN);
            assertRecovered("killed", rejoin);
        }
    }

    @Test
    void redisFrozenWithSigstop_callersNeverWait_andTheInstancesRejoinWhenItThaws() throws Exception {
        try (Instances cluster = new Instances(redis, config, name -> ClusterPolicy.SHARE_OPEN, INTERVAL)) {
            Instance a = cluster.start("a");
            Instance b = cluster.start("b");
            caller.start(List.of(a.breaker(STEADY), b.breaker(STEADY), a.breaker(NAME), b.breaker(NAME)));

            redis.pause();
            await("both local-only").atMost(BOUND).until(() -> !a.cluster().connected() && !b.cluster().connected());
            await("the fault lasting").during(FAULT).atMost(BOUND).until(() -> !a.cluster().connected());
            a.fail(NAME, 4);
            assertThat(b.breaker(NAME).state()).isEqualTo(CLOSED);

            redis.resume();
            long back = System.nanoTime();
            await("both rejoined").atMost(BOUND).pollInterval(Duration.ofMillis(5))
                    .until(() -> a.cluster().connected() && b.cluster().connected());
            Duration rejoin = Duration.ofNanos(System.nanoTime() - back);

            await("a's opening reaches b").atMost(BOUND).until(() -> b.breaker(NAME).state() == OPEN);
            assertRecovered("frozen", rejoin);
        }
    }

    @Test
    void followingAnOutage_whenRedisGoes_anInstanceProbesAlone_ratherThanWaitForALeaseNoOneCanGrant() {
        BreakerConfig shortWait = config.toBuilder().waitInOpen(Duration.ofMillis(300)).build();
        try (Instances cluster = new Instances(redis, shortWait, name -> ClusterPolicy.SHARE_OPEN, INTERVAL)) {
            Instance a = cluster.start("a");
            Instance b = cluster.start("b");
            b.breaker(NAME);
            a.fail(NAME, 4);
            await().atMost(BOUND).until(() -> b.breaker(NAME).state() == OPEN);

            redis.stop();
            await("b local-only").atMost(BOUND).until(() -> !b.cluster().connected());

            await("b probes by itself").atMost(BOUND).until(() -> {
                Breaker breaker = b.breaker(NAME);
                long permit = breaker.acquirePermit();
                if (Breaker.isPermitted(permit)) {
                    breaker.release(permit);
                }
                return breaker.state() == HALF_OPEN;
            });
        }
    }

    @Test
    void startup_neverWaitsForRedis_andNoRedisAtAllMeansLocalOnly_withOneWarning() {
        RedisClient nowhere = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(closedPort())
                .withTimeout(Duration.ofSeconds(1)).build());
        BreakerRegistry registry = BreakerRegistry.of(config);
        long start = System.nanoTime();
        RedisCluster cluster = RedisCluster.builder(nowhere).namespace("nowhere").publishInterval(INTERVAL)
                .commandTimeout(Instances.TIMEOUT).policies(name -> ClusterPolicy.SHARE_OPEN).start(registry);
        Duration startup = Duration.ofNanos(System.nanoTime() - start);
        try {
            assertThat(startup).isLessThan(Duration.ofMillis(500));
            Instance alone = new Instance("alone", registry, cluster);
            alone.fail(NAME, 4);
            assertThat(alone.breaker(NAME).state()).isEqualTo(OPEN);

            await("the warning").atMost(BOUND).until(() -> !log.messages(Level.WARNING, "does not answer").isEmpty());
            await().during(INTERVAL.multipliedBy(4)).atMost(BOUND)
                    .until(() -> log.messages(Level.WARNING, "does not answer").size() == 1);
            assertThat(log.messages(Level.WARNING, "does not answer")).singleElement().asString()
                    .contains("protects itself alone (local-only)");
            assertThat(cluster.connected()).isFalse();
            assertThat(cluster.snapshot(NAME).connected()).isFalse();
        } finally {
            cluster.close();
            nowhere.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    /**
     * The instances rejoined within two publish intervals of Redis's return, no call waited during the fault, and
     * each instance said so once: one WARN when it went local-only, one INFO when it rejoined.
     */
    private void assertRecovered(String fault, Duration rejoin) throws InterruptedException {
        caller.stop();
        System.out.printf("Redis %s: rejoined %d ms after it was back (publish interval %d ms); worst of %d calls"
                + " during the fault %.3f ms%n", fault, rejoin.toMillis(), INTERVAL.toMillis(), caller.calls.get(),
                caller.worst().toNanos() / 1e6);
        assertThat(rejoin).isLessThanOrEqualTo(INTERVAL.multipliedBy(2));
        assertThat(caller.worst()).isLessThan(NEVER_BLOCKED);
        assertOneWarningAndOneInfoPerInstance();
    }

    private void assertOneWarningAndOneInfoPerInstance() {
        await().atMost(BOUND).untilAsserted(() -> {
            assertThat(log.messages(Level.WARNING, "does not answer")).hasSize(2)
                    .anySatisfy(message -> assertThat(message).contains("instance a protects itself alone"))
                    .anySatisfy(message -> assertThat(message).contains("instance b protects itself alone"));
            assertThat(log.messages(Level.INFO, "rejoined")).hasSize(2);
        });
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
