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
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

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
     * given back to a newer trial.
     *
     * Hot path while closed: tryAcquire is a volatile read and a type check; onSuccess adds to a counter stripe
     * its thread owns (no locked instruction), refreshes the last-success stamp from the coarse ticker only when
     * the coarse reading moved (about once a millisecond), and records into the window, which for a healthy
     * count window is one shared read. No precise clock read unless slow-call detection is on.
     */

    /** The permit value meaning "not permitted". */
    public static final long NOT_PERMITTED = -1;

    private static final long NEVER = Long.MIN_VALUE;
    private static final long NOT_TIMED = Long.MIN_VALUE;
    /**
     * Listening to successes (an event object per call anyway) also times every call. Failure and ignored-error
     * events alone do not: a failure log, such as the Actuator event buffer keeps, must not cost every call two
     * clock reads; their events carry a zero duration unless the call was timed for another reason.
     */
    private static final int TIMED_EVENTS = EventType.SUCCESS.bit();

    private static final VarHandle STATE;
    private static final VarHandle TRANSITIONS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(Breaker.class, "state", State.class);
            TRANSITIONS = lookup.findVarHandle(Breaker.class, "transitions", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final BreakerConfig config;
    private final Ticker ticker;
    private final long slowCallNanos;
    private final boolean durationNeeded;
    private final ThreadOwnedCounter successes = new ThreadOwnedCounter();
    private final LongAdder failures = new LongAdder();
    private final LongAdder ignored = new LongAdder();
    private final LongAdder notPermitted = new LongAdder();
    private final LongAdder slowCalls = new LongAdder();

    private volatile State state;
    @SuppressWarnings("unused") // updated through TRANSITIONS
    private volatile long transitions;
    private volatile long lastSuccessAt = NEVER;
    private volatile long lastFailureAt = NEVER;
    private volatile long lastStateChangeAt = NEVER;
    private volatile Listeners listeners = Listeners.NONE;

    private Breaker(String name, BreakerConfig config) {
        this.name = name;
        this.config = config;
        this.ticker = config.ticker();
        this.slowCallNanos = config.slowCallNanos;
        this.durationNeeded = config.needsDuration();
        this.state = closedState(0, ticker.read());
    }

    /**
     * Creates a breaker, closed.
     *
     * @param name the name it reports, not blank
     * @param config its configuration
     */
    public static Breaker of(String name, BreakerConfig config) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(config, "config");
        if (name.isBlank()) {
            throw new IllegalArgumentException("A breaker's name must not be blank");
        }
        return new Breaker(name, config);
    }

    /** The breaker's name. */
    public String name() {
        return name;
    }

    /** The breaker's configuration. */
    public BreakerConfig config() {
        return config;
    }

    /** The current state. */
    public CircuitState state() {
        return state.kind;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Low-level protocol, as in Resilience4j: outcomes apply to the current state.

    /**
     * Asks for permission to make a call. An open breaker whose wait has passed turns half-open and grants one of
     * its trial permits. Every granted permit must be followed by {@link #onSuccess(long)},
     * {@link #onFailure(long, Throwable)} or {@link #release()}.
     *
     * @return whether the call may proceed
     */
    public boolean tryAcquire() {
        return acquirePermit() != NOT_PERMITTED;
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
     * Asks for permission to make a call, like {@link #tryAcquire()}, and names the state that granted it.
     *
     * @return a permit to pass to {@link #recordSuccess}, {@link #recordFailure}, {@link #recordResult} or
     *     {@link #release(long)}; or {@link #NOT_PERMITTED}
     */
    public long acquirePermit() {
        State current = state;
        return current instanceof ClosedState ? current.generation : current.acquire(this);
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
        if (config.isFailureResult(result)) {
            failed(admitting, durationNanos, null);
        } else {
            succeeded(admitting, durationNanos);
        }
    }

    /** Gives back {@code permit} unrecorded, if the state that granted it is still current. */
    public void release(long permit) {
        State admitting = admitting(permit);
        if (admitting != null) {
            admitting.release();
        }
    }

    private @Nullable State admitting(long permit) {
        State current = state;
        return current.generation == permit ? current : null;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Execution helpers.

    /**
     * Runs {@code callable} if permitted and records its outcome.
     *
     * @throws CallNotPermittedException if the breaker rejects the call
     * @throws Exception whatever the callable throws
     */
    public <T> T call(Callable<T> callable) throws Exception {
        long permit = acquireOrThrow();
        long start = startTimer();
        T result;
        try {
            result = callable.call();
        } catch (Throwable error) {
            recordFailure(permit, elapsedSince(start), error);
            throw error;
        }
        recordResult(permit, elapsedSince(start), result);
        return result;
    }

    /**
     * Gets a value from {@code supplier} if permitted and records the outcome.
     *
     * @throws CallNotPermittedException if the breaker rejects the call
     */
    public <T> T get(Supplier<T> supplier) {
        long permit = acquireOrThrow();
        long start = startTimer();
        T result;
        try {
            result = supplier.get();
        } catch (Throwable error) {
            recordFailure(permit, elapsedSince(start), error);
            throw error;
        }
        recordResult(permit, elapsedSince(start), result);
        return result;
    }

    /**
     * Runs {@code runnable} if permitted and records the outcome.
     *
     * @throws CallNotPermittedException if the breaker rejects the call
     */
    public void run(Runnable runnable) {
        long permit = acquireOrThrow();
        long start = startTimer();
        try {
            runnable.run();
        } catch (Throwable error) {
            recordFailure(permit, elapsedSince(start), error);
            throw error;
        }
        recordSuccess(permit, elapsedSince(start));
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
        if (error instanceof CallNotPermittedException || config.classify(error) == ErrorClassification.FAILURE) {
            return fallback.apply(error);
        }
        throw error;
    }

    /**
     * Starts an asynchronous call if permitted and records its outcome when the returned stage completes. A stage
     * cancelled by its consumer gives its permit back. A rejected call, or a supplier that throws, answers with a
     * failed stage.
     *
     * @return the supplier's own stage, or a failed one
     */
    public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> supplier) {
        long permit = acquirePermit();
        if (permit == NOT_PERMITTED) {
            return CompletableFuture.failedFuture(notPermitted(state));
        }
        long start = startTimer();
        CompletionStage<T> stage;
        try {
            stage = supplier.get();
        } catch (Throwable error) {
            recordFailure(permit, elapsedSince(start), error);
            if (error instanceof Error fatal) {
                throw fatal;
            }
            return CompletableFuture.failedFuture(error);
        }
        stage.whenComplete((result, error) -> {
            if (error == null) {
                recordResult(permit, elapsedSince(start), result);
            } else if (isCancellation(error)) {
                release(permit);
            } else {
                recordFailure(permit, elapsedSince(start), error);
            }
        });
        return stage;
    }

    private static boolean isCancellation(Throwable error) {
        return error instanceof CancellationException
                || (error instanceof CompletionException && error.getCause() instanceof CancellationException);
    }

    private long acquireOrThrow() {
        State before = state;
        long permit = before instanceof ClosedState ? before.generation : before.acquire(this);
        if (permit == NOT_PERMITTED) {
            throw notPermitted(before);
        }
        return permit;
    }

    /**
     * Whether outcomes need real call durations: slow-call detection is on, or someone listens to success events.
     * When false, callers of the protocol may skip the clock and pass 0.
     */
    public boolean needsCallDurations() {
        return durationNeeded || (listeners.mask & TIMED_EVENTS) != 0;
    }

    private long startTimer() {
        return needsCallDurations() ? ticker.read() : NOT_TIMED;
    }

    private long elapsedSince(long start) {
        return start == NOT_TIMED ? 0 : ticker.read() - start;
    }

    /**
     * The exception for a call this breaker rejects now, naming its state and when to retry. The execution
     * helpers throw it; code using {@link #tryAcquire()} may too.
     */
    public CallNotPermittedException notPermittedException() {
        return notPermitted(state);
    }

    private CallNotPermittedException notPermitted(State seenBefore) {
        State current = state;
        State rejecting = current.kind == CircuitState.CLOSED || current.kind == CircuitState.DISABLED
                ? seenBefore : current;
        return new CallNotPermittedException(name, rejecting.kind, rejecting.retryAfterNanos(ticker.readCoarse()),
                config.halfOpenCalls(), config.writableStackTrace());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Recording.

    private void succeeded(@Nullable State admitting, long durationNanos) {
        successes.increment();
        long now = ticker.readCoarse();
        if (lastSuccessAt != now) {
            lastSuccessAt = now;
        }
        Listeners current = listeners;
        if (current.wants(EventType.SUCCESS)) {
            current.publish(new BreakerEvent.Success(name, config.clock().instant(), Duration.ofNanos(durationNanos)));
        }
        int outcome = Window.SUCCESS;
        if (durationNanos > slowCallNanos) {
            slowCalls.increment();
            outcome |= Window.SLOW;
        }
        if (admitting != null) {
            if (admitting instanceof ClosedState closed) {
                closed.record(this, outcome);
            } else {
                admitting.record(this, outcome);
            }
        }
    }

    private ErrorClassification failed(@Nullable State admitting, long durationNanos, @Nullable Throwable error) {
        if (error != null) {
            ErrorClassification classification = config.classify(error);
            if (classification == ErrorClassification.SUCCESS) {
                succeeded(admitting, durationNanos);
                return classification;
            }
            if (classification == ErrorClassification.IGNORED) {
                ignored(admitting, durationNanos, error);
                return classification;
            }
        }
        failures.increment();
        long now = ticker.readCoarse();
        if (lastFailureAt != now) {
            lastFailureAt = now;
        }
        Listeners current = listeners;
        if (current.wants(EventType.FAILURE)) {
            current.publish(new BreakerEvent.Failure(name, config.clock().instant(), Duration.ofNanos(durationNanos),
                    error));
        }
        int outcome = Window.FAILURE;
        if (durationNanos > slowCallNanos) {
            slowCalls.increment();
            outcome |= Window.SLOW;
        }
        if (admitting != null) {
            admitting.record(this, outcome);
        }
        return ErrorClassification.FAILURE;
    }

    private void ignored(@Nullable State admitting, long durationNanos, Throwable error) {
        ignored.increment();
        if (admitting != null) {
            admitting.release();
        }
        Listeners current = listeners;
        if (current.wants(EventType.IGNORED_ERROR)) {
            current.publish(new BreakerEvent.IgnoredError(name, config.clock().instant(),
                    Duration.ofNanos(durationNanos), error));
        }
    }

    /** Counts a rejection by {@code rejecting} and tells listeners. */
    long reject(State rejecting) {
        notPermitted.increment();
        Listeners current = listeners;
        if (current.wants(EventType.CALL_NOT_PERMITTED)) {
            current.publish(new BreakerEvent.CallNotPermitted(name, config.clock().instant(), rejecting.kind));
        }
        return NOT_PERMITTED;
    }

    Ticker ticker() {
        return ticker;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Transitions. Each builds the next state, installs it with a CAS against the state it leaves, and lets
    // only the winner publish.

    void open(ClosedState from, TransitionReason reason, int consecutiveFailures) {
        long now = ticker.read();
        Window window = from.window();
        State next = new OpenState(from.generation + 1, now, notPermitted.sum(), window, new State.Outage(now), 1,
                config.waitInOpenNanos(1));
        if (STATE.compareAndSet(this, from, next)) {
            Listeners current = listeners;
            if (current.wants(EventType.THRESHOLD_EXCEEDED)) {
                WindowCounts counts = window.counts();
                Thresholds thresholds = window.thresholds();
                current.publish(new BreakerEvent.ThresholdExceeded(name, config.clock().instant(), reason,
                        thresholds.rate(counts.failed(), counts.buffered()),
                        thresholds.rate(counts.slow(), counts.buffered()), consecutiveFailures));
            }
            transitioned(from, next, reason);
        }
    }

    void halfOpen(OpenState from) {
        State next = new HalfOpenState(from.generation + 1, ticker.read(), notPermitted.sum(),
                new CountWindow(config.halfOpenCalls(), config.thresholds), from.outage(), from.attempt(),
                config.halfOpenCalls(), config.maxWaitInHalfOpenNanos);
        if (STATE.compareAndSet(this, from, next)) {
            transitioned(from, next, TransitionReason.WAIT_IN_OPEN_ELAPSED);
        }
    }

    void reopen(HalfOpenState from, TransitionReason reason) {
        int attempt = from.attempt() + 1;
        State next = new OpenState(from.generation + 1, ticker.read(), notPermitted.sum(), from.window(),
                from.outage(), attempt, config.waitInOpenNanos(attempt));
        if (STATE.compareAndSet(this, from, next)) {
            transitioned(from, next, reason);
        }
    }

    void close(State from, TransitionReason reason) {
        State next = closedState(from.generation + 1, ticker.read());
        if (STATE.compareAndSet(this, from, next)) {
            transitioned(from, next, reason);
        }
    }

    private State closedState(long generation, long now) {
        Window window = config.windowType() == WindowType.COUNT
                ? new CountWindow(config.countWindowSize(), config.thresholds)
                : new TimeWindow(config.timeWindowSize().toNanos(), config.timeWindowBuckets(), config.thresholds,
                        ticker);
        return new ClosedState(generation, now, notPermitted.sum(), window, config.consecutiveFailures());
    }

    private void transitioned(State from, State to, TransitionReason reason) {
        if (from.kind == to.kind) {
            return;
        }
        TRANSITIONS.getAndAdd(this, 1L);
        lastStateChangeAt = to.enteredAt;
        Listeners current = listeners;
        if (current.wants(EventType.STATE_TRANSITION)) {
            current.publish(new BreakerEvent.StateTransition(name, config.clock().instant(), from.kind, to.kind,
                    reason));
        }
    }

    /** Publishes the prolonged-open alert of {@code current}'s outage if it is due and not yet published. */
    void checkProlongedOutage(State current, long now) {
        State.Outage outage = current.outage();
        if (outage != null && now - outage.startedAt > config.prolongedOpenNanos && outage.claimAlert()) {
            Listeners listening = listeners;
            if (listening.wants(EventType.PROLONGED_OPEN)) {
                listening.publish(new BreakerEvent.ProlongedOpen(name, config.clock().instant(),
                        Duration.ofNanos(now - outage.startedAt)));
            }
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
            State next = kind == CircuitState.CLOSED ? closedState(from.generation + 1, now)
                    : new ManualState(kind, from.generation + 1, now, notPermitted.sum());
            if (STATE.compareAndSet(this, from, next)) {
                Listeners current = listeners;
                if (reset && current.wants(EventType.RESET)) {
                    current.publish(new BreakerEvent.Reset(name, config.clock().instant()));
                }
                transitioned(from, next, reason);
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
        State current = state;
        long now = ticker.read();
        Instant wallNow = config.clock().instant();
        Window window = current.window();
        WindowCounts counts = window == null ? WindowCounts.EMPTY : window.counts();
        Thresholds thresholds = window == null ? config.thresholds : window.thresholds();
        long totalSuccesses = successes.sum();
        long totalFailures = failures.sum();
        long totalIgnored = ignored.sum();
        long totalNotPermitted = notPermitted.sum();
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
                slowCalls.sum(),
                current instanceof ClosedState closed ? closed.consecutiveFailures() : 0,
                toInstant(lastFailureAt, now, wallNow),
                toInstant(lastSuccessAt, now, wallNow),
                toInstant(lastStateChangeAt, now, wallNow),
                transitions,
                Duration.ofNanos(Math.max(0, now - current.enteredAt)));
    }

    private static @Nullable Instant toInstant(long tickerReading, long now, Instant wallNow) {
        return tickerReading == NEVER ? null : wallNow.minusNanos(Math.max(0, now - tickerReading));
    }

    @Override
    public String toString() {
        return "Breaker{name='" + name + "', state=" + state.kind + '}';
    }
}
