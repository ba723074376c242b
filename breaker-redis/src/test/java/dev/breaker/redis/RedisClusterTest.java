package dev.breaker.redis;

import dev.breaker.Breaker;
import dev.breaker.BreakerConfig;
import dev.breaker.BreakerEvent;
import dev.breaker.CircuitState;
import dev.breaker.EventType;
import dev.breaker.GradualRecovery;
import dev.breaker.TransitionReason;
import dev.breaker.redis.Instances.Instance;
import dev.breaker.redis.testing.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.logging.Level;

import static dev.breaker.CircuitState.CLOSED;
import static dev.breaker.CircuitState.FORCED_OPEN;
import static dev.breaker.CircuitState.HALF_OPEN;
import static dev.breaker.CircuitState.OPEN;
import static dev.breaker.CircuitState.RECOVERING;
import static dev.breaker.redis.Instances.INTERVAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

/** Instances of one application, each a registry with a cluster of its own, sharing one real redis-server. */
class RedisClusterTest {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final String NAME = "inventory";

    private static BreakerConfig.Builder config(Duration waitInOpen) {
        return BreakerConfig.builder().countWindow(4).minimumCalls(4).failureRateThreshold(50).waitInOpen(waitInOpen)
                .halfOpenCalls(2);
    }

    private static Instances instances(BreakerConfig config, ClusterPolicy policy) {
        return new Instances(redis, config, name -> policy);
    }

    private static List<BreakerEvent.StateTransition> transitions(Breaker breaker) {
        List<BreakerEvent.StateTransition> seen = new CopyOnWriteArrayList<>();
        breaker.addListener(EnumSet.of(EventType.STATE_TRANSITION),
                event -> seen.add((BreakerEvent.StateTransition) event));
        return seen;
    }

