package dev.breaker;

import dev.breaker.internal.Verdict;
import dev.breaker.internal.Window;
import org.jspecify.annotations.Nullable;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One stay of a breaker in a state. Every transition installs a new instance, so an instance is a generation:
 * a permit names the generation that granted it, and outcomes of an earlier generation never reach a later one.
 */
abstract class State {

    /*
     * Implementation notes.
     *
     * Permits: a permit is the generation shifted left by two; the low bits are flags. TRIAL marks a trial permit
     * taken through the generation-aware protocol, whose end the breaker counts across generations (see
     * Breaker.trials); SLOT marks a permit that holds a slot of the concurrency limit. A rejection is a negative
     * token naming the generation, the state kind, the reason and a detail (the index of the dependency that
     * blocked the call), so that the exception describing it can be made later, from the rejecting state while it
     * is still current, without allocating anything on the rejecting path.
     *
     * Fast path: a state that admits every call without asking anything (closed, with no admission control and no
     * shedding; disabled) sets freePermit, so Breaker.acquirePermit answers with one field read.
     *
     * Events: the thread that installs a state sets entryEvents before its compare-and-set and links the state
     * it left to it (successor) after; the breaker delivers entry events by walking the successor links, so every
     * listener sees each breaker's transitions in the order the compare-and-sets happened.
     */

    /** A permit's flag: a trial call whose end is counted across generations. */
    static final long TRIAL = 1L;
    /** A permit's flag: the call holds a slot of the concurrency limit. */
    static final long SLOT = 2L;
    private static final int FLAG_BITS = 2;
    private static final long FLAGS = (1L << FLAG_BITS) - 1;
    /** What {@link #freePermit} holds when a state has to be asked. */
    static final long ASK = -1;

    private static final int KIND_SHIFT = 5;
    private static final int DETAIL_SHIFT = 9;
    private static final int DETAIL_BITS = 12;
    private static final int GENERATION_SHIFT = DETAIL_SHIFT + DETAIL_BITS;
    /** The most dependencies a rejection token can name. */
    static final int MAX_DETAIL = (1 << DETAIL_BITS) - 1;
    private static final BreakerEvent[] NO_EVENTS = new BreakerEvent[0];
    private static final RejectionReason[] REASONS = RejectionReason.values();
    private static final CircuitState[] KINDS = CircuitState.values();

    final CircuitState kind;
    final long generation;
    /** The permit this state grants: its generation shifted left by two, no flags. */
    final long permit;
    /** The permit granted without asking anything, or {@link #ASK}. */
    final long freePermit;
    /** Ticker reading when the breaker entered this state. */
    final long enteredAt;
    /** The breaker's lifetime not-permitted count when it entered this state. */
    final long notPermittedAtEntry;
    /** The escalation count when the breaker entered this state: failed recoveries not yet decayed. */
    final int escalations;

    /** The events announcing this state, delivered in generation order; written before the state is installed. */
    BreakerEvent[] entryEvents = NO_EVENTS;
    /** The state installed after this one, once its installer has linked it. */
    volatile @Nullable State successor;
    /** The shared exceptions of this state's rejections, by reason and then dependency; made on first use. */
    private volatile CallNotPermittedException @Nullable [] rejections;

    /**
     * @param admitsFreely whether every call is admitted without asking anything
     */
    State(CircuitState kind, long generation, long enteredAt, long notPermittedAtEntry, int escalations,
          boolean admitsFreely) {
        this(kind, generation, -1, enteredAt, notPermittedAtEntry, escalations, admitsFreely);
    }

    /**
     * @param permit the permit this state grants: -1 for its generation's own, or the permit of the state it
     *     replaces when it takes over that state's window and calls in flight (a reconfiguration)
     * @param admitsFreely whether every call is admitted without asking anything
     */
    State(CircuitState kind, long generation, long permit, long enteredAt, long notPermittedAtEntry, int escalations,
          boolean admitsFreely) {
        this.kind = kind;
        this.generation = generation;
        this.permit = permit >= 0 ? permit : generation << FLAG_BITS;
        this.freePermit = admitsFreely ? permit : ASK;
        this.enteredAt = enteredAt;
        this.notPermittedAtEntry = notPermittedAtEntry;
        this.escalations = escalations;
    }

    /**
     * Asks for a permit; may move the breaker to another state first.
     *
     * @param tracked whether the caller will give the permit back through the generation-aware protocol, so that
     *     a trial permit may be counted until it ends
     * @param priority the call's priority if the caller gave one, else {@code null}: looked up only if it matters
     * @return a permit, or a negative rejection token
     */
    abstract long acquire(Breaker breaker, boolean tracked, @Nullable Priority priority);

    /**
     * Records a success or failure outcome code ({@link Window#SUCCESS}, {@link Window#FAILURE}, slow flag) of a call
     * that took {@code durationNanos} (0 when it was not timed).
     */
    abstract void record(Breaker breaker, int outcome, long durationNanos);

