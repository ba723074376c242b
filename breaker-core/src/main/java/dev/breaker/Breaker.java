package dev.breaker;

import dev.breaker.internal.CountWindow;
import dev.breaker.internal.ThreadOwnedCounter;
import dev.breaker.internal.Thresholds;
import dev.breaker.internal.TimeWindow;
import dev.breaker.internal.Window;
import dev.breaker.internal.WindowCounts;
import org.jspecify.annotations.Nullable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A circuit breaker: it lets calls through while they mostly succeed, rejects them while they mostly fail, and
 * probes with a few trial calls before letting traffic through again.
 *
 * <p>Two ways to use it. The execution helpers ({@link #call(Callable)}, {@link #get(Supplier)},
 * {@link #run(Runnable)}, their fallback variants and {@link #callAsync(Supplier)}) ask for permission, time the
 * call when the configuration needs it, and record the outcome against the state that admitted the call. The
 * low-level protocol ({@link #tryAcquire()}, {@link #onSuccess(long)}, {@link #onFailure(long, Throwable)},
 * {@link #release()}) behaves step for step like Resilience4j's; {@link #acquirePermit()} and the
 * {@code record...(permit, ...)} methods are its generation-aware form.
 *
 * <p>Thread-safe. Asking for permission and recording outcomes take no lock and allocate nothing while nobody
 * listens to per-call events.
 */
public final class Breaker {

    /*
     * Implementation notes.
     *
     * The breaker holds one immutable-in-identity State object; every transition installs a new one with a
     * compare-and-set against the state it leaves, so exactly one thread wins each transition and publishes its
     * events, outside any lock. The state's generation (a transition counter) is the permit: an outcome
     * recorded with a permit whose generation is no longer current updates only the lifetime totals, so a slow
     * call admitted while closed cannot decide a later half-open trial, and a stale half-open permit cannot be
     * given back to a newer trial. Trial permits carry a flag, so that a trial call still counts as in flight
     * after its generation has ended: a later half-open admits only what keeps the total within its trial calls.
     *
     * Transition events are delivered in the order of the compare-and-sets, whatever thread wins which: the
     * winner links the state it left to the new one and then delivers, unless another thread is delivering
     * already, in which case that thread delivers the new events too after the earlier ones (a drain loop
     * counted by deliveries, without a lock).
     *
     * Hot path while closed: tryAcquire is a volatile read and a type check; onSuccess adds to a counter stripe
     * its thread owns (no locked instruction), refreshes the last-success stamp from the coarse ticker only when
     * the coarse reading moved (about once a millisecond), and records into the window, which for a healthy
     * count window is one shared read. No precise clock read unless slow-call detection is on.
     */

    private static final long NEVER = Long.MIN_VALUE;
    /** The bits of a permit that need more than a lookup when it ends: the flags, and the sign of a token. */
    private static final long UNUSUAL_PERMIT = State.TRIAL | State.SLOT | Long.MIN_VALUE;
    private static final long NOT_TIMED = Long.MIN_VALUE;
    /**
     * Listening to successes (an event object per call anyway) also times every call. Failure and ignored-error
     * events alone do not: a failure log, such as the Actuator event buffer keeps, must not cost every call two
     * clock reads; their events carry a zero duration unless the call was timed for another reason.
     */
    private static final int TIMED_EVENTS = EventType.SUCCESS.bit();
    private static final System.Logger LOGGER = System.getLogger(Breaker.class.getName());
    /** A failing predicate is logged at most once per this time and breaker. */
    private static final long PREDICATE_WARNING_INTERVAL_NANOS = 60_000_000_000L;

    private static final VarHandle STATE;
    private static final VarHandle FAILURES;
    private static final VarHandle IGNORED;
    private static final VarHandle SLOW_CALLS;
    private static final VarHandle TRANSITIONS;
    private static final VarHandle TRIALS;
    private static final int TRIAL_COUNT_BITS = 21;
    private static final long TRIAL_COUNT_MASK = (1L << TRIAL_COUNT_BITS) - 1;
    private static final VarHandle DELIVERIES;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(Breaker.class, "state", State.class);
            FAILURES = lookup.findVarHandle(Breaker.class, "failures", LongAdder.class);
            IGNORED = lookup.findVarHandle(Breaker.class, "ignored", LongAdder.class);
            SLOW_CALLS = lookup.findVarHandle(Breaker.class, "slowCalls", LongAdder.class);
            TRANSITIONS = lookup.findVarHandle(Breaker.class, "transitions", long.class);
            TRIALS = lookup.findVarHandle(Breaker.class, "trials", long.class);
            DELIVERIES = lookup.findVarHandle(Breaker.class, "deliveries", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final Ticker ticker;
    private final Clock clock;
    private final ThreadOwnedCounter successes = new ThreadOwnedCounter();
    /** Made on first use, as are {@link #ignored} and {@link #slowCalls}: a breaker that never fails carries none. */
    private volatile @Nullable LongAdder failures;
    private volatile @Nullable LongAdder ignored;
    private volatile @Nullable LongAdder slowCalls;
    /** What the breaker works out from its configuration; replaced as a whole by {@link #reconfigure}. */
    private volatile Settings settings;
    /** The rejections by reason and priority, made on the first one. */
    private volatile @Nullable RejectionCounts rejections;

    private volatile State state;
    @SuppressWarnings("unused") // updated through TRANSITIONS
    private volatile long transitions;
    /**
     * Trial calls admitted through the generation-aware protocol whose outcome has not been recorded yet, in the
     * low {@link #TRIAL_COUNT_BITS} bits, under the generation before which trials no longer count (abandoned when
     * the breaker closed, was set by hand, or gave up waiting for them) in the high bits.
     */
    private volatile long trials;
    /** Requests to deliver entry events; the thread that raises it from zero delivers until it is zero again. */
    @SuppressWarnings("unused") // updated through DELIVERIES
    private volatile int deliveries;
    /** The last state whose entry events were delivered; read and written only by the delivering thread. */
    private State delivered;
    /** The last level announced by a {@link BreakerEvent.LevelChanged}; only the delivering thread uses it. */
    private Level deliveredLevel = Level.NORMAL;
    private volatile long lastSuccessAt = NEVER;
    private volatile long lastFailureAt = NEVER;
    private volatile long lastStateChangeAt = NEVER;
    private volatile long lastPredicateWarningAt = NEVER;
    private volatile Listeners listeners = Listeners.NONE;
    private volatile ProbeGate probeGate = ProbeGate.ALONE;

    private Breaker(String name, BreakerConfig config, Breaker[] dependencies) {
        this.name = name;
        this.ticker = config.ticker();
        this.clock = config.clock();
        long now = ticker.read();
        this.settings = Settings.of(config, dependencies, now);
        this.state = closedState(0, now, 0);
        this.delivered = state;
    }

    /**
     * Creates a breaker, closed. A configuration that {@linkplain BreakerConfig#dependsOn() depends on} other
     * breakers needs a {@link BreakerRegistry} to find them: use {@link BreakerRegistry#breaker(String)}.
     *
     * @param name the name it reports, not blank
     * @param config its configuration
     * @throws IllegalArgumentException for a blank name, or a configuration with dependencies
     */
    public static Breaker of(String name, BreakerConfig config) {
        if (!config.dependsOn().isEmpty()) {
            throw new IllegalArgumentException("Breaker '" + name + "' depends on " + config.dependsOn()
                    + ": create it with a BreakerRegistry, which finds the breakers it depends on");
        }
        return create(name, config, new Breaker[0]);
    }

    /** Creates a breaker with its dependencies resolved: every breaker it depends on, directly or not, once. */
    static Breaker create(String name, BreakerConfig config, Breaker[] dependencies) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(config, "config");
        if (name.isBlank()) {
            throw new IllegalArgumentException("A breaker's name must not be blank");
        }
        return new Breaker(name, config, dependencies);
    }

    /** The breaker's name. */
    public String name() {
        return name;
    }

    /** The breaker's configuration (the latest, if it was {@linkplain #reconfigure reconfigured}). */
    public BreakerConfig config() {
        return settings.config;
    }

    /** The current state. A ramp whose time is over reads as closed even before the next call closes it. */
    public CircuitState state() {
        return current().kind;
    }

    /** The current state, after closing a recovery ramp whose time is over, as the next call would. */
    private State current() {
        State current = state;
        if (current instanceof RecoveringState ramp && ramp.rampOver(ticker.readCoarse())) {
            completeRecovery(ramp);
            current = state;
        }
        return current;
    }

    /**
     * The current level: {@link Level#NORMAL} while closed or disabled, {@link Level#CRITICAL} while open,
     * half-open, recovering or forced open; with {@link Escalation} configured also {@link Level#WARNING} and
     * {@link Level#EMERGENCY}.
     */
    public Level level() {
        return current().level();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Low-level protocol, as in Resilience4j: outcomes apply to the current state.

    /**
     * Asks for permission to make a call. An open breaker whose wait has passed turns half-open and grants one of
     * its trial permits. Every granted permit must be followed by {@link #onSuccess(long)},
     * {@link #onFailure(long, Throwable)} or {@link #release()}. To learn why a call was rejected, use
     * {@link #acquirePermit()} and {@link #rejection(long)} instead.
     *
     * @return whether the call may proceed
     */
    public boolean tryAcquire() {
        State current = state;
        return current.freePermit >= 0 || acquireSlowly(current, false, null) >= 0;
    }

    /** Records a successful call that took {@code durationNanos}. */
    public void onSuccess(long durationNanos) {
        succeeded(state, durationNanos);
    }

    /**
     * Records a call that failed with {@code error}, classified by the configuration: recorded as a failure,
     * ignored (its permit given back), or counted as a success.
     */
    public void onFailure(long durationNanos, Throwable error) {
        failed(state, durationNanos, Objects.requireNonNull(error, "error"));
    }

    /** Gives back a permit without recording anything, for a call that was cancelled or never made. */
    public void release() {
        state.release();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Generation-aware protocol: outcomes apply only to the state that granted the permit.

    /**
     * Asks for permission to make a call, like {@link #tryAcquire()}, and names the state that granted it or the
     * rejection.
     *
     * @return a permit (zero or more) to pass to exactly one of {@link #recordSuccess}, {@link #recordFailure},
     *     {@link #recordResult} or {@link #release(long)}; or a negative rejection token for {@link #rejection(long)}
     */
    public long acquirePermit() {
        State current = state;
        long free = current.freePermit;
        return free >= 0 ? free : acquireSlowly(current, true, null);
    }

    /**
     * Like {@link #acquirePermit()}, for a call of {@code priority} unless it runs in a {@link Priority} scope,
     * which wins: integrations pass the priority of an annotation or a request this way.
     */
    public long acquirePermit(Priority priority) {
        State current = state;
        long free = current.freePermit;
        return free >= 0 ? free : acquireSlowly(current, true, Objects.requireNonNull(priority, "priority"));
    }

    private long acquireSlowly(State current, boolean tracked, @Nullable Priority priority) {
        Admission admission = settings.admission;
        return admission == null ? current.acquire(this, tracked, priority)
                : admission.acquire(this, current, tracked, priority);
    }

    /** Asks the current state, and only the state, for a permit: after a transition made while asking. */
    long acquireFromState(boolean tracked, @Nullable Priority priority) {
        return state.acquire(this, tracked, priority);
    }

    /**
     * Whether an emergency's one trial call is kept from this call: it carries a priority (a scope or one given)
     * below {@link Priority#CRITICAL_PLUS}, and the half-open state is younger than one wait in open. Calls without
     * a priority of their own, and any call once that grace has passed, may probe, so an emergency never waits for
     * critical traffic that does not come.
     */
    boolean keepsTrialForCriticalPlus(State halfOpen, @Nullable Priority given) {
        if (!Priority.inUse()) {
            return false;
        }
        Priority scoped = Priority.current();
        Priority carried = scoped != null ? scoped : given;
        return carried != null && carried != Priority.CRITICAL_PLUS
                && ticker.readCoarse() - halfOpen.enteredAt < settings.config.waitInOpenNanos;
    }

    /** The priority of the call being admitted: its scope's, else {@code given}, else the breaker's default. */
    Priority priorityOf(@Nullable Priority given) {
        Priority scoped = Priority.current();
        if (scoped != null) {
            return scoped;
        }
        return given != null ? given : settings.config.defaultPriority();
    }

    /** Whether a value returned by {@link #acquirePermit()} is a permit rather than a rejection. */
    public static boolean isPermitted(long permitOrRejection) {
        return permitOrRejection >= 0;
    }

    /** Whether {@code permit} admits a trial call: one granted by a half-open breaker. */
    public static boolean isTrial(long permit) {
        return permit >= 0 && (permit & State.TRIAL) != 0;
    }

    /**
     * The exception describing the rejection {@code rejection}: the state that rejected the call, the reason, and
     * when to retry. Without stack traces configured, one instance may describe every rejection of a state.
     *
     * @param rejection a negative value returned by {@link #acquirePermit()}
     * @throws IllegalArgumentException if {@code rejection} is a permit
     */
    public CallNotPermittedException rejection(long rejection) {
        if (rejection >= 0) {
            throw new IllegalArgumentException("Breaker '" + name + "': " + rejection
                    + " is a permit, not a rejection; the call was let through");
        }
        State current = state;
        RejectionReason reason = State.reasonOf(rejection);
        int detail = State.detailOf(rejection);
        if (current.generation == State.generationOf(rejection)) {
            return current.rejection(this, reason, detail);
        }
        // The rejecting state has ended since: a breaker's own verdict may be retried at once.
        Settings s = settings;
        RetryAfter retryAfter = reason.isBreakerVerdict() || s.admission == null ? RetryAfter.NOW
                : Objects.requireNonNull(s.admission.retryAfter(reason, detail, ticker));
        return new CallNotPermittedException(name, State.kindOf(rejection), current.level(), reason,
                blockedBy(reason, detail), retryAfter, s.config.halfOpenCalls(), s.config.writableStackTrace());
    }

    /** A new exception describing a rejection by {@code rejecting} for {@code reason} (with {@code detail}). */
    CallNotPermittedException describeRejection(State rejecting, RejectionReason reason, int detail) {
        Settings s = settings;
        RetryAfter retryAfter = s.admission == null ? null : s.admission.retryAfter(reason, detail, ticker);
        return new CallNotPermittedException(name, rejecting.kind, rejecting.level(), reason,
                blockedBy(reason, detail), retryAfter != null ? retryAfter : rejecting.retryAfter(ticker),
                rejecting.trialCalls(s.config), s.config.writableStackTrace());
    }

    private @Nullable String blockedBy(RejectionReason reason, int detail) {
        Admission admission = settings.admission;
        return reason == RejectionReason.DEPENDENCY_OPEN && admission != null && detail < admission.dependencies().length
                ? admission.dependencies()[detail].name() : null;
    }

    /** The number of breakers this one depends on, directly or not. */
    int dependencyCount() {
        Admission admission = settings.admission;
        return admission == null ? 0 : admission.dependencies().length;
    }

    /**
     * Whether this breaker blocks the breakers that depend on it: open within its wait, forced open, or half-open in
     * an emergency with its trial in flight. Once the wait is over it lets a dependent's call through, whose call to
     * it makes it half-open: a dependency called only through its dependents would otherwise stay open for ever.
     */
    boolean blocksDependents() {
        State current = state;
        CircuitState kind = current.kind;
        if (kind == CircuitState.OPEN) {
            return !((OpenState) current).waitOver(ticker);
        }
        // In an emergency the dependency admits one trial at a time: its dependents wait while that trial is in
        // flight, and may carry the next one otherwise (a dependency called only through them gets no other call).
        return kind == CircuitState.FORCED_OPEN
                || (kind == CircuitState.HALF_OPEN && current.level() == Level.EMERGENCY
                        && ((HalfOpenState) current).trialInFlight());
    }

    /** Nanoseconds until this breaker's current state lets a call through again, or -1 if only a hand will. */
    long retryAfterNanos() {
        return state.retryAfter(ticker).nanosFromNow();
    }

    /** The names of the breakers this one depends on, directly or not. */
    public List<String> dependencies() {
        Admission admission = settings.admission;
        return admission == null ? List.of()
                : Arrays.stream(admission.dependencies()).map(Breaker::name).toList();
    }

    /** The dependency whose breaker blocks this one's calls now, if any. */
    public Optional<String> blockedBy() {
        Admission admission = settings.admission;
        Breaker blocking = admission == null ? null : admission.blockingDependency();
        return blocking == null ? Optional.empty() : Optional.of(blocking.name);
    }

    /** Records a success for a call admitted with {@code permit}. */
    public void recordSuccess(long permit, long durationNanos) {
        succeeded(admitting(permit), durationNanos);
    }

    /**
     * Records an error for a call admitted with {@code permit}, classified as in {@link #onFailure}.
     *
     * @return how the configuration classified the error: a fallback applies to {@link ErrorClassification#FAILURE}
     */
    public ErrorClassification recordFailure(long permit, long durationNanos, Throwable error) {
        return failed(admitting(permit), durationNanos, Objects.requireNonNull(error, "error"));
    }

    /**
     * Records the result of a call admitted with {@code permit}: a failure if the configuration's result predicate
     * says so, a success otherwise.
     */
    public void recordResult(long permit, long durationNanos, @Nullable Object result) {
        State admitting = admitting(permit);
        if (result != null && settings.judgesResults && isFailureResult(result)) {
            failed(admitting, durationNanos, null);
        } else {
            succeeded(admitting, durationNanos);
        }
    }

    /**
     * Records a call of {@code permit} that took longer than its timeout: a failure with {@code timeout}, whatever the
     * configuration's recorded and ignored exceptions say.
     */
    public void recordTimeout(long permit, long durationNanos, CallTimeoutException timeout) {
        failed(admitting(permit), durationNanos, Objects.requireNonNull(timeout, "timeout"), false);
    }

    /** Gives back {@code permit} unrecorded, if the state that granted it is still current. */
    public void release(long permit) {
        State admitting = admitting(permit);
        if (admitting != null) {
            admitting.release();
        }
    }

    /** Ends the call of {@code permit}: the state that granted it if still current, else {@code null}. */
    private @Nullable State admitting(long permit) {
        if ((permit & UNUSUAL_PERMIT) != 0) {
            endUnusualPermit(permit);
        }
        State current = state;
        return current.permit == State.withoutFlags(permit) ? current : null;
    }

    /** Ends what a flagged permit holds (a trial counted across generations, a concurrency slot); refuses a token. */
    private void endUnusualPermit(long permit) {
        if (permit < 0) {
            throw new IllegalArgumentException("Breaker '" + name + "': " + permit
                    + " is a rejection, not a permit; there is no call to record");
        }
        if ((permit & State.TRIAL) != 0) {
            endTrial(State.generationOfPermit(permit));
        }
        if ((permit & State.SLOT) != 0) {
            Admission admission = settings.admission;
            if (admission != null) {
                admission.releaseSlot();
            }
        }
    }

    /**
     * Counts one more trial call of {@code generation} in flight if fewer than {@code limit} are and its
     * generation's trials still count; false otherwise.
     */
    boolean startTrial(long generation, int limit) {
        long seen;
        do {
            seen = trials;
            if ((seen & TRIAL_COUNT_MASK) >= limit || generation < seen >>> TRIAL_COUNT_BITS) {
                return false;
            }
        } while (!TRIALS.compareAndSet(this, seen, seen + 1));
        return true;
    }

    /** Counts the end of a trial call of {@code generation}, unless its generation's trials were abandoned. */
    private void endTrial(long generation) {
        long seen;
        do {
            seen = trials;
            if (generation < seen >>> TRIAL_COUNT_BITS) {
                return;
            }
        } while (!TRIALS.compareAndSet(this, seen, seen - 1));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Execution helpers.

    /**
     * Runs {@code callable} if permitted and records its outcome. With a {@linkplain #timeoutNanos() timeout}, a call
     * that takes longer fails with a {@link CallTimeoutException} (its result, if any, is dropped), interrupted when
     * the timeout passes if the configuration says so.
     *
     * @throws CallNotPermittedException if the breaker rejects the call
     * @throws CallTimeoutException if the call took longer than the timeout
     * @throws Exception whatever the callable throws
     */
    public <T> T call(Callable<T> callable) throws Exception {
        long permit = acquireOrThrow();
        if (settings.timed) {
            return timed(permit, callable);
        }
        long start = startTimer(false);
        T result;
        try {
            result = callable.call();
        } catch (Throwable error) {
            recordFailure(permit, elapsedNanos(start), error);
            throw error;
        }
        recordResult(permit, elapsedNanos(start), result);
        return result;
    }

    /** A call of {@code permit} under the breaker's timeout. */
    private <T> T timed(long permit, Callable<T> callable) throws Exception {
        long start = startTimer(false);
        long limit = timeoutNanos();
        TimeLimit.Interruption interruption = arm(limit);
        T result;
        try {
            result = callable.call();
        } catch (Throwable error) {
            throw sneaky(failedWith(permit, start, limit, interruption, error));
        }
        return timedResult(permit, start, limit, interruption, result);
    }

    /**
     * {@link #timed(long, Callable)} for a supplier; apart, not through a lambda, which would allocate on every
     * call once the path is too large to inline.
     */
    private <T> T timedGet(long permit, Supplier<T> supplier) {
        long start = startTimer(false);
        long limit = timeoutNanos();
        TimeLimit.Interruption interruption = arm(limit);
        T result;
        try {
            result = supplier.get();
        } catch (Throwable error) {
            throw sneaky(failedWith(permit, start, limit, interruption, error));
        }
        return timedResult(permit, start, limit, interruption, result);
    }

    /** {@link #timed(long, Callable)} for a runnable, apart for the same reason as {@link #timedGet}. */
    private void timedRun(long permit, Runnable runnable) {
        long start = startTimer(false);
        long limit = timeoutNanos();
        TimeLimit.Interruption interruption = arm(limit);
        try {
            runnable.run();
        } catch (Throwable error) {
            throw sneaky(failedWith(permit, start, limit, interruption, error));
        }
        timedResult(permit, start, limit, interruption, null);
    }

    /** Records the result of a timed call that returned: a timeout if it outlived {@code limit}. */
    private <T> T timedResult(long permit, long start, long limit, TimeLimit.@Nullable Interruption interruption,
                              T result) {
        long elapsed = ended(start, interruption);
        if (limit > 0 && elapsed > limit) {
            throw timedOut(permit, elapsed, limit);
        }
        recordResult(permit, elapsed, result);
        return result;
    }

    /**
     * Gets a value from {@code supplier} if permitted and records the outcome; a timeout applies as to
     * {@link #call(Callable)}.
     *
     * @throws CallNotPermittedException if the breaker rejects the call
     * @throws CallTimeoutException if the call took longer than the timeout
     */
    public <T> T get(Supplier<T> supplier) {
        long permit = acquireOrThrow();
        if (settings.timed) {
            return timedGet(permit, supplier);
        }
        long start = startTimer(false);
        T result;
        try {
            result = supplier.get();
        } catch (Throwable error) {
            recordFailure(permit, elapsedNanos(start), error);
            throw error;
        }
        recordResult(permit, elapsedNanos(start), result);
        return result;
    }

    /**
     * Runs {@code runnable} if permitted and records the outcome; a timeout applies as to {@link #call(Callable)}.
     *
     * @throws CallNotPermittedException if the breaker rejects the call
     * @throws CallTimeoutException if the call took longer than the timeout
     */
    public void run(Runnable runnable) {
        long permit = acquireOrThrow();
        if (settings.timed) {
            timedRun(permit, runnable);
            return;
        }
        long start = startTimer(false);
        try {
            runnable.run();
        } catch (Throwable error) {
            recordFailure(permit, elapsedNanos(start), error);
            throw error;
        }
        recordSuccess(permit, elapsedNanos(start));
    }

    /** Arms the interruption of a blocking call when the configuration asks for one and there is a limit. */
    private TimeLimit.@Nullable Interruption arm(long limit) {
        return limit > 0 && settings.config.timeoutInterrupt() ? TimeLimit.interruptAfter(limit) : null;
    }

    /** The call's duration, once its interruption (if any) is disarmed and cleared. */
    private long ended(long start, TimeLimit.@Nullable Interruption interruption) {
        if (interruption != null) {
            interruption.end();
        }
        return elapsedNanos(start);
    }

    /**
     * Records a call that threw {@code error}: as a timeout if it outlived {@code limit} (the error was most likely
     * the interruption), else as the error. Returns what the caller is to see.
     */
    private Throwable failedWith(long permit, long start, long limit, TimeLimit.@Nullable Interruption interruption,
                                 Throwable error) {
        long elapsed = ended(start, interruption);
        if (limit > 0 && elapsed > limit && !(error instanceof Error)) {
            return timedOut(permit, elapsed, limit);
        }
        recordFailure(permit, elapsed, error);
        return error;
    }

    /** Records a timeout of the call of {@code permit} as a failure, whatever the configuration records. */
    private CallTimeoutException timedOut(long permit, long elapsed, long limit) {
        CallTimeoutException timeout = new CallTimeoutException(name, Duration.ofNanos(limit));
        recordTimeout(permit, elapsed, timeout);
        return timeout;
    }

    /** Rethrows what a protected call threw (an unchecked exception, an error, or a checked one it declared). */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable error) throws E {
        throw (E) error;
    }

    /**
     * Like {@link #call(Callable)}, but answers from {@code fallback} when the call is rejected (with the
     * {@link CallNotPermittedException}) or fails with an exception recorded as a failure. Ignored exceptions and
     * {@link Error}s propagate.
     */
    public <T> T call(Callable<T> callable, Function<? super Exception, ? extends T> fallback) throws Exception {
        try {
            return call(callable);
        } catch (Exception e) {
            return fallBack(e, fallback);
        }
    }

    /** Like {@link #get(Supplier)}, with a fallback as in {@link #call(Callable, Function)}. */
    public <T> T get(Supplier<T> supplier, Function<? super RuntimeException, ? extends T> fallback) {
        try {
            return get(supplier);
        } catch (RuntimeException e) {
            return fallBack(e, fallback);
        }
    }

    /** Like {@link #run(Runnable)}, with a fallback as in {@link #call(Callable, Function)}. */
    public void run(Runnable runnable, Consumer<? super RuntimeException> fallback) {
        try {
            run(runnable);
        } catch (RuntimeException e) {
            fallBack(e, error -> {
                fallback.accept(error);
                return null;
            });
        }
    }

    private <E extends Exception, T> T fallBack(E error, Function<? super E, ? extends T> fallback) throws E {
        if (error instanceof CallNotPermittedException || error instanceof CallTimeoutException
                || classify(error) == ErrorClassification.FAILURE) {
            return fallback.apply(error);
        }
        throw error;
    }

    /**
     * Starts an asynchronous call if permitted and records its outcome when the returned stage completes. A stage
     * cancelled by its consumer gives its permit back. A rejected call answers with a stage failed with the
     * {@link CallNotPermittedException}; a supplier that throws has its error recorded and answers with a stage
     * failed with it ({@link Error}s are thrown); a supplier that returns {@code null} instead of a stage gives its
     * permit back and answers with a stage failed with a {@link NullPointerException} naming the breaker.
     *
     * @return the supplier's own stage, or a failed one
     */
    public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> supplier) {
        long permit = acquirePermit();
        if (permit < 0) {
            return CompletableFuture.failedFuture(rejection(permit));
        }
        long start = startTimer(false);
        CompletionStage<T> stage;
        try {
            stage = supplier.get();
        } catch (Throwable error) {
            recordFailure(permit, elapsedNanos(start), error);
            if (error instanceof Error fatal) {
                throw fatal;
            }
            return CompletableFuture.failedFuture(error);
        }
        if (stage == null) {
            release(permit);
            return CompletableFuture.failedFuture(new NullPointerException("The supplier given to breaker '" + name
                    + "'.callAsync returned null instead of a CompletionStage"));
        }
        long limit = timeoutNanos();
        if (limit > 0) {
            return withTimeout(stage, permit, start, limit);
        }
        stage.whenComplete((result, error) -> settle(permit, start, result, error));
        return stage;
    }

    /** Records the outcome of an asynchronous call: a cancellation gives its permit back. */
    private void settle(long permit, long start, @Nullable Object result, @Nullable Throwable error) {
        if (error == null) {
            recordResult(permit, elapsedNanos(start), result);
        } else if (CallErrors.isCancellation(error)) {
            release(permit);
        } else {
            recordFailure(permit, elapsedNanos(start), error);
        }
    }

    /**
     * An answer to {@code stage} that fails with a {@link CallTimeoutException} (cancelling the stage) if it has not
     * completed within {@code limit}. Whichever comes first settles the permit, exactly once: the stage's outcome,
     * the timeout, or the caller completing the answer itself (cancelling the stage).
     */
    private <T> CompletionStage<T> withTimeout(CompletionStage<T> stage, long permit, long start, long limit) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        AtomicBoolean settled = new AtomicBoolean();
        ScheduledFuture<?> timer = TimeLimit.schedule(limit, () -> {
            if (settled.compareAndSet(false, true)) {
                CallTimeoutException timeout = timedOut(permit, elapsedNanos(start), limit);
                cancel(stage);
                answer.completeExceptionally(timeout);
            }
        });
        stage.whenComplete((result, error) -> {
            if (settled.compareAndSet(false, true)) {
                timer.cancel(false);
                settle(permit, start, result, error);
                if (error == null) {
                    answer.complete(result);
                } else {
                    answer.completeExceptionally(error);
                }
            }
        });
        answer.whenComplete((result, error) -> {
            if (settled.compareAndSet(false, true)) {
                timer.cancel(false);
                cancel(stage);
                release(permit);
            }
        });
        return answer;
    }

    private static void cancel(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().cancel(true);
        } catch (UnsupportedOperationException notAFuture) {
            // A stage that cannot be cancelled runs on; its outcome no longer counts.
        }
    }

    private long acquireOrThrow() {
        long permit = acquirePermit();
        if (permit < 0) {
            throw rejection(permit);
        }
        return permit;
    }

    /**
     * The time a call may take now, in nanoseconds: the fixed timeout, or the adaptive one as of now; 0 when the
     * breaker has no timeout. Integrations apply it to the calls they protect.
     */
    public long timeoutNanos() {
        Settings s = settings;
        if (s.fixedTimeoutNanos > 0) {
            return s.fixedTimeoutNanos;
        }
        return s.adaptiveTimeouts == null ? 0 : s.adaptiveTimeouts.limitNanos(ticker.readCoarse());
    }

    /** The time a call may take now (see {@link #timeoutNanos()}), or empty without a timeout. */
    public Optional<Duration> timeout() {
        long nanos = timeoutNanos();
        return nanos == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(nanos));
    }

    /**
     * Whether outcomes need real call durations: slow-call detection is on, or someone listens to success events.
     * When false, callers of the protocol may skip the clock and pass 0.
     */
    public boolean needsCallDurations() {
        return settings.durationNeeded || (listeners.mask & TIMED_EVENTS) != 0;
    }

    /**
     * A start reading for {@link #elapsedNanos(long)}: reads the ticker only when this breaker
     * {@linkplain #needsCallDurations() needs call durations} or {@code alwaysTime} says the caller wants them.
     */
    public long startTimer(boolean alwaysTime) {
        return alwaysTime || needsCallDurations() ? ticker.read() : NOT_TIMED;
    }

    /** The nanoseconds since {@code start} from {@link #startTimer(boolean)}, or 0 when the call was not timed. */
    public long elapsedNanos(long start) {
        return start == NOT_TIMED ? 0 : ticker.read() - start;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Recording.

    private void succeeded(@Nullable State admitting, long durationNanos) {
        successes.increment();
        long now = ticker.readCoarse();
        if (lastSuccessAt != now) {
            lastSuccessAt = now;
        }
        Settings s = settings;
        if (s.observesSuccesses) {
            observeSuccess(s, durationNanos, now);
        }
        Listeners current = listeners;
        if (current.wants(EventType.SUCCESS)) {
            current.publish(new BreakerEvent.Success(name, clock.instant(), Duration.ofNanos(durationNanos)));
        }
        int outcome = Window.SUCCESS;
        if (durationNanos > s.slowCallNanos) {
            counter(SLOW_CALLS).increment();
            outcome |= Window.SLOW;
        }
        if (admitting != null) {
            if (admitting instanceof ClosedState closed) {
                closed.record(this, outcome, durationNanos);
            } else {
                admitting.record(this, outcome, durationNanos);
            }
        }
    }

    /** The counter behind {@code field}, made on its first use. */
    private LongAdder counter(VarHandle field) {
        LongAdder counter = (LongAdder) field.getAcquire(this);
        if (counter == null) {
            LongAdder fresh = new LongAdder();
            counter = (LongAdder) field.compareAndExchangeRelease(this, null, fresh);
            if (counter == null) {
                counter = fresh;
            }
        }
        return counter;
    }

    private static long sum(@Nullable LongAdder counter) {
        return counter == null ? 0 : counter.sum();
    }

    private static void observeSuccess(Settings s, long durationNanos, long now) {
        if (s.adaptiveTimeouts != null) {
            s.adaptiveTimeouts.record(durationNanos, now);
        }
        if (s.throttle != null) {
            s.throttle.accepted(now);
        }
    }

    private ErrorClassification failed(@Nullable State admitting, long durationNanos, @Nullable Throwable error) {
        return failed(admitting, durationNanos, error, true);
    }

    private ErrorClassification failed(@Nullable State admitting, long durationNanos, @Nullable Throwable error,
                                       boolean classified) {
        if (error != null && classified) {
            ErrorClassification classification = classify(error);
            if (classification == ErrorClassification.SUCCESS) {
                succeeded(admitting, durationNanos);
                return classification;
            }
            if (classification == ErrorClassification.IGNORED) {
                ignored(admitting, durationNanos, error);
                return classification;
            }
        }
        counter(FAILURES).increment();
        long now = ticker.readCoarse();
        if (lastFailureAt != now) {
            lastFailureAt = now;
        }
        Listeners current = listeners;
        if (current.wants(EventType.FAILURE)) {
            current.publish(new BreakerEvent.Failure(name, clock.instant(), Duration.ofNanos(durationNanos),
                    error));
        }
        int outcome = Window.FAILURE;
        if (durationNanos > settings.slowCallNanos) {
            counter(SLOW_CALLS).increment();
            outcome |= Window.SLOW;
        }
        if (admitting != null) {
            admitting.record(this, outcome, durationNanos);
        }
        return ErrorClassification.FAILURE;
    }

    private void ignored(@Nullable State admitting, long durationNanos, Throwable error) {
        counter(IGNORED).increment();
        if (admitting != null) {
            admitting.release();
        }
        Listeners current = listeners;
        if (current.wants(EventType.IGNORED_ERROR)) {
            current.publish(new BreakerEvent.IgnoredError(name, clock.instant(),
                    Duration.ofNanos(durationNanos), error));
        }
    }

    /**
     * The configuration's classification of {@code error}; a failure if its failure predicate throws, so that a
     * broken predicate neither leaks the call's permit nor replaces the call's own error.
     */
    private ErrorClassification classify(Throwable error) {
        try {
            return settings.config.classify(error);
        } catch (RuntimeException | Error broken) {
            predicateFailed("failurePredicate", broken);
            return ErrorClassification.FAILURE;
        }
    }

    /** Whether the configuration's result predicate records {@code result} as a failure; yes if it throws. */
    private boolean isFailureResult(@Nullable Object result) {
        try {
            return settings.config.isFailureResult(result);
        } catch (RuntimeException | Error broken) {
            predicateFailed("failureResultPredicate", broken);
            return true;
        }
    }

    private void predicateFailed(String predicate, Throwable broken) {
        long now = ticker.readCoarse();
        long last = lastPredicateWarningAt;
        if (last == NEVER || now - last >= PREDICATE_WARNING_INTERVAL_NANOS) {
            lastPredicateWarningAt = now;
            LOGGER.log(System.Logger.Level.WARNING, "Breaker '" + name + "': the " + predicate
                    + " threw; the call is counted as a failure (logged at most once a minute per breaker)", broken);
        }
    }

    /**
     * Counts a rejection by {@code rejecting} for {@code reason} (with {@code detail}), tells listeners, and returns
     * its token. Counted by priority while priorities are in use.
     */
    long reject(State rejecting, RejectionReason reason, int detail, @Nullable Priority priority) {
        RejectionCounts counts = rejections;
        if (counts == null) {
            counts = rejectionCounts();
        }
        counts.count(reason, Priority.inUse() ? priorityOf(priority) : null);
        Listeners current = listeners;
        if (current.wants(EventType.CALL_NOT_PERMITTED)) {
            current.publish(new BreakerEvent.CallNotPermitted(name, clock.instant(), rejecting.kind,
                    reason, blockedBy(reason, detail)));
        }
        return rejecting.rejectionToken(reason, detail);
    }

    private synchronized RejectionCounts rejectionCounts() {
        RejectionCounts counts = rejections;
        if (counts == null) {
            counts = new RejectionCounts();
            rejections = counts;
        }
        return counts;
    }

    /** Every rejection so far. */
    private long notPermittedTotal() {
        RejectionCounts counts = rejections;
        return counts == null ? 0 : counts.total();
    }

    Ticker ticker() {
        return ticker;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Transitions. Each builds the next state and its events, installs it with a CAS against the state it
    // leaves, and lets only the winner announce it.

    void open(ClosedState from, TransitionReason reason, int consecutiveFailures,
              BaselineDetector.@Nullable Deviation deviation) {
        long now = ticker.read();
        Window window = from.window();
        int escalations = from.escalationsAt(now);
        long generation = from.generation + 1;
        State next = new OpenState(generation, now, notPermittedTotal(), window, new State.Outage(now), escalations, 0,
                settings.config.waitInOpenNanos(escalations, jitterSeed(generation)));
        BreakerEvent threshold = null;
        if (listeners.wants(EventType.THRESHOLD_EXCEEDED)) {
            WindowCounts counts = window.counts();
            Thresholds thresholds = window.thresholds();
            threshold = new BreakerEvent.ThresholdExceeded(name, clock.instant(), reason,
                    thresholds.rate(counts.failed(), counts.buffered()),
                    thresholds.rate(counts.slow(), counts.buffered()), consecutiveFailures,
                    deviation == null ? null : inputs(deviation));
        }
        install(from, next, reason, threshold, null);
    }

    private static BreakerEvent.BaselineInputs inputs(BaselineDetector.Deviation deviation) {
        double scale = deviation.signal().equals("latency") ? 1e-6 : 1;
        return new BreakerEvent.BaselineInputs(deviation.signal(), deviation.value() * scale,
                deviation.mean() * scale, deviation.stddev() * scale, deviation.z());
    }

    void halfOpen(OpenState from) {
        State.Outage outage = from.outage();
        BreakerConfig config = settings.config;
        int trialCalls = outage.emergency ? 1 : config.halfOpenCalls();
        State next = new HalfOpenState(from.generation + 1, ticker.read(), notPermittedTotal(),
                new CountWindow(trialCalls, config.thresholds), outage, from.escalations, from.failedRecoveries(),
                trialCalls, config.maxWaitInHalfOpenNanos);
        install(from, next, TransitionReason.WAIT_IN_OPEN_ELAPSED, null, null);
    }

    /** The trial passed: recovers gradually if configured, else closes. */
    void trialSucceeded(HalfOpenState from) {
        BreakerConfig config = settings.config;
        GradualRecovery recovery = config.recovery();
        if (recovery == null) {
            close(from, TransitionReason.TRIAL_CALLS_SUCCEEDED);
            return;
        }
        long now = ticker.read();
        State next = new RecoveringState(from.generation + 1, now, notPermittedTotal(), newWindow(config.rampThresholds),
                from.outage(), from.escalations, from.failedRecoveries(), recovery, config);
        BreakerEvent started = listeners.wants(EventType.RECOVERY_STARTED)
                ? new BreakerEvent.RecoveryStarted(name, clock.instant(), recovery.ramp(),
                        recovery.minSharePercent())
                : null;
        install(from, next, TransitionReason.TRIAL_CALLS_SUCCEEDED, null, started);
    }

    /** The ramp reached the whole traffic: closes. */
    void completeRecovery(RecoveringState from) {
        long now = ticker.read();
        BreakerEvent completed = listeners.wants(EventType.RECOVERY_COMPLETED)
                ? new BreakerEvent.RecoveryCompleted(name, clock.instant(),
                        Duration.ofNanos(Math.max(0, now - from.enteredAt)))
                : null;
        install(from, closedState(from.generation + 1, now, escalationsOnClosing(from, now)),
                TransitionReason.RECOVERY_COMPLETED, null, completed);
    }

    /** The ramp's calls reached a threshold ({@code cause}): opens again, a failed recovery. */
    void failRecovery(RecoveringState from, TransitionReason cause) {
        BreakerEvent failed = listeners.wants(EventType.RECOVERY_FAILED)
                ? new BreakerEvent.RecoveryFailed(name, clock.instant(), cause,
                        from.sharePercent(ticker.readCoarse()))
                : null;
        openAgain(from, from.window(), TransitionReason.RECOVERY_FAILED, failed);
    }

    void reopen(HalfOpenState from, TransitionReason reason) {
        openAgain(from, from.window(), reason, null);
    }

    /** Opens again after a failed recovery: one more escalation, one more failed recovery in a row. */
    private void openAgain(State from, Window window, TransitionReason reason, @Nullable BreakerEvent first) {
        long now = ticker.read();
        State.Outage outage = Objects.requireNonNull(from.outage(), "outage");
        int escalations = from.escalations + 1;
        int failedRecoveries = from.failedRecoveries() + 1;
        long generation = from.generation + 1;
        State next = new OpenState(generation, now, notPermittedTotal(), window, outage, escalations,
                failedRecoveries, settings.config.waitInOpenNanos(escalations, jitterSeed(generation)));
        Escalation escalation = settings.config.escalationOrNull();
        BreakerEvent emergency = null;
        if (escalation != null && failedRecoveries >= escalation.emergencyAfter() && !outage.emergency) {
            outage.emergency = true;
            emergency = new BreakerEvent.Emergency(name, clock.instant(),
                    BreakerEvent.EmergencyCause.FAILED_RECOVERIES, failedRecoveries,
                    Duration.ofNanos(Math.max(0, now - outage.startedAt)));
        }
        install(from, next, reason, first, emergency);
    }

    void close(State from, TransitionReason reason) {
        long now = ticker.read();
        install(from, closedState(from.generation + 1, now, escalationsOnClosing(from, now)), reason, null, null);
    }

    /** The escalation count a breaker keeps when it closes: none without escalation, else what it had. */
    private int escalationsOnClosing(State from, long now) {
        return settings.config.escalationOrNull() == null ? 0 : from.escalationsAt(now);
    }

    /** A seed for the jitter of the wait in open of {@code generation}: the same for the same breaker and opening. */
    private long jitterSeed(long generation) {
        return name.hashCode() * 0x9E3779B97F4A7C15L + generation;
    }

    /**
     * Installs {@code next} in place of {@code from} and delivers its events in transition order: {@code before},
     * the state transition (if the kind changes and someone listens), and {@code after}; null events are left out.
     *
     * @return whether this thread installed it
     */
    private boolean install(State from, State next, TransitionReason reason, @Nullable BreakerEvent before,
                            @Nullable BreakerEvent after) {
        boolean kindChanges = from.kind != next.kind;
        BreakerEvent transition = kindChanges && listeners.wants(EventType.STATE_TRANSITION)
                ? new BreakerEvent.StateTransition(name, before == null ? clock.instant() : before.at(),
                        from.kind, next.kind, reason)
                : null;
        if (before != null || transition != null || after != null) {
            next.announceWith(Stream.of(before, transition, after).filter(Objects::nonNull)
                    .toArray(BreakerEvent[]::new));
        }
        if (!STATE.compareAndSet(this, from, next)) {
            return false;
        }
        from.successor = next;
        BaselineDetector baseline = settings.baseline;
        if (baseline != null && from.kind == CircuitState.CLOSED && reason != TransitionReason.RECONFIGURED) {
            baseline.discardCurrent(ticker.readCoarse());
        }
        if (reason == TransitionReason.TRIAL_CALLS_TIMED_OUT || reason.isManual()) {
            // Trial calls still in flight count against every later trial until they end, unless the breaker gave
            // up waiting for them or someone set its state by hand.
            trials = next.generation << TRIAL_COUNT_BITS;
        }
        if (kindChanges) {
            TRANSITIONS.getAndAdd(this, 1L);
            lastStateChangeAt = next.enteredAt;
        }
        deliverEntryEvents();
        return true;
    }

    /** Announces the level of {@code state} if it differs from the last one announced; only with escalation. */
    private void announceLevel(State state) {
        if (settings.config.escalationOrNull() == null) {
            return;
        }
        Level level = state.level();
        if (level != deliveredLevel) {
            Level from = deliveredLevel;
            deliveredLevel = level;
            Listeners current = listeners;
            if (current.wants(EventType.LEVEL_CHANGED)) {
                current.publish(new BreakerEvent.LevelChanged(name, clock.instant(), from, level));
            }
        }
    }

    /** Announces a change of level within the current state, in order with the transitions' events. */
    void levelChanged() {
        deliverEntryEvents();
    }

    /** Delivers the entry events of every installed state not yet delivered, oldest first, on one thread at a time. */
    private void deliverEntryEvents() {
        if ((int) DELIVERIES.getAndAdd(this, 1) != 0) {
            return;
        }
        int missed = 1;
        do {
            for (State next = delivered.successor; next != null; next = next.successor) {
                delivered = next;
                BreakerEvent[] events = next.entryEvents;
                if (events.length > 0) {
                    Listeners current = listeners;
                    for (BreakerEvent event : events) {
                        current.publish(event);
                    }
                }
                announceLevel(next);
            }
            announceLevel(delivered);
            missed = (int) DELIVERIES.getAndAdd(this, -missed) - missed;
        } while (missed != 0);
    }

    private State closedState(long generation, long now, int escalations) {
        return closedState(generation, now, escalations, newWindow(settings.config.closedThresholds), -1);
    }

    /** A closed state on {@code window}, granting {@code permit} (or its generation's own, for -1). */
    private ClosedState closedState(long generation, long now, int escalations, Window window, long permit) {
        return closedState(generation, now, notPermittedTotal(), escalations, window, permit);
    }

    private ClosedState closedState(long generation, long enteredAt, long notPermittedAtEntry, int escalations,
                                    Window window, long permit) {
        Settings s = settings;
        BreakerConfig config = s.config;
        return new ClosedState(generation, permit, enteredAt, notPermittedAtEntry, window,
                config.consecutiveFailures(), escalations, config.escalationOrNull(),
                s.admission == null && !config.shedOnWarning() && s.throttle == null, config.shedOnWarning(),
                s.throttle, s.baseline);
    }



    /** A window of the configured kind and size, evaluating {@code thresholds}. */
    private Window newWindow(Thresholds thresholds) {
        BreakerConfig config = settings.config;
        return config.windowType() == WindowType.COUNT
                ? new CountWindow(config.countWindowSize(), thresholds)
                : new TimeWindow(config.timeWindowSize().toNanos(), config.timeWindowBuckets(), thresholds, ticker);
    }

    /** Publishes the prolonged-open alert of {@code current}'s outage if it is due and not yet published. */
    void checkProlongedOutage(State current, long now) {
        State.Outage outage = current.outage();
        if (outage == null || current.kind == CircuitState.RECOVERING
                || now - outage.startedAt <= settings.config.prolongedOpenNanos
                || !outage.claimAlert()) {
            return;
        }
        Duration lasted = Duration.ofNanos(now - outage.startedAt);
        Listeners listening = listeners;
        if (listening.wants(EventType.PROLONGED_OPEN)) {
            listening.publish(new BreakerEvent.ProlongedOpen(name, clock.instant(), lasted));
        }
        if (settings.config.escalationOrNull() != null && !outage.emergency) {
            outage.emergency = true;
            if (listening.wants(EventType.EMERGENCY)) {
                listening.publish(new BreakerEvent.Emergency(name, clock.instant(),
                        BreakerEvent.EmergencyCause.PROLONGED_OUTAGE, current.failedRecoveries(), lasted));
            }
            levelChanged();
        }
    }

    /**
     * Publishes the {@link BreakerEvent.ProlongedOpen} alert if the current outage has lasted longer than the
     * configured {@link BreakerConfig#prolongedOpenAlert()} and the alert has not been published for it yet.
     * Rejected calls check this themselves; a scheduler calls it for breakers that see no traffic.
     */
    public void checkProlongedOpen() {
        checkProlongedOutage(state, ticker.read());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Cluster coordination.

    /**
     * Sets who decides whether this breaker may run the trial after its wait: with cluster coordination, the
     * holder of the probe lease. Default {@link ProbeGate#ALONE}.
     */
    public void probeGate(ProbeGate gate) {
        this.probeGate = Objects.requireNonNull(gate, "gate");
    }

    boolean mayProbe(State.Outage outage) {
        ProbeGate gate = probeGate;
        return gate == ProbeGate.ALONE || gate.mayProbe(this, outage.startedAt);
    }

    /**
     * What remains of this breaker's wait in open: how long it goes on rejecting calls before it lets trial calls
     * in. Zero unless it is {@link CircuitState#OPEN}, and once the wait is over. Cluster coordination announces it
     * to the other instances when this breaker opens.
     */
    public Duration remainingWait() {
        State current = state;
        return current.kind == CircuitState.OPEN ? Duration.ofNanos(current.retryAfter(ticker).nanosFromNow())
                : Duration.ZERO;
    }

    /**
     * Opens this breaker because another instance of its cluster did: for {@code wait} (what remains of that
     * instance's wait), with reason {@link TransitionReason#CLUSTER_OPENED}. Does nothing while this breaker is open,
     * forced open or disabled already.
     *
     * @return whether this breaker opened
     */
    public boolean openByCluster(Duration wait) {
        long waitNanos = Math.max(1, wait.toNanos());
        while (true) {
            State current = state;
            if (current.kind == CircuitState.OPEN || current.kind == CircuitState.FORCED_OPEN
                    || current.kind == CircuitState.DISABLED) {
                return false;
            }
            long now = ticker.read();
            State.Outage outage = current.outage() != null ? current.outage() : new State.Outage(now);
            Window window = current.window() != null ? current.window() : newWindow(settings.config.closedThresholds);
            State next = new OpenState(current.generation + 1, now, notPermittedTotal(), window, outage,
                    current.escalationsAt(now), current.failedRecoveries(), waitNanos);
            if (install(current, next, TransitionReason.CLUSTER_OPENED, null, null)) {
                return true;
            }
        }
    }

    /**
     * Ends this breaker's outage because the instance that probed for the cluster reported a successful trial:
     * recovers gradually if configured (all instances ramp together), else closes. Does nothing unless this
     * breaker is open or half-open.
     *
     * @return whether this breaker left its outage
     */
    public boolean recoverByCluster() {
        while (true) {
            State current = state;
            if (current.kind != CircuitState.OPEN && current.kind != CircuitState.HALF_OPEN) {
                return false;
            }
            long now = ticker.read();
            BreakerConfig config = settings.config;
            GradualRecovery recovery = config.recovery();
            State.Outage outage = Objects.requireNonNull(current.outage(), "outage");
            State next = recovery == null
                    ? closedState(current.generation + 1, now, escalationsOnClosing(current, now))
                    : new RecoveringState(current.generation + 1, now, notPermittedTotal(),
                            newWindow(config.rampThresholds), outage, current.escalations, current.failedRecoveries(),
                            recovery, config);
            if (install(current, next, TransitionReason.CLUSTER_RECOVERED, null, null)) {
                return true;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Reconfiguration.

    /**
     * Replaces this breaker's configuration while it runs. The state stays; a closed breaker takes the new options
     * at once, keeping its window (its outcomes, now judged by the new thresholds) when the window's kind and size
     * are the same, else starting a new one, and calls in flight are recorded in it either way. An open, half-open or
     * recovering breaker keeps its wait, trial or ramp, and the next state follows the new configuration. Totals,
     * listeners and what the adaptive features learned (where their options did not change) carry on. Publishes a
     * {@link BreakerEvent.ConfigChanged}.
     *
     * @param next the new configuration; the breaker keeps the ticker and clock it was created with
     * @param source who changes it, for the event (for example {@code api})
     * @throws IllegalArgumentException if {@code next} depends on other breakers: reconfigure through the
     *     {@link BreakerRegistry}, which finds them
     */
    public void reconfigure(BreakerConfig next, String source) {
        if (!next.dependsOn().isEmpty()) {
            throw new IllegalArgumentException("Breaker '" + name + "' would depend on " + next.dependsOn()
                    + ": reconfigure it through its BreakerRegistry, which finds the breakers it depends on");
        }
        reconfigure(next, new Breaker[0], source);
    }

    /** Replaces the configuration, with {@code dependencies} resolved by the registry; see {@link #reconfigure}. */
    synchronized void reconfigure(BreakerConfig next, Breaker[] dependencies, String source) {
        Objects.requireNonNull(source, "source");
        if (next.ticker() != ticker || next.clock() != clock) {
            next = next.toBuilder().ticker(ticker).clock(clock).build();
        }
        Settings previous = settings;
        settings = previous.reconfigured(next, dependencies, ticker.read());
        BreakerEvent changed = listeners.wants(EventType.CONFIG_CHANGED)
                ? new BreakerEvent.ConfigChanged(name, clock.instant(), previous.config, next, source) : null;
        while (true) {
            State current = state;
            if (!(current instanceof ClosedState closed)) {
                break;
            }
            Window window = closed.window();
            if (sameWindow(previous.config, next)) {
                window.retune(next.closedThresholds);
            } else {
                window = newWindow(next.closedThresholds);
            }
            ClosedState replacement = closedState(current.generation + 1, current.enteredAt,
                    current.notPermittedAtEntry, current.escalations, window, current.permit);
            replacement.takeOver(closed);
            if (install(current, replacement, TransitionReason.RECONFIGURED, changed, null)) {
                return;
            }
        }
        if (changed != null) {
            listeners.publish(changed);
        }
    }

    /** Gives this breaker other dependencies: one it depends on was reconfigured. */
    synchronized void rewire(Breaker[] dependencies) {
        settings = settings.rewired(dependencies);
    }

    private static boolean sameWindow(BreakerConfig a, BreakerConfig b) {
        if (a.windowType() != b.windowType()) {
            return false;
        }
        return a.windowType() == WindowType.COUNT ? a.countWindowSize() == b.countWindowSize()
                : a.timeWindowSize().equals(b.timeWindowSize()) && a.timeWindowBuckets() == b.timeWindowBuckets();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Manual control.

    /** Closes the breaker with an empty window, whatever its state, and publishes a {@link BreakerEvent.Reset}. */
    public void reset() {
        moveTo(CircuitState.CLOSED, TransitionReason.RESET);
    }

    /** Closes the breaker with an empty window; does nothing if it is already closed. */
    public void close() {
        moveTo(CircuitState.CLOSED, TransitionReason.MANUAL_CLOSE);
    }

    /** Rejects every call until {@link #close()} or {@link #reset()}; does nothing if already forced open. */
    public void forceOpen() {
        moveTo(CircuitState.FORCED_OPEN, TransitionReason.MANUAL_FORCE_OPEN);
    }

    /**
     * Lets every call through and evaluates nothing until {@link #close()} or {@link #reset()}; does nothing if
     * already disabled.
     */
    public void disable() {
        moveTo(CircuitState.DISABLED, TransitionReason.MANUAL_DISABLE);
    }

    /** Installs a fresh state of {@code kind}; a reset does so even when the breaker is in that state already. */
    private void moveTo(CircuitState kind, TransitionReason reason) {
        boolean reset = reason == TransitionReason.RESET;
        while (true) {
            State from = state;
            if (from.kind == kind && !reset) {
                return;
            }
            long now = ticker.read();
            int escalations = reset ? 0 : escalationsOnClosing(from, now);
            State next = kind == CircuitState.CLOSED ? closedState(from.generation + 1, now, escalations)
                    : new ManualState(kind, from.generation + 1, now, notPermittedTotal(), escalations);
            BreakerEvent resetEvent = reset && listeners.wants(EventType.RESET)
                    ? new BreakerEvent.Reset(name, clock.instant()) : null;
            if (install(from, next, reason, resetEvent, null)) {
                return;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Events.

    /** Sends every event of this breaker to {@code listener}, including per-call ones. */
    public void addListener(BreakerEventListener listener) {
        addListener(EnumSet.allOf(EventType.class), listener);
    }

    /**
     * Sends this breaker's events of the given types to {@code listener}. Prefer leaving out per-call types
     * ({@link EventType#isPerCall()}) unless needed: each one costs an event object per call.
     */
    public synchronized void addListener(Set<EventType> types, BreakerEventListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners = listeners.with(Listeners.maskOf(types), listener);
    }

    /** Stops sending events to {@code listener}. */
    public synchronized void removeListener(BreakerEventListener listener) {
        listeners = listeners.without(listener);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Metrics.

    /** A snapshot of the breaker's figures. */
    public BreakerMetrics metrics() {
        State current = current();
        long now = ticker.read();
        Instant wallNow = clock.instant();
        Window window = current.window();
        WindowCounts counts = window == null ? WindowCounts.EMPTY : window.counts();
        Settings s = settings;
        Thresholds thresholds = window == null ? s.config.thresholds : window.thresholds();
        long totalSuccesses = successes.sum();
        long totalFailures = sum(failures);
        long totalIgnored = sum(ignored);
        RejectionCounts rejected = rejections;
        long totalNotPermitted = rejected == null ? 0 : rejected.total();
        return new BreakerMetrics(
                current.kind,
                window == null ? Thresholds.NOT_ENOUGH_CALLS : thresholds.rate(counts.failed(), counts.buffered()),
                window == null ? Thresholds.NOT_ENOUGH_CALLS : thresholds.rate(counts.slow(), counts.buffered()),
                counts.buffered(),
                counts.failed(),
                counts.slow(),
                counts.successful(),
                totalNotPermitted - current.notPermittedAtEntry,
                totalSuccesses,
                totalFailures,
                totalIgnored,
                totalNotPermitted,
                totalSuccesses + totalFailures + totalIgnored + totalNotPermitted,
                sum(slowCalls),
                current instanceof ClosedState closed ? closed.consecutiveFailures() : 0,
                toInstant(lastFailureAt, now, wallNow),
                toInstant(lastSuccessAt, now, wallNow),
                toInstant(lastStateChangeAt, now, wallNow),
                transitions,
                Duration.ofNanos(Math.max(0, now - current.enteredAt)),
                current.level(),
                admittedSharePercent(current, now),
                current instanceof RecoveringState ramp ? Duration.ofNanos(ramp.remainingNanos(now)) : Duration.ZERO,
                current instanceof RecoveringState ramp && ramp.held(),
                current.escalationsAt(now),
                rejected == null ? Map.of() : rejected.byReason(),
                rejected == null ? Map.of() : rejected.byPriority(),
                blockedBy().orElse(null),
                s.admission == null ? -1 : s.admission.inFlight(),
                timeout().orElse(null),
                s.throttle == null ? Float.NaN : s.throttle.rejectPercent(ticker.readCoarse()),
                s.baseline == null ? null : s.baseline.snapshot());
    }

    private static float admittedSharePercent(State current, long now) {
        return switch (current.kind) {
            case CLOSED, DISABLED -> 100;
            case RECOVERING -> ((RecoveringState) current).sharePercent(now);
            default -> 0;
        };
    }

    private static @Nullable Instant toInstant(long tickerReading, long now, Instant wallNow) {
        return tickerReading == NEVER ? null : wallNow.minusNanos(Math.max(0, now - tickerReading));
    }

    @Override
    public String toString() {
        return "Breaker{name='" + name + "', state=" + state.kind + '}';
    }
}