    private static void awaitState(CircuitState state, Instance... instances) {
        for (Instance instance : instances) {
            await(instance.id() + " " + state).atMost(BOUND).pollInterval(Duration.ofMillis(5))
                    .until(() -> instance.breaker(NAME).state() == state);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // share-open

    @Test
    void shareOpen_anInstanceThatOpens_opensTheOthersForTheRemainingWait_withReasonClusterOpened() {
        try (Instances cluster = instances(config(Duration.ofSeconds(30)).build(), ClusterPolicy.SHARE_OPEN)) {
            Instance a = cluster.start("a");
            Instance b = cluster.start("b");
            Instance c = cluster.start("c");
            List<BreakerEvent.StateTransition> onB = transitions(b.breaker(NAME));
            c.breaker(NAME);

            a.fail(NAME, 4);

            awaitState(OPEN, b, c);
            assertThat(onB).singleElement().satisfies(transition -> {
                assertThat(transition.from()).isEqualTo(CLOSED);
                assertThat(transition.reason()).isEqualTo(TransitionReason.CLUSTER_OPENED);
            });
            assertThat(b.breaker(NAME).remainingWait()).isBetween(Duration.ofSeconds(25), Duration.ofSeconds(30));
            ClusterSnapshot seenByC = c.cluster().snapshot(NAME);
            assertThat(seenByC.following()).isTrue();
            assertThat(seenByC.openedBy()).isEqualTo("a");
            assertThat(seenByC.openCause()).isEqualTo("FAILURE_RATE_EXCEEDED");
            assertThat(seenByC.recentEvents()).first().satisfies(event -> {
                assertThat(event.kind()).isEqualTo(ClusterEvent.Kind.OPENED_BY_CLUSTER);
                assertThat(event.instance()).isEqualTo("a");
            });
        }
    }

    @Test
    void localPolicy_sharesNothing() {
        Function<String, ClusterPolicy> policies = name -> name.equals(NAME) ? ClusterPolicy.SHARE_OPEN
                : ClusterPolicy.LOCAL;
        try (Instances cluster = new Instances(redis, config(Duration.ofSeconds(30)).build(), policies)) {
            Instance a = cluster.start("a");
            Instance b = cluster.start("b");
            b.breaker("solo");
            b.breaker(NAME);

            a.fail("solo", 4);
            a.fail(NAME, 4);

            awaitState(OPEN, b); // the shared breaker's opening arrived; the local one's was never sent
            assertThat(b.breaker("solo").state()).isEqualTo(CLOSED);
            assertThat(b.cluster().policy("solo")).isEqualTo(ClusterPolicy.LOCAL);
            assertThat(b.cluster().snapshot("solo").instances()).isEmpty();
        }
    }

    @Test
    void aBreakerCreatedOrAnInstanceStartedDuringAnOutage_joinsIt_butNotAnEndedOne() {
        try (Instances cluster = instances(config(Duration.ofSeconds(30)).build(), ClusterPolicy.SHARE_OPEN)) {
            Instance a = cluster.start("a");
            a.fail(NAME, 4);
            await().atMost(BOUND).until(() -> a.cluster().following(NAME));

            Instance late = cluster.start("late");
            List<BreakerEvent.StateTransition> onLate = transitions(late.breaker(NAME));

            awaitState(OPEN, late);
            assertThat(onLate).singleElement().extracting(BreakerEvent.StateTransition::reason)
                    .isEqualTo(TransitionReason.CLUSTER_OPENED);
            assertThat(late.breaker(NAME).remainingWait()).isLessThanOrEqualTo(Duration.ofSeconds(30));

            a.cluster().act(NAME, ManualAction.RESET, true).join();
            awaitState(CLOSED, a, late);
            Instance later = cluster.start("later");
            later.breaker(NAME);
            await().during(INTERVAL.multipliedBy(3)).atMost(BOUND).until(() -> later.breaker(NAME).state() == CLOSED);
        }
    }

    @Test
    void anAnnouncementNotRefreshedExpires_soThatNoOneOpensForAnOutageThatEnded() {
        try (Instances cluster = instances(config(Duration.ofMillis(800)).build(), ClusterPolicy.SHARE_OPEN)) {
            Instance a = cluster.start("a");
            a.fail(NAME, 4);
            await().atMost(BOUND).until(() -> a.cluster().following(NAME));
            a.cluster().crash();
            String key = "breaker:{" + cluster.namespace + "}:open:" + NAME;
            await("the announcement expires").atMost(BOUND).until(() -> redis.command("PTTL", key).equals("-2"));

            Instance b = cluster.start("b");
            b.breaker(NAME);

            await().during(INTERVAL.multipliedBy(3)).atMost(BOUND).until(() -> b.breaker(NAME).state() == CLOSED);
        }
    }

    @Test
    void staleAnnouncements_ofAnOlderOrEndedOutage_areIgnored() {
        try (Instances cluster = instances(config(Duration.ofSeconds(30)).build(), ClusterPolicy.SHARE_OPEN)) {
            Instance a = cluster.start("a");
            Instance b = cluster.start("b");
            List<BreakerEvent.StateTransition> onB = transitions(b.breaker(NAME));
            a.fail(NAME, 4);
            awaitState(OPEN, b);
            long ended = b.cluster().snapshot(NAME).outageGeneration();
            b.cluster().act(NAME, ManualAction.RESET, true).join();
            awaitState(CLOSED, a, b);
            onB.clear();

            String channel = "breaker:{" + cluster.namespace + "}:events";
            String[] time = redis.command("TIME").split("\n");
            long now = Long.parseLong(time[0]) * 1_000_000 + Long.parseLong(time[1]); // generations are Redis time
            redis.command("PUBLISH", channel, "1|open|" + ended + "|x|30000|FAILURE_RATE_EXCEEDED|" + NAME);
            redis.command("PUBLISH", channel, "1|open|" + (ended - 1) + "|x|30000|FAILURE_RATE_EXCEEDED|" + NAME);
            redis.command("PUBLISH", channel, "1|open|" + (ended + 1) + "|x|30000|FAILURE_RATE_EXCEEDED|" + NAME);
            redis.command("PUBLISH", channel, "1|open|" + (now + 1) + "|y|30000|FAILURE_RATE_EXCEEDED|" + NAME);

            // Messages are handled in order: once the newer one opened the breaker, the stale ones were seen: one
            // older than the reset (ended + 1 was announced before it) is stale as well.
            awaitState(OPEN, b);
            assertThat(onB).singleElement().extracting(BreakerEvent.StateTransition::reason)
                    .isEqualTo(TransitionReason.CLUSTER_OPENED);
            assertThat(b.cluster().snapshot(NAME).openedBy()).isEqualTo("y");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // quorum

    @Test
    void quorum_oneBadInstanceDoesNotPoisonTheOthers_aQuorumOpensThemAll() {
        ClusterPolicy twoOfThree = ClusterPolicy.quorum(Quorum.HALF, 0);
        try (Instances cluster = instances(config(Duration.ofSeconds(30)).build(), twoOfThree)) {
            Instance a = cluster.start("a");
            Instance b = cluster.start("b");
            Instance c = cluster.start("c");
            List<BreakerEvent.StateTransition> onC = transitions(c.breaker(NAME));
            b.breaker(NAME);

            a.fail(NAME, 4);
            awaitState(OPEN, a);
            await("a's vote in Redis").atMost(BOUND).until(() -> {
                c.cluster().refresh().exceptionally(error -> null).join();
                return c.cluster().snapshot(NAME).instances().stream()
                        .anyMatch(state -> state.instance().equals("a") && state.ownOutage());
            });
            await().during(INTERVAL.multipliedBy(3)).atMost(BOUND)
                    .until(() -> b.breaker(NAME).state() == CLOSED && c.breaker(NAME).state() == CLOSED);

            b.fail(NAME, 4);

            awaitState(OPEN, c);
            assertThat(onC).singleElement().extracting(BreakerEvent.StateTransition::reason)
                    .isEqualTo(TransitionReason.CLUSTER_OPENED);
            assertThat(c.cluster().snapshot(NAME).openCause()).isEqualTo("QUORUM");
        }
    }

    @Test
    void quorumPercent_countsTheLiveInstances_notOnlyThoseThatReportedTheBreaker() {
        try (Instances cluster = instances(config(Duration.ofSeconds(30)).build(),
                ClusterPolicy.quorum(Quorum.HALF, 0))) {
            Instance a = cluster.start("a");
            cluster.start("b");
            Instance c = cluster.start("c"); // b and c have not created the breaker (yet)

            a.fail(NAME, 4);
            String p = "breaker:{" + cluster.namespace + "}:";
            await("a's vote in Redis").atMost(BOUND)
                    .until(() -> redis.command("HGET", p + "instance:a", NAME).startsWith("1|OPEN|1|"));

            // One vote of three live instances is no half: nothing was announced for the others to join.
            assertThat(redis.command("EXISTS", p + "open:" + NAME)).isEqualTo("0");
            assertThat(c.cluster().following(NAME)).isFalse();
        }
    }

    @Test
    void quorum_theAggregatedWindowOpensEveryInstance_whenNoneReachesItsOwnMinimumCalls() {
        BreakerConfig tenCalls = BreakerConfig.builder().countWindow(10).minimumCalls(10).failureRateThreshold(50)
                .waitInOpen(Duration.ofSeconds(30)).build();
        ClusterPolicy overTwelveCalls = ClusterPolicy.quorum(Quorum.ofInstances(3), 12);
        try (Instances cluster = instances(tenCalls, overTwelveCalls)) {
            Instance a = cluster.start("a");
            Instance b = cluster.start("b");
            Instance c = cluster.start("c");
            for (Instance instance : List.of(a, b)) {
                instance.fail(NAME, 3);
                instance.succeed(NAME, 1);
            }
            c.breaker(NAME);
            await("8 calls of a and b in Redis").atMost(BOUND).until(() -> {
                c.cluster().refresh().exceptionally(error -> null).join();
                return c.cluster().snapshot(NAME).instances().size() == 3;
            });
            await().during(INTERVAL.multipliedBy(2)).atMost(BOUND).until(() -> c.breaker(NAME).state() == CLOSED);

            c.fail(NAME, 2);
            c.succeed(NAME, 2); // 12 calls, 8 failed: 67% over the cluster, none over its own minimum

            awaitState(OPEN, a, b, c);
            assertThat(a.cluster().snapshot(NAME).openCause()).isEqualTo("CLUSTER_WINDOW");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Recovery: one probe for the cluster

    /** Asks each instance's breaker for a permit, in turn, and keeps the permits granted with their instance. */
    private static final class Callers {
        final List<Map.Entry<Instance, Long>> granted = new CopyOnWriteArrayList<>();
        final List<Instance> instances;

        Callers(List<Instance> instances) {
            this.instances = new CopyOnWriteArrayList<>(instances);
        }

        boolean round() {
            for (Instance instance : instances) {
                Breaker breaker = instance.breaker(NAME);
                long permit = breaker.acquirePermit();
                if (Breaker.isPermitted(permit)) {
                    granted.add(Map.entry(instance, permit));
                }
            }
            return true;
        }

        List<String> grantedTo() {
            return granted.stream().map(entry -> entry.getKey().id()).toList();
        }

        void succeedAll() {
            List<Map.Entry<Instance, Long>> calls = new ArrayList<>(granted);
            granted.clear();
            calls.forEach(call -> call.getKey().breaker(NAME).recordSuccess(call.getValue(), 0));
        }
    }

    @Test
    void recovery_oneInstanceProbes_atMostHalfOpenCallsReachTheDownstream_andTheOthersFollowItsVerdict() {
        try (Instances cluster = instances(config(Duration.ofMillis(500)).build(), ClusterPolicy.SHARE_OPEN)) {
            List<Instance> all = List.of(cluster.start("a"), cluster.start("b"), cluster.start("c"), cluster.start("d"));
            List<List<BreakerEvent.StateTransition>> seen = all.stream().map(i -> transitions(i.breaker(NAME))).toList();
            all.get(0).fail(NAME, 4);
            awaitState(OPEN, all.toArray(Instance[]::new));
            Callers callers = new Callers(all);

            await("trial calls").atMost(BOUND).pollInterval(Duration.ofMillis(2))
                    .until(() -> callers.round() && callers.granted.size() >= 2);
            await("no more trial calls anywhere").during(INTERVAL.multipliedBy(3)).atMost(BOUND)
                    .pollInterval(Duration.ofMillis(2)).until(() -> callers.round() && callers.granted.size() == 2);

            String prober = callers.grantedTo().get(0);
            assertThat(callers.grantedTo()).containsOnly(prober);
            Instance probing = all.stream().filter(i -> i.id().equals(prober)).findFirst().orElseThrow();
            assertThat(probing.breaker(NAME).state()).isEqualTo(HALF_OPEN);
            assertThat(probing.cluster().holdsLease(NAME)).isTrue();
            all.stream().filter(i -> i != probing).forEach(other -> {
                assertThat(other.breaker(NAME).state()).isEqualTo(OPEN);
                long rejected = other.breaker(NAME).acquirePermit();
                assertThat(other.breaker(NAME).rejection(rejected).retryAfter()).contains(Duration.ZERO);
            });

            callers.succeedAll();

            awaitState(CLOSED, all.toArray(Instance[]::new));
            for (int i = 0; i < all.size(); i++) {
                TransitionReason closedBy = seen.get(i).get(seen.get(i).size() - 1).reason();
                assertThat(closedBy).isEqualTo(all.get(i) == probing ? TransitionReason.TRIAL_CALLS_SUCCEEDED
                        : TransitionReason.CLUSTER_RECOVERED);
            }
        }
    }

    @Test
    void recovery_withGradualRecovery_everyInstanceRampsTogether() {
        BreakerConfig ramping = config(Duration.ofMillis(500)).gradualRecovery(GradualRecovery.over(
                Duration.ofMinutes(1))).build();
        try (Instances cluster = instances(ramping, ClusterPolicy.SHARE_OPEN)) {
            Instance a = cluster.start("a");
            Instance b = cluster.start("b");
            b.breaker(NAME);
            a.fail(NAME, 4);
            awaitState(OPEN, b);
            Callers callers = new Callers(List.of(a, b));
            await("trial calls").atMost(BOUND).until(() -> callers.round() && callers.granted.size() >= 2);

            callers.succeedAll();

            awaitState(RECOVERING, a, b);
        }
    }

    @Test
    void recovery_aProberKilledMidTrial_losesItsLeaseByExpiry_andAnotherInstanceProbes() {
        try (Instances cluster = instances(config(Duration.ofMillis(500)).build(), ClusterPolicy.SHARE_OPEN)) {
            List<Instance> all = new ArrayList<>(List.of(cluster.start("a"), cluster.start("b"), cluster.start("c")));
            all.get(0).fail(NAME, 4);
            awaitState(OPEN, all.toArray(Instance[]::new));
            Callers callers = new Callers(all);
            await("trial calls").atMost(BOUND).until(() -> callers.round() && callers.granted.size() >= 2);
            Instance killed = callers.granted.get(0).getKey();

            killed.cluster().crash(); // mid-trial: its two trial calls never end, its lease is never given back
            callers.instances.remove(killed);
            callers.granted.clear();

            await("another instance probes").atMost(BOUND).pollInterval(Duration.ofMillis(2))
                    .until(() -> callers.round() && callers.granted.size() >= 2);
            Instance next = callers.granted.get(0).getKey();
            assertThat(next).isNotSameAs(killed);
            assertThat(callers.grantedTo()).containsOnly(next.id()).hasSize(2);
            callers.succeedAll();
            Instance[] survivors = callers.instances.toArray(Instance[]::new);
            awaitState(CLOSED, survivors);
        }
    }

    @Test
    void recovery_aFailedTrial_opensEveryInstanceAgain_forTheProbersNewWait() {
        try (Instances cluster = instances(config(Duration.ofMillis(500)).build(), ClusterPolicy.SHARE_OPEN)) {
            Instance a = cluster.start("a");
            Instance b = cluster.start("b");
            b.breaker(NAME);
            a.fail(NAME, 4);
            awaitState(OPEN, b);
            long first = b.cluster().snapshot(NAME).outageGeneration();
            Callers callers = new Callers(List.of(a, b));
            await("trial calls").atMost(BOUND).until(() -> callers.round() && callers.granted.size() >= 2);
            Instance prober = callers.granted.get(0).getKey();
            Instance other = prober == a ? b : a;

            callers.granted.forEach(call -> call.getKey().breaker(NAME).recordFailure(call.getValue(), 0,
                    new IllegalStateException("still down")));

            await("a newer outage").atMost(BOUND).until(() -> other.cluster().snapshot(NAME).outageGeneration() > first);
            assertThat(prober.breaker(NAME).state()).isEqualTo(OPEN);
            assertThat(other.breaker(NAME).state()).isEqualTo(OPEN);
            assertThat(other.cluster().snapshot(NAME).openRemaining()).isPositive();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Manual actions

    @Test
    void manualActions_applyClusterWide_orOnThisInstanceAlone_eachAnEventNamingTheInstance() {
        try (Instances cluster = instances(config(Duration.ofSeconds(30)).build(), ClusterPolicy.SHARE_OPEN)) {
            Instance a = cluster.start("a");
            Instance b = cluster.start("b");
            Instance c = cluster.start("c");
            List<ClusterEvent> onC = new CopyOnWriteArrayList<>();
            c.cluster().addListener(onC::add);
            a.breaker(NAME);
            b.breaker(NAME);
            c.breaker(NAME);

            assertThat(b.cluster().act(NAME, ManualAction.FORCE_OPEN, true).join()).isTrue();
            awaitState(FORCED_OPEN, a, b, c);
            await().atMost(BOUND).until(() -> onC.stream().anyMatch(e -> e.kind() == ClusterEvent.Kind.MANUAL_ACTION));
            assertThat(onC).last().satisfies(event -> {
                assertThat(event.instance()).isEqualTo("b");
                assertThat(event.detail()).isEqualTo("force-open (cluster-wide)");
            });

            assertThat(c.cluster().act(NAME, ManualAction.CLOSE, false).join()).isFalse();
            assertThat(c.breaker(NAME).state()).isEqualTo(CLOSED);
            await().during(INTERVAL.multipliedBy(2)).atMost(BOUND)
                    .until(() -> a.breaker(NAME).state() == FORCED_OPEN && b.breaker(NAME).state() == FORCED_OPEN);
            assertThat(c.cluster().snapshot(NAME).recentEvents()).first()
                    .extracting(ClusterEvent::instance, ClusterEvent::detail).containsExactly("c", "close (this instance)");

            a.cluster().act(NAME, ManualAction.RESET, true).join();
            awaitState(CLOSED, a, b, c);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Bad data

    @Test
    void badPayloads_areIgnoredWithAWarning_neverAnExceptionNearACall() {
        try (Instances cluster = instances(config(Duration.ofSeconds(30)).build(), ClusterPolicy.SHARE_OPEN);
             LogCapture log = new LogCapture()) {
            String p = "breaker:{" + cluster.namespace + "}:";
            redis.command("SET", p + "open:" + NAME, "garbage");
            redis.command("HSET", p + "lease:" + NAME, "a", "hash where a string belongs");
            redis.command("SET", p + "instances", "a string where a sorted set belongs");
            Instance a = cluster.start("a");
            Instance b = cluster.start("b");
            b.breaker(NAME);
            a.breaker(NAME);
            await("the garbage announcement read and ignored").atMost(BOUND).until(() ->
                    !log.messages(Level.WARNING, "open:/lease:" + NAME + ", which 'garbage'").isEmpty());

            redis.command("PUBLISH", p + "events", "hello");
            redis.command("PUBLISH", p + "events", "9|open|1|x|30000|FAILURE_RATE_EXCEEDED|" + NAME);
            redis.command("PUBLISH", p + "events", "1|open|soon|x|30000|FAILURE_RATE_EXCEEDED|" + NAME);
            redis.command("PUBLISH", p + "events", "1|explode|1|x|0||" + NAME);
            assertThatCode(() -> {
                for (int i = 0; i < 1000; i++) {
                    b.succeed(NAME, 1);
                }
            }).doesNotThrowAnyException();

            a.fail(NAME, 4); // the cluster still works around the garbage
            awaitState(OPEN, b);
            await("one warning of each kind per instance").atMost(BOUND).untilAsserted(() -> {
                assertThat(log.messages(Level.WARNING, "that '9|open|1|x")).hasSize(2)
                        .allSatisfy(message -> assertThat(message).contains("newer than this instance's 1"));
                assertThat(log.messages(Level.WARNING, "that 'hello' is not of format version 1")).hasSize(2);
                assertThat(log.messages(Level.WARNING, "has 'soon' where a number belongs")).hasSize(2);
                assertThat(log.messages(Level.WARNING, "unknown kind 'explode'")).hasSize(2);
                assertThat(log.messages(Level.WARNING, p + "instances, which holds something")).hasSize(2);
                assertThat(log.messages(Level.WARNING, p + "lease:" + NAME + ", which holds")).isNotEmpty();
            });
        }
    }
}
