package dev.breaker;

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
     * Permits: a permit is the generation shifted left by one; the low bit marks a trial permit taken through
     * the generation-aware protocol, whose end the breaker counts across generations (see
     * Breaker.trialsInFlight). A rejection is a negative token naming the generation, the state kind and the
     * reason, so that the exception describing it can be made later, from the rejecting state while it is still
     * current, without allocating anything on the rejecting path.
     *
     * Events: the thread that installs a state sets entryEvents before its compare-and-set and links the state
     * it left to it (successor) after; the breaker delivers entry events by walking the successor links, so every
     * listener sees each breaker's transitions in the order the compare-and-sets happened.
     */

    /** The low bit of a permit: a trial call whose end is counted across generations. */
    static final long TRIAL = 1L;
    private static final int KIND_SHIFT = 5;
    private static final int GENERATION_SHIFT = 9;
    private static final BreakerEvent[] NO_EVENTS = new BreakerEvent[0];
    /** Decoding a rejection token must not copy the enum's values() on every rejection. */
    private static final CircuitState[] KINDS = CircuitState.values();
    private static final RejectionReason[] REASONS = RejectionReason.values();

    final CircuitState kind;
    final long generation;
    /** The permit this state grants: its generation shifted left by one. */
    final long permit;
    /** Ticker reading when the breaker entered this state. */
    final long enteredAt;
    /** The breaker's lifetime not-permitted count when it entered this state. */
    final long notPermittedAtEntry;

    /** The events announcing this state, delivered in generation order; written before the state is installed. */
    BreakerEvent[] entryEvents = NO_EVENTS;
    /** The state installed after this one, once its installer has linked it. */
    volatile @Nullable State successor;
    /** The shared exception for this state's rejections, made on the first one. */
    private volatile @Nullable CallNotPermittedException rejection;

    State(CircuitState kind, long generation, long enteredAt, long notPermittedAtEntry) {
        this.kind = kind;
        this.generation = generation;
        this.permit = generation << 1;
        this.enteredAt = enteredAt;
        this.notPermittedAtEntry = notPermittedAtEntry;
    }

    /**
     * Asks for a permit; may move the breaker to another state first.
     *
     * @param tracked whether the caller will give the permit back through the generation-aware protocol, so that
     *     a trial permit may be counted until it ends
     * @return a permit, or a negative rejection token
     */
    abstract long acquire(Breaker breaker, boolean tracked);

    /** Records a success or failure outcome code ({@link Window#SUCCESS}, {@link Window#FAILURE}, slow flag). */
    abstract void record(Breaker breaker, int outcome);

    /** Gives back a permit this state granted, for a call that was cancelled or whose error is ignored. */
    void release() {
    }

    /** The window whose counts this state reports, or {@code null} when it keeps none. */
    abstract @Nullable Window window();

    /** The outage this state belongs to, or {@code null} outside of one. */
    @Nullable Outage outage() {
        return null;
    }

    /**
     * The ticker reading from which this state lets calls through again, or
     * {@link CallNotPermittedException#UNTIL_CLOSED}. By default: now.
     */
    long retryAt() {
        return enteredAt;
    }

    /** The rejection token for a call this state rejects for {@code reason}. */
    final long rejectionToken(RejectionReason reason) {
        return -1 - ((generation << GENERATION_SHIFT) | ((long) kind.ordinal() << KIND_SHIFT) | reason.ordinal());
    }

    /** The generation of the state that granted {@code permit}. */
    static long generationOfPermit(long permit) {
        return permit >>> 1;
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

    /** The exception describing a rejection by this state for {@code reason}: shared unless stack traces are on. */
    final CallNotPermittedException rejection(Breaker breaker, RejectionReason reason) {
        BreakerConfig config = breaker.config();
        if (config.writableStackTrace()) {
            return newRejection(breaker, reason);
        }
        CallNotPermittedException shared = rejection;
        if (shared == null || shared.reason() != reason) {
            shared = newRejection(breaker, reason);
            rejection = shared;
        }
        return shared;
    }

    private CallNotPermittedException newRejection(Breaker breaker, RejectionReason reason) {
        BreakerConfig config = breaker.config();
        return new CallNotPermittedException(breaker.name(), kind, reason, retryAt(), config.ticker(),
                config.halfOpenCalls(), config.writableStackTrace());
    }

    /** Sets the events that announce this state; called by its installer before installing it. */
    final void announceWith(BreakerEvent[] events) {
        entryEvents = events;
    }

    /**
     * The time from a breaker's opening by its thresholds until it closes again: spans its open and half-open
     * states. Carries the once-per-outage prolonged-open alert.
     */
    static final class Outage {
        final long startedAt;
        private final AtomicBoolean alerted = new AtomicBoolean();

        Outage(long startedAt) {
            this.startedAt = startedAt;
        }

        /** Claims the alert for this outage; true for exactly one caller. */
        boolean claimAlert() {
            return !alerted.get() && alerted.compareAndSet(false, true);
        }
    }
}
