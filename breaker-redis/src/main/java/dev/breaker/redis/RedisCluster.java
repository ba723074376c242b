package dev.breaker.redis;

import dev.breaker.Breaker;
import dev.breaker.BreakerConfig;
import dev.breaker.BreakerEvent;
import dev.breaker.BreakerRegistry;
import dev.breaker.CircuitState;
import dev.breaker.EventType;
import dev.breaker.ProbeGate;
import dev.breaker.TransitionReason;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One breaker across the instances of an application: attached to a {@link BreakerRegistry}, shares what each
 * breaker's {@link ClusterPolicy} says through Redis. Openings are announced at once (pub/sub, and a key that expires
 * with the wait), quorum verdicts are taken in Redis from every instance's window, and when an outage's wait is over
 * one instance wins the probe lease and runs the trial while the others wait for its verdict.
 *
 * <p>The local breaker decides every call: no call waits for Redis. All Redis I/O happens on one background thread
 * over this instance's own connections, each command bounded by the command timeout. When Redis is down, slow or
 * partitioned away, the instance protects itself alone (one WARN), and rejoins by itself when Redis answers again
 * (one INFO), importing what the cluster decided meanwhile. Breakers with the {@link ClusterPolicy#LOCAL local}
 * policy get no hook at all.
 *
 * <pre>{@code
 * RedisCluster cluster = RedisCluster.builder(RedisClient.create("redis://redis:6379"))
 *         .namespace("storefront")
 *         .policies(name -> name.equals("inventory") ? ClusterPolicy.SHARE_OPEN : ClusterPolicy.LOCAL)
 *         .start(registry);
 * }</pre>
 */
public final class RedisCluster implements AutoCloseable {

    /*
     * Implementation notes.
     *
     * Threads: callers only read volatile fields of a BreakerView (the gate) and hand transitions over
     * (the listener); everything else runs on the single "cluster thread", which never blocks: commands are Lettuce
     * async calls whose completions come back to it. Connecting blocks for as long as the client takes, so it runs
     * on a second thread and hands the connections over.
     *
     * The Redis link is itself guarded by a breaker, judged by the scheduled ticks and the connections only (one a
     * publish interval: commands sent together and failing together count once). Two failed ticks in a row, or half
     * of the last ten, open it; it waits one publish interval, then one reconnection is its trial. While it is open
     * the instance is local-only; its transitions are the one WARN and the one INFO. Other commands that fail are
     * retried (an announcement goes with the next tick that gets through) or heal by themselves (a lease asked for
     * again, a verdict that others replace by probing themselves).
     *
     * Fencing: every cluster-wide outage has a generation (Redis time in microseconds when it was announced). A
     * view follows at most one; announcements of an older generation, or of the one it left, are stale; the lease
     * and the verdict name their generation, and Redis refuses a verdict for an outage that a newer one replaced.
     */

    private static final System.Logger LOGGER = System.getLogger(RedisCluster.class.getName());
    /** A command whose outcome does not judge the link. */
    private static final long NOT_JUDGED = Long.MIN_VALUE;
    private static final IllegalStateException NOT_CONNECTED =
            new IllegalStateException("not connected to Redis") {
                private static final long serialVersionUID = 1L;

                @Override
                public synchronized Throwable fillInStackTrace() {
                    return this;
                }
            };

    private final Supplier<? extends AbstractRedisClient> client;
    private final String namespace;
    private final String instance;
    private final String prefix;
    private final String channel;
    private final String[] instancesKey;
    private final Duration publishInterval;
    private final Duration commandTimeout;
    private final long intervalNanos;
    private final long timeoutNanos;
    private final long reportTtlMillis;
    private final long leaseMillis;
    private final Function<String, ClusterPolicy> policies;
    private final BreakerRegistry registry;
    private final ScheduledExecutorService executor;
    private final ScheduledExecutorService connector;
    private final Breaker linkBreaker;
    private final Map<String, BreakerView> views = new ConcurrentHashMap<>();
    private final List<ClusterEventListener> listeners = new CopyOnWriteArrayList<>();
    private final Warnings warnings = new Warnings(LOGGER);

    private volatile boolean connected;
    private volatile boolean closed;
    private volatile int liveInstances;
    private volatile Map<String, ClusterSnapshot> snapshots = Map.of();
    private volatile long snapshotsReadAt = System.nanoTime() - Long.MAX_VALUE / 2;

    // The cluster's thread only.
    private @Nullable RedisLink link;
    private boolean connecting;
    private boolean fullReport = true;
    private boolean flushScheduled;
    private boolean everJoined;
    private boolean outageLogged;
    private @Nullable Throwable lastFailure;
    private @Nullable CompletableFuture<Void> refreshing;
    /** Breakers attached since the last tick, whose cluster-wide state is still to read. */
    private List<BreakerView> joining = new ArrayList<>();

    private RedisCluster(Builder builder, BreakerRegistry registry) {
        this.client = builder.client;
        this.namespace = builder.namespace;
        this.instance = builder.instanceId;
        this.prefix = "breaker:{" + namespace + "}:";
        this.channel = prefix + "events";
        this.instancesKey = new String[] {prefix + "instances"};
        this.publishInterval = builder.publishInterval;
        this.commandTimeout = builder.commandTimeout;
        this.intervalNanos = publishInterval.toNanos();
        this.timeoutNanos = commandTimeout.toNanos();
        this.reportTtlMillis = 3 * publishInterval.toMillis();
        this.leaseMillis = 3 * publishInterval.toMillis();
        this.policies = builder.policies;
        this.registry = registry;
        this.executor = Executors.newSingleThreadScheduledExecutor(daemon("breaker-cluster-" + namespace));
        this.connector = Executors.newSingleThreadScheduledExecutor(daemon("breaker-cluster-connect-" + namespace));
        this.linkBreaker = Breaker.of("redis", BreakerConfig.builder().countWindow(10).minimumCalls(10)
                .failureRateThreshold(50).consecutiveFailures(2).waitInOpen(publishInterval).halfOpenCalls(1)
                .build());
        linkBreaker.addListener(EnumSet.of(EventType.STATE_TRANSITION),
                event -> onLinkTransition((BreakerEvent.StateTransition) event));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** A builder for a cluster whose connections the Lettuce {@code client} makes. */
    public static Builder builder(AbstractRedisClient client) {
        Objects.requireNonNull(client, "client");
        return new Builder(() -> client);
    }

    /**
     * A builder for a cluster whose connections the Lettuce client from {@code client} makes, asked for one only
     * when the cluster connects (in Spring, the connection factory's client, which exists once the factory started).
     */
    public static Builder builder(Supplier<? extends AbstractRedisClient> client) {
        return new Builder(Objects.requireNonNull(client, "client"));
    }

    // ---------------------------------------------------------------------------------------------------------
    // What the cluster tells.

    /** The namespace: the application whose instances share breakers. */
    public String namespace() {
        return namespace;
    }

    /** This instance's id in the cluster. */
    public String instanceId() {
        return instance;
    }

    /** How often this instance reports to the cluster. */
    public Duration publishInterval() {
        return publishInterval;
    }

    /** Whether this instance reaches Redis now; if not, its breakers protect it alone. */
    public boolean connected() {
        return connected;
    }

    /** The live instances of the namespace, this one included, as of the last tick; 0 while not connected. */
    public int liveInstances() {
        return connected ? liveInstances : 0;
    }

    /** The cluster policy of the breaker called {@code name}. */
    public ClusterPolicy policy(String name) {
        BreakerView view = views.get(name);
        return view != null ? view.policy : policyOf(name);
    }

    /** Whether this instance holds the probe lease of the breaker called {@code name} now. */
    public boolean holdsLease(String name) {
        BreakerView view = views.get(name);
        return view != null && view.holdsLease(System.nanoTime());
    }

    /** Whether the breaker called {@code name} follows a cluster-wide outage here. */
    public boolean following(String name) {
        BreakerView view = views.get(name);
        return view != null && view.following;
    }

    /**
     * What this instance knows of the breaker called {@code name} across the cluster, as of the last
     * {@link #refresh()} (the live instances and their states) and now (this instance's own view). Never blocks.
     */
    public ClusterSnapshot snapshot(String name) {
        BreakerView view = views.get(name);
        Instant now = Instant.now();
        if (view == null) {
            return new ClusterSnapshot(policyOf(name), connected, instance, List.of(), false, 0, null, null,
                    Duration.ZERO, null, List.of(), now);
        }
        ClusterSnapshot read = connected ? snapshots.get(name) : null;
        long remaining = view.following ? Math.max(0, view.clusterOpenUntil - System.nanoTime()) : 0;
        return new ClusterSnapshot(view.policy, connected, instance,
                read == null ? List.of() : read.instances(), view.following, view.generation,
                view.following ? view.openedBy : null, view.following ? view.openCause : null,
                Duration.ofNanos(remaining), view.leaseHolder, view.recentEvents(), read == null ? now : read.at());
    }

    /**
     * Reads from Redis the live instances' states of every cluster breaker, for {@link #snapshot}; at most once per
     * half publish interval, whoever asks. Completes when done, or exceptionally when Redis did not answer.
     */
    public CompletableFuture<Void> refresh() {
        return refresh(publishInterval.dividedBy(2));
    }

    /**
     * Like {@link #refresh()}, unless the picture was read within {@code maxAge}: for readers that need it less
     * fresh (a gauge scraped every few seconds), as reading it costs Redis work for every live instance and breaker.
     */
    public CompletableFuture<Void> refresh(Duration maxAge) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        long maxAgeNanos = maxAge.toNanos();
        if (!execute(() -> refresh(done, maxAgeNanos))) {
            done.completeExceptionally(NOT_CONNECTED);
        }
        return done;
    }

    /** Sends every {@link ClusterEvent} of this instance's breakers to {@code listener}. */
    public void addListener(ClusterEventListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Manual actions.

    /**
     * Applies {@code action} to the breaker called {@code name}: here at once, and, when {@code clusterWide}, on
     * every other instance of the cluster (ending a cluster-wide outage for {@code reset}, {@code close} and
     * {@code disable}). Each instance records a {@link ClusterEvent.Kind#MANUAL_ACTION} naming this instance.
     *
     * @return completes with whether the other instances were told: false when this instance is not connected
     *     (the action then applied here only)
     * @throws IllegalArgumentException when the registry has no breaker of that name
     */
    public CompletableFuture<Boolean> act(String name, ManualAction action, boolean clusterWide) {
        Breaker breaker = registry.find(name).orElseThrow(() -> new IllegalArgumentException(
                "No breaker named '" + name + "'"));
        action.applyTo(breaker);
        CompletableFuture<Boolean> told = new CompletableFuture<>();
        boolean queued = execute(() -> {
            BreakerView view = views.get(name);
            if (view != null && action.endsOutage()) {
                // An opening heard since the action applied (announced before it) may have reopened the breaker.
                leaveOutage(view);
                action.reapplyIfUndone(breaker);
            }
            event(name, view, ClusterEvent.Kind.MANUAL_ACTION, instance,
                    action.id() + (clusterWide ? " (cluster-wide)" : " (this instance)"));
            if (!clusterWide) {
                told.complete(false);
                return;
            }
            run(Scripts.MANUAL, keysOf(name), new String[] {prefix, instance, action.id(), name,
                    action.endsOutage() ? "1" : "0"}, (reply, error) -> {
                        if (reply != null) {
                            warnForeign(reply.get(2));
                            if (view != null && action.endsOutage()) {
                                endOutagesBefore(view, Long.parseLong((String) reply.get(1)), action);
                            }
                        }
                        told.complete(error == null);
                    });
        });
        if (!queued) {
            told.complete(false);
        }
        return told;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Attaching to breakers.

    private void start() {
        registry.all().forEach(this::attach);
        registry.onBreakerAdded(this::attach);
        registry.onBreakerRemoved(this::detach);
        executor.scheduleWithFixedDelay(() -> tick(true), 0, intervalNanos, TimeUnit.NANOSECONDS);
    }

    private ClusterPolicy policyOf(String name) {
        try {
            return Objects.requireNonNull(policies.apply(name), "policy");
        } catch (RuntimeException e) {
            warnings.warn("policy " + name, "Breaker '" + name + "': its cluster policy could not be decided ("
                    + e + "); it stays local");
            return ClusterPolicy.LOCAL;
        }
    }

    private void attach(Breaker breaker) {
        if (closed) {
            return;
        }
        ClusterPolicy policy = policyOf(breaker.name());
        if (policy.mode() == ClusterPolicy.Mode.LOCAL) {
            return;
        }
        BreakerView view = new BreakerView(this, breaker, policy);
        if (views.putIfAbsent(breaker.name(), view) == null) {
            breaker.addListener(EnumSet.of(EventType.STATE_TRANSITION), view);
            breaker.probeGate(view);
            // A breaker created during a cluster-wide outage joins it at the next tick, read (and reported) with the
            // others created meanwhile: a thousand created at startup make one command, not a thousand.
            execute(() -> joining.add(view));
        }
    }

    private void detach(Breaker breaker) {
        BreakerView view = views.remove(breaker.name());
        if (view != null) {
            breaker.probeGate(ProbeGate.ALONE);
            breaker.removeListener(view);
        }
    }

    /** Runs {@code task} on the cluster's thread; false once the cluster is closed. */
    boolean execute(Runnable task) {
        try {
            executor.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The gate: asked on the calling thread once an open breaker's wait is over. Reads, and at most queues.

    boolean mayProbe(BreakerView view) {
        if (!connected || !view.following) {
            return true; // alone: no cluster to wait for
        }
        long now = System.nanoTime();
        if (now - view.clusterOpenUntil < 0) {
            return false;
        }
        if (view.holdsLease(now)) {
            return true;
        }
        if (now - view.nextLeaseAttempt >= 0 && view.leaseRequested.compareAndSet(false, true)
                && !execute(() -> requestLease(view))) {
            view.leaseRequested.set(false);
            return true;
        }
        return false;
    }

    private void requestLease(BreakerView view) {
        long generation = view.generation;
        long sentAt = System.nanoTime();
        run(Scripts.LEASE, keysOf(view.name()), new String[] {prefix, instance, Long.toString(generation),
                Long.toString(leaseMillis), view.name()}, (reply, error) -> {
                    view.nextLeaseAttempt = System.nanoTime() + intervalNanos / 4;
                    view.leaseRequested.set(false);
                    if (reply == null) {
                        return;
                    }
                    warnForeign(reply.get(4));
                    String answer = (String) reply.get(0);
                    long answered = Long.parseLong((String) reply.get(1));
                    long millis = (Long) reply.get(2);
                    String holder = (String) reply.get(3);
                    switch (answer) {
                        case "granted" -> {
                            if (view.generation == generation && view.following) {
                                view.leaseValidUntil = sentAt + TimeUnit.MILLISECONDS.toNanos(millis) - timeoutNanos;
                                view.leaseGeneration = generation;
                                view.leaseHolder = instance;
                                event(view.name(), view, ClusterEvent.Kind.LEASE_TAKEN, instance, null);
                            }
                        }
                        case "held" -> view.leaseHolder = holder;
                        default -> adoptOpen(view, answered, millis, holder, view.openCause);
                    }
                });
    }

    // ---------------------------------------------------------------------------------------------------------
    // What this instance's breakers did (the cluster's thread).

    void onTransition(BreakerView view, BreakerEvent.StateTransition transition, Duration wait) {
        CircuitState to = transition.to();
        TransitionReason reason = transition.reason();
        boolean leaseHeld = view.holdsLease(System.nanoTime());
        if (to == CircuitState.OPEN && reason != TransitionReason.CLUSTER_OPENED) {
            view.ownOutage = !view.following;
            view.ownCause = reason.name();
            if (view.policy.mode() == ClusterPolicy.Mode.SHARE_OPEN || view.following) {
                announceOpen(view, wait, reason.name(), leaseHeld);
            }
        } else if (transition.from() == CircuitState.HALF_OPEN && reason == TransitionReason.TRIAL_CALLS_SUCCEEDED) {
            view.ownOutage = false;
            if (view.following) {
                announceRecovery(view);
            }
        } else if (reason.isManual() && to != CircuitState.FORCED_OPEN) {
            leaveOutage(view);
        } else if (to == CircuitState.CLOSED || to == CircuitState.RECOVERING) {
            view.ownOutage = false;
        }
        if (view.policy.mode() == ClusterPolicy.Mode.QUORUM) {
            flushSoon(); // a quorum hears of a change at once, not at the next tick
        }
    }

    private void announceOpen(BreakerView view, Duration wait, String cause, boolean leaseHeld) {
        long waitMillis = wait.toMillis();
        if (waitMillis <= 0) {
            return; // the wait is over already: nothing to share
        }
        long generation = view.generation;
        String lease = leaseHeld ? Payloads.lease(generation, instance) : "";
        long sentAt = System.nanoTime();
        run(Scripts.OPEN, keysOf(view.name()), new String[] {prefix, instance, Long.toString(waitMillis), cause,
                view.name(), lease}, (reply, error) -> {
                    if (reply == null) {
                        view.announcementPending = true; // announced with the next report that gets through
                        return;
                    }
                    warnForeign(reply.get(3));
                    if (leaseHeld) {
                        view.leaseGeneration = 0;
                    }
                    long announced = Long.parseLong((String) reply.get(0));
                    long millis = (Long) reply.get(1);
                    String holder = (String) reply.get(2);
                    adoptOpen(view, announced, millis - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt),
                            holder, cause);
                    event(view.name(), view, ClusterEvent.Kind.OPEN_ANNOUNCED, instance, cause);
                });
    }

    private void announceRecovery(BreakerView view) {
        long generation = view.generation;
        run(Scripts.RECOVERED, keysOf(view.name()), new String[] {prefix, instance, Long.toString(generation),
                view.name()}, (reply, error) -> {
                    if (reply == null) {
                        return;
                    }
                    warnForeign(reply.get(4));
                    String answer = (String) reply.get(0);
                    if (answer.equals("ok")) {
                        if (view.generation == generation) {
                            leaveOutage(view);
                        }
                        event(view.name(), view, ClusterEvent.Kind.RECOVERY_ANNOUNCED, instance, null);
                    } else if (answer.equals("newer")) {
                        // A newer outage was announced while this instance probed: it joins it.
                        adoptOpen(view, Long.parseLong((String) reply.get(1)), (Long) reply.get(2),
                                (String) reply.get(3), null);
                    }
                });
    }

    /**
     * Makes every outage announced before a cluster-wide {@code action} of {@code generation} stale here. An opening
     * announced before it but heard after it was applied here (its reply, or its message, may come later than the
     * action's) reopened the breaker: the action, the later, applies again, as on every other instance.
     */
    private void endOutagesBefore(BreakerView view, long generation, ManualAction action) {
        if (view.following && view.generation < generation) {
            leaveOutage(view);
            action.reapplyIfUndone(view.breaker);
        }
        view.generation = Math.max(view.generation, generation);
    }

    private void leaveOutage(BreakerView view) {
        view.following = false;
        view.ownOutage = false;
        view.leaseGeneration = 0;
        view.leaseHolder = null;
    }

    // ---------------------------------------------------------------------------------------------------------
    // What the other instances said (the cluster's thread).

    private void onMessage(String payload) {
        execute(() -> handle(payload));
    }

    private void handle(String payload) {
        Payloads.Message message;
        try {
            message = Payloads.message(payload);
        } catch (Payloads.BadPayloadException e) {
            warnings.warn("message " + payload.split("\\|", 2)[0], "Breaker cluster '" + namespace
                    + "': ignored a message on " + channel
                    + " that " + e.getMessage());
            return;
        }
        BreakerView view = views.get(message.breaker());
        switch (message.kind()) {
            case "open" -> {
                if (view != null) {
                    adoptOpen(view, message.generation(), message.waitMs(), message.instance(), message.detail());
                }
            }
            case "lease" -> {
                if (view != null && message.generation() >= view.generation) {
                    view.leaseHolder = message.instance();
                }
            }
            case "recovered" -> {
                if (view != null) {
                    followRecovery(view, message);
                }
            }
            case "manual" -> followManualAction(view, message);
            default -> warnings.warn("kind " + message.kind(), "Breaker cluster '" + namespace
                    + "': ignored a message of unknown kind '" + message.kind() + "' (an instance of a newer release?)");
        }
    }

    /** Follows the outage {@code generation} if it is newer than what this breaker has seen. */
    private void adoptOpen(BreakerView view, long generation, long waitMillis, String announcer,
                           @Nullable String cause) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, waitMillis));
        if (generation > view.generation) {
            view.generation = generation;
            view.following = true;
            view.ownOutage = false;
            view.leaseGeneration = 0;
            view.leaseHolder = null;
            view.openedBy = announcer;
            view.openCause = cause;
            view.clusterOpenUntil = until;
            if (waitMillis > 0 && view.breaker.openByCluster(Duration.ofMillis(waitMillis))) {
                event(view.name(), view, ClusterEvent.Kind.OPENED_BY_CLUSTER, announcer, cause);
            }
        } else if (generation == view.generation && view.following && until - view.clusterOpenUntil > 0) {
            view.clusterOpenUntil = until;
        }
    }

    private void followRecovery(BreakerView view, Payloads.Message message) {
        if (message.generation() != view.generation || !view.following) {
            return; // stale, or an outage this instance left
        }
        leaveOutage(view);
        if (!message.instance().equals(instance) && view.breaker.recoverByCluster()) {
            event(view.name(), view, ClusterEvent.Kind.RECOVERED_BY_CLUSTER, message.instance(), null);
        }
    }

    private void followManualAction(@Nullable BreakerView view, Payloads.Message message) {
        if (message.instance().equals(instance)) {
            return; // applied when asked
        }
        Optional<ManualAction> action = ManualAction.of(message.detail());
        Optional<Breaker> breaker = registry.find(message.breaker());
        if (action.isEmpty()) {
            warnings.warn("action " + message.detail(), "Breaker cluster '" + namespace
                    + "': ignored an unknown manual action '" + message.detail() + "' from instance "
                    + message.instance());
            return;
        }
        if (breaker.isEmpty()) {
            return; // a breaker this instance does not have
        }
        if (view != null && action.get().endsOutage()) {
            leaveOutage(view);
            view.generation = Math.max(view.generation, message.generation());
        }
        action.get().applyTo(breaker.get());
        event(message.breaker(), view, ClusterEvent.Kind.MANUAL_ACTION, message.instance(),
                action.get().id() + " (cluster-wide)");
    }

    // ---------------------------------------------------------------------------------------------------------
    // The tick: connect, or report (the cluster's thread).

    private void flushSoon() {
        if (!flushScheduled) {
            flushScheduled = true;
            execute(() -> tick(false));
        }
    }

    /**
     * Reports, or connects.
     *
     * @param scheduled whether this is the tick of the publish interval, which alone judges the link: a tick for an
     *     early report does not
     */
    private void tick(boolean scheduled) {
        flushScheduled = false;
        if (closed) {
            return;
        }
        if (link == null) {
            connectIfDue();
            return;
        }
        if (!connected) {
            return; // joining
        }
        if (!joining.isEmpty()) {
            List<BreakerView> attached = joining;
            joining = new ArrayList<>();
            run(Scripts.DESCRIBE, instancesKey, describeArguments(attached, false),
                    (reply, error) -> importStates(attached, reply));
        }
        boolean full = fullReport;
        List<String> arguments = new ArrayList<>(List.of(prefix, instance, Long.toString(reportTtlMillis),
                full ? "1" : "0", "0"));
        List<BreakerView> sent = new ArrayList<>();
        List<String> reports = new ArrayList<>();
        for (BreakerView view : views.values()) {
            String report = view.report();
            if (full || !report.equals(view.lastReported)) {
                arguments.add(view.name());
                arguments.add(report);
                arguments.add(view.quorumParameters(report));
                sent.add(view);
                reports.add(report);
            }
        }
        arguments.set(4, Integer.toString(sent.size()));
        long now = System.nanoTime();
        List<String> leases = new ArrayList<>();
        for (BreakerView view : views.values()) {
            if (view.holdsLease(now) && view.breaker.state() == CircuitState.HALF_OPEN) {
                leases.add(view.name());
                leases.add(Payloads.lease(view.leaseGeneration, instance));
                leases.add(Long.toString(leaseMillis));
            }
        }
        arguments.add(Integer.toString(leases.size() / 3));
        arguments.addAll(leases);
        BiConsumer<@Nullable List<Object>, @Nullable Throwable> reported = (reply, error) -> {
            if (reply == null) {
                return; // the reports are sent again next time
            }
            if (full) {
                fullReport = false;
            }
            for (int i = 0; i < sent.size(); i++) {
                sent.get(i).lastReported = reports.get(i);
            }
            liveInstances = ((Long) reply.get(0)).intValue();
            for (BreakerView view : views.values()) {
                if (view.announcementPending) {
                    view.announcementPending = false;
                    exportOwnOpening(view);
                }
            }
            if ((Long) reply.get(1) == 1 && !full) {
                fullReport = true; // Redis lost this instance's reports (it expired them, or restarted)
                flushSoon();
            }
            for (Object name : (List<?>) reply.get(3)) {
                BreakerView view = views.get((String) name);
                if (view != null) {
                    view.leaseValidUntil = now + TimeUnit.MILLISECONDS.toNanos(leaseMillis) - timeoutNanos;
                }
            }
            warnForeign(reply.get(4));
        };
        if (scheduled) {
            judge(Scripts.TICK, instancesKey, arguments.toArray(String[]::new), reported);
        } else {
            run(Scripts.TICK, instancesKey, arguments.toArray(String[]::new), reported);
        }
    }

    private void connectIfDue() {
        if (connecting) {
            return;
        }
        long permit = linkBreaker.acquirePermit();
        if (!Breaker.isPermitted(permit)) {
            return;
        }
        connecting = true;
        try {
            connector.execute(() -> openLink(permit));
        } catch (RejectedExecutionException e) {
            connecting = false;
            linkBreaker.release(permit);
        }
    }

    /** On the connecting thread: connects, then hands the link to the cluster's thread to join. */
    private void openLink(long permit) {
        RedisLink opened;
        try {
            opened = RedisLink.open(client.get(), channel, this::onMessage, commandTimeout);
        } catch (RuntimeException e) {
            execute(() -> {
                connecting = false;
                linkFailed(permit, e);
            });
            return;
        }
        if (!execute(() -> join(opened, permit))) {
            opened.close();
        }
    }

    /** Subscribed: imports what the cluster holds, exports what happened here meanwhile, reports everything. */
    private void join(RedisLink opened, long permit) {
        connecting = false;
        if (closed) {
            opened.close();
            linkBreaker.release(permit);
            return;
        }
        link = opened;
        joining.clear(); // read below with every other breaker
        List<BreakerView> all = new ArrayList<>(views.values());
        run(opened, permit, Scripts.DESCRIBE, instancesKey, describeArguments(all, false), (reply, error) -> {
            if (reply == null) {
                dropLink();
                return;
            }
            connected = true;
            fullReport = true;
            if (outageLogged) {
                outageLogged = false;
                LOGGER.log(System.Logger.Level.INFO, "Breaker cluster '" + namespace + "': Redis answers again;"
                        + " instance " + instance + " rejoined the cluster");
            } else if (!everJoined) {
                LOGGER.log(System.Logger.Level.INFO, "Breaker cluster '" + namespace + "': instance " + instance
                        + " joined, " + views.size() + " breakers shared");
            }
            everJoined = true;
            importStates(all, reply);
            for (BreakerView view : all) {
                exportOwnOpening(view);
            }
            tick(false);
        });
    }

    private String[] describeArguments(List<BreakerView> described, boolean withReports) {
        List<String> arguments = new ArrayList<>(List.of(prefix, instance, Long.toString(reportTtlMillis),
                withReports ? "1" : "0"));
        described.forEach(view -> arguments.add(view.name()));
        return arguments.toArray(String[]::new);
    }

    private void importStates(List<BreakerView> described, @Nullable List<Object> reply) {
        if (reply == null) {
            return;
        }
        for (int i = 0; i < described.size(); i++) {
            importState(described.get(i), (List<?>) reply.get(i + 1));
        }
        warnForeign(reply.get(reply.size() - 1));
    }

    /** Follows an outage announced while this instance was away, if it is still on (its key has not expired). */
    private void importState(BreakerView view, List<?> entry) {
        String open = (String) entry.get(0);
        String lease = (String) entry.get(2);
        try {
            if (open != null) {
                Payloads.Announcement announced = Payloads.announcement(open);
                adoptOpen(view, announced.generation(), (Long) entry.get(1), announced.instance(),
                        announced.detail());
            }
            if (lease != null) {
                view.leaseHolder = Payloads.announcement(lease).instance();
            }
        } catch (Payloads.BadPayloadException e) {
            warnings.warn("value " + view.name(), "Breaker cluster '" + namespace + "': ignored the value of "
                    + prefix + "open:/lease:" + view.name() + ", which " + e.getMessage());
        }
    }

    /** Announces an opening that happened here while this instance was away, if it still goes on. */
    private void exportOwnOpening(BreakerView view) {
        if (view.ownOutage && !view.following && view.policy.mode() == ClusterPolicy.Mode.SHARE_OPEN
                && view.breaker.state() == CircuitState.OPEN) {
            announceOpen(view, view.breaker.remainingWait(), view.ownCause, false);
        }
    }

    private void refresh(CompletableFuture<Void> done, long maxAgeNanos) {
        if (System.nanoTime() - snapshotsReadAt < maxAgeNanos) {
            done.complete(null);
            return;
        }
        if (refreshing != null) {
            refreshing.whenComplete((ignored, error) -> {
                if (error == null) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(error);
                }
            });
            return;
        }
        refreshing = done;
        List<BreakerView> described = new ArrayList<>(views.values());
        run(Scripts.DESCRIBE, instancesKey, describeArguments(described, true), (reply, error) -> {
            refreshing = null;
            if (reply == null) {
                done.completeExceptionally(error);
                return;
            }
            List<?> live = (List<?>) reply.get(0);
            Map<String, ClusterSnapshot> read = new HashMap<>();
            Instant at = Instant.now();
            for (int i = 0; i < described.size(); i++) {
                BreakerView view = described.get(i);
                List<?> entry = (List<?>) reply.get(i + 1);
                List<ClusterSnapshot.InstanceState> states = new ArrayList<>();
                for (int j = 0; j < live.size(); j++) {
                    String report = (String) entry.get(4 + j);
                    String id = (String) live.get(j);
                    if (report != null) {
                        try {
                            Payloads.Report parsed = Payloads.report(report);
                            states.add(new ClusterSnapshot.InstanceState(id, parsed.state(), parsed.ownOutage(),
                                    id.equals(instance)));
                        } catch (Payloads.BadPayloadException e) {
                            warnings.warn("report " + id, "Breaker cluster '" + namespace + "': ignored instance "
                                    + id + "'s report of '" + view.name() + "', which " + e.getMessage());
                        }
                    }
                }
                read.put(view.name(), new ClusterSnapshot(view.policy, true, instance, states, false, 0, null, null,
                        Duration.ZERO, null, List.of(), at));
            }
            warnForeign(reply.get(reply.size() - 1));
            snapshots = Map.copyOf(read);
            snapshotsReadAt = System.nanoTime();
            done.complete(null);
        });
    }

    // ---------------------------------------------------------------------------------------------------------
    // The link to Redis (the cluster's thread).

    /**
     * Runs {@code script} if connected. Its failure does not judge the link (the ticks do, once per interval, so
     * that commands sent together and failing together count once); what it was for is retried or self-healing.
     */
    private void run(Scripts.Script script, String[] keys, String[] arguments,
                     BiConsumer<@Nullable List<Object>, @Nullable Throwable> then) {
        RedisLink current = link;
        if (current == null || !connected) {
            then.accept(null, NOT_CONNECTED);
            return;
        }
        run(current, NOT_JUDGED, script, keys, arguments, then);
    }

    /** Runs {@code script} if the link's breaker permits, and records its outcome there: the tick's way. */
    private void judge(Scripts.Script script, String[] keys, String[] arguments,
                       BiConsumer<@Nullable List<Object>, @Nullable Throwable> then) {
        RedisLink current = link;
        long permit = current == null || !connected ? -1 : linkBreaker.acquirePermit();
        if (current == null || !Breaker.isPermitted(permit)) {
            then.accept(null, NOT_CONNECTED);
            return;
        }
        run(current, permit, script, keys, arguments, then);
    }

    /** Runs {@code script}; records its outcome in the link's breaker unless {@code permit} is {@link #NOT_JUDGED}. */
    private void run(RedisLink current, long permit, Scripts.Script script, String[] keys, String[] arguments,
                     BiConsumer<@Nullable List<Object>, @Nullable Throwable> then) {
        current.run(script, keys, arguments).whenCompleteAsync((reply, error) -> {
            Throwable cause = error == null ? null : RedisLink.unwrap(error);
            if (cause instanceof RedisCommandExecutionException) {
                warnings.warn("script " + script.name(), "Breaker cluster '" + namespace + "': Redis refused the "
                        + script.name() + " script: " + cause.getMessage());
            }
            if (permit != NOT_JUDGED) {
                if (cause == null || cause instanceof RedisCommandExecutionException) {
                    linkBreaker.recordSuccess(permit, 0); // Redis answered: the link is fine (if not the data)
                } else {
                    linkFailed(permit, cause);
                }
            }
            try {
                then.accept(cause == null ? reply : null, cause);
            } catch (RuntimeException e) {
                warnings.warn("reply " + script.name(), "Breaker cluster '" + namespace + "': could not read the"
                        + " reply of the " + script.name() + " script: " + e);
            }
        }, this::execute);
    }

    private void linkFailed(long permit, Throwable cause) {
        lastFailure = cause;
        linkBreaker.recordFailure(permit, 0, cause);
        if (!connected && link != null && linkBreaker.state() == CircuitState.CLOSED) {
            dropLink(); // failed while joining
        }
    }

    private void onLinkTransition(BreakerEvent.StateTransition transition) {
        if (transition.to() != CircuitState.OPEN || closed) {
            return;
        }
        boolean wasConnected = connected || !everJoined;
        dropLink();
        if (transition.from() == CircuitState.CLOSED && wasConnected && !outageLogged) {
            outageLogged = true;
            LOGGER.log(System.Logger.Level.WARNING, "Breaker cluster '" + namespace + "': Redis does not answer ("
                    + lastFailure + "); instance " + instance + " protects itself alone (local-only) until it"
                    + " does, and rejoins by itself");
        }
    }

    private void dropLink() {
        connected = false;
        fullReport = true;
        for (BreakerView view : views.values()) {
            view.leaseGeneration = 0; // not to be trusted once away: it may expire meanwhile
            view.lastReported = null;
        }
        RedisLink current = link;
        link = null;
        if (current != null) {
            current.close();
        }
    }

    private void warnForeign(Object foreign) {
        if (foreign instanceof List<?> keys && !keys.isEmpty()) {
            for (Object key : keys) {
                warnings.warn("key " + key, "Breaker cluster '" + namespace + "': ignored " + key
                        + ", which holds something this instance cannot read (another program's data, or an"
                        + " instance of another release); delete it if it is not needed");
            }
        }
    }

    private String[] keysOf(String name) {
        return new String[] {prefix + "open:" + name, prefix + "lease:" + name};
    }

    private void event(String name, @Nullable BreakerView view, ClusterEvent.Kind kind, String by,
                       @Nullable String detail) {
        ClusterEvent event = new ClusterEvent(name, Instant.now(), kind, by, detail);
        if (view != null) {
            view.remember(event);
        }
        for (ClusterEventListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOGGER.log(System.Logger.Level.WARNING, "A cluster event listener failed on " + event, e);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Stopping.

    /**
     * Leaves the cluster (this instance is no longer live; the leases it holds are given back), detaches from the
     * breakers and closes the connections. Waits at most twice the command timeout for Redis.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        CompletableFuture<Void> left = new CompletableFuture<>();
        boolean queued = execute(() -> {
            List<String> arguments = new ArrayList<>(List.of(prefix, instance));
            long now = System.nanoTime();
            views.values().stream().filter(view -> view.holdsLease(now)).forEach(view -> {
                arguments.add(view.name());
                arguments.add(Payloads.lease(view.leaseGeneration, instance));
            });
            run(Scripts.LEAVE, instancesKey, arguments.toArray(String[]::new), (reply, error) -> left.complete(null));
        });
        if (queued) {
            try {
                left.get(2 * timeoutNanos, TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                // Redis did not answer: this instance's reports expire by themselves
            }
        }
        closed = true;
        views.values().forEach(view -> detach(view.breaker));
        stopThreads(true);
    }

    /** Stops as a killed process would: no goodbye, the leases and reports left to expire. For tests. */
    void crash() {
        closed = true;
        stopThreads(false);
    }

    private void stopThreads(boolean graceful) {
        executor.shutdownNow();
        connector.shutdownNow();
        try {
            // A connection being made may finish meanwhile; it is closed as it hands itself over.
            executor.awaitTermination(graceful ? 1 : 0, TimeUnit.SECONDS);
            connector.awaitTermination(graceful ? 1 : 0, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RedisLink current = link;
        link = null;
        connected = false;
        if (current != null) {
            try {
                // Closed before the application's client shuts down, which would otherwise close them under us.
                current.close().get(graceful ? 1 : 0, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // closing in the background
            }
        }
    }

    @Override
    public String toString() {
        return "RedisCluster{namespace='" + namespace + "', instance='" + instance + "', connected=" + connected + '}';
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Builds and starts a {@link RedisCluster}. */
    public static final class Builder {

        private final Supplier<? extends AbstractRedisClient> client;
        private String namespace = "default";
        private String instanceId = defaultInstanceId();
        private Duration publishInterval = Duration.ofSeconds(1);
        private Duration commandTimeout = Duration.ofMillis(100);
        private Function<String, ClusterPolicy> policies = name -> ClusterPolicy.LOCAL;

        private Builder(Supplier<? extends AbstractRedisClient> client) {
            this.client = client;
        }

        /**
         * The namespace of the keys and channel, which the instances of one application share: usually the
         * application's name. Default {@code default}.
         */
        public Builder namespace(String namespace) {
            this.namespace = text("namespace", namespace);
            return this;
        }

        /** This instance's id, unique in the cluster. Default: host name, process id and a random suffix. */
        public Builder instanceId(String instanceId) {
            this.instanceId = text("instanceId", instanceId);
            return this;
        }

        /**
         * How often this instance reports its breakers and marks itself live; its reports live three times as long,
         * and so does a probe lease its holder does not refresh. Default 1 s.
         */
        public Builder publishInterval(Duration publishInterval) {
            if (publishInterval.compareTo(Duration.ofMillis(10)) < 0) {
                throw new IllegalArgumentException("publishInterval must be at least 10ms, was " + publishInterval);
            }
            this.publishInterval = publishInterval;
            return this;
        }

        /** How long any Redis command may take before it counts as failed. Default 100 ms. */
        public Builder commandTimeout(Duration commandTimeout) {
            if (commandTimeout.compareTo(Duration.ofMillis(1)) < 0) {
                throw new IllegalArgumentException("commandTimeout must be at least 1ms, was " + commandTimeout);
            }
            this.commandTimeout = commandTimeout;
            return this;
        }

        /** Each breaker's cluster policy, by name; breakers it answers {@link ClusterPolicy#LOCAL} for get no hook. */
        public Builder policies(Function<String, ClusterPolicy> policies) {
            this.policies = Objects.requireNonNull(policies, "policies");
            return this;
        }

        /**
         * Attaches to every breaker of {@code registry}, now and later, and starts connecting in the background:
         * returns at once, whether Redis answers or not.
         *
         * @throws IllegalArgumentException when the command timeout is not shorter than the publish interval
         */
        public RedisCluster start(BreakerRegistry registry) {
            Objects.requireNonNull(registry, "registry");
            if (commandTimeout.compareTo(publishInterval) >= 0) {
                throw new IllegalArgumentException("commandTimeout (" + commandTimeout + ") must be shorter than"
                        + " publishInterval (" + publishInterval + ")");
            }
            RedisCluster cluster = new RedisCluster(this, registry);
            cluster.start();
            return cluster;
        }

        private static String text(String option, String value) {
            if (value == null || value.isBlank() || value.contains("|")) {
                throw new IllegalArgumentException(option + " must be a non-blank text without '|', was '" + value
                        + "'");
            }
            return value.strip();
        }

        private static String defaultInstanceId() {
            String host = Optional.ofNullable(System.getenv("HOSTNAME")).filter(name -> !name.isBlank())
                    .orElse("instance");
            return host.replace('|', '_') + "-" + ProcessHandle.current().pid() + "-"
                    + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        }
    }
}