    /** Gives back a permit this state granted, for a call that was cancelled or whose error is ignored. */
    void release() {
    }

    /** The window whose counts this state reports, or {@code null} when it keeps none. */
    abstract @Nullable Window window();

    /** The outage this state belongs to, or {@code null} outside of one. */
    @Nullable Outage outage() {
        return null;
    }

    /** When calls this state rejects may be tried again. By default: at once. */
    RetryAfter retryAfter(Ticker ticker) {
        return RetryAfter.NOW;
    }

    /** The trial calls this state admits at a time, for messages. */
    int trialCalls(BreakerConfig config) {
        return config.halfOpenCalls();
    }

    /** The level of a breaker in this state. */
    Level level() {
        Outage outage = outage();
        if (outage != null && outage.emergency && (kind == CircuitState.OPEN || kind == CircuitState.HALF_OPEN)) {
            return Level.EMERGENCY;
        }
        return kind == CircuitState.CLOSED || kind == CircuitState.DISABLED ? Level.NORMAL : Level.CRITICAL;
    }

    /** The failed recoveries in a row in the current outage. */
    int failedRecoveries() {
        return 0;
    }

    /** The escalation count now: failed recoveries, less what has decayed while closed and normal. */
    int escalationsAt(long now) {
        return escalations;
    }

    /** The transition reason for a verdict that exceeded a threshold. */
    static TransitionReason exceededReason(Verdict verdict) {
        return switch (verdict) {
            case FAILURE_RATE_EXCEEDED -> TransitionReason.FAILURE_RATE_EXCEEDED;
            case SLOW_CALL_RATE_EXCEEDED -> TransitionReason.SLOW_CALL_RATE_EXCEEDED;
            default -> TransitionReason.FAILURE_AND_SLOW_CALL_RATES_EXCEEDED;
        };
    }

    // ---------------------------------------------------------------------------------------------------------
    // Permits and rejection tokens.

    /** The generation of the state that granted {@code permit}. */
    static long generationOfPermit(long permit) {
        return permit >>> FLAG_BITS;
    }

    /** {@code permit} without its flags. */
    static long withoutFlags(long permit) {
        return permit & ~FLAGS;
    }

    /** The rejection token for a call this state rejects for {@code reason}, with {@code detail} (0 if none). */
    final long rejectionToken(RejectionReason reason, int detail) {
        return -1 - ((generation << GENERATION_SHIFT) | ((long) detail << DETAIL_SHIFT)
                | ((long) kind.ordinal() << KIND_SHIFT) | reason.ordinal());
    }

    /** The generation a rejection token names. */
    static long generationOf(long token) {
        return (-1 - token) >>> GENERATION_SHIFT;
    }

    /** The state kind a rejection token names. */
    static CircuitState kindOf(long token) {
        return KINDS[(int) (((-1 - token) >>> KIND_SHIFT) & 0xF)];
    }

    /** The reason a rejection token names. */
    static RejectionReason reasonOf(long token) {
        return REASONS[(int) ((-1 - token) & 0x1F)];
    }

    /** The detail a rejection token names. */
    static int detailOf(long token) {
        return (int) (((-1 - token) >>> DETAIL_SHIFT) & MAX_DETAIL);
    }

    /**
     * The exception describing a rejection by this state for {@code reason} (with {@code detail}): shared unless
     * stack traces are on.
     */
    final CallNotPermittedException rejection(Breaker breaker, RejectionReason reason, int detail) {
        if (breaker.config().writableStackTrace()) {
            return breaker.describeRejection(this, reason, detail);
        }
        CallNotPermittedException[] shared = rejections;
        if (shared == null) {
            shared = new CallNotPermittedException[REASONS.length + breaker.dependencyCount()];
            rejections = shared;
        }
        int slot = reason == RejectionReason.DEPENDENCY_OPEN ? REASONS.length + detail : reason.ordinal();
        CallNotPermittedException exception = shared[slot];
        if (exception == null || exception.level() != level()) {
            exception = breaker.describeRejection(this, reason, detail);
            shared[slot] = exception;
        }
        return exception;
    }

    /** Sets the events that announce this state; called by its installer before installing it. */
    final void announceWith(BreakerEvent[] events) {
        entryEvents = events;
    }

    /**
     * The time from a breaker's opening by its thresholds until it closes again: spans its open, half-open and
     * recovering states. Carries the once-per-outage prolonged-open alert and the emergency level.
     */
    static final class Outage {
        final long startedAt;
        private final AtomicBoolean alerted = new AtomicBoolean();
        /** Whether the outage reached the emergency level; only ever set. */
        volatile boolean emergency;

        Outage(long startedAt) {
            this.startedAt = startedAt;
        }

        /** Claims the alert for this outage; true for exactly one caller. */
        boolean claimAlert() {
            return !alerted.get() && alerted.compareAndSet(false, true);
        }
    }
}
