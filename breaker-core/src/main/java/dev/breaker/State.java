package dev.breaker;

import dev.breaker.internal.Window;
import org.jspecify.annotations.Nullable;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One stay of a breaker in a state. Every transition installs a new instance, so an instance is a generation:
 * a permit names the generation that granted it, and outcomes of an earlier generation never reach a later one.
 */
abstract class State {

    final CircuitState kind;
    final long generation;
    /** Ticker reading when the breaker entered this state. */
    final long enteredAt;
    /** The breaker's lifetime not-permitted count when it entered this state. */
    final long notPermittedAtEntry;

    State(CircuitState kind, long generation, long enteredAt, long notPermittedAtEntry) {
        this.kind = kind;
        this.generation = generation;
        this.enteredAt = enteredAt;
        this.notPermittedAtEntry = notPermittedAtEntry;
    }

    /**
     * Asks for a permit; may move the breaker to another state first.
     *
     * @return the generation of the state that granted the permit, or {@link Breaker#NOT_PERMITTED}
     */
    abstract long acquire(Breaker breaker);

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

    /** Nanoseconds until a rejected call may be retried: 0 if soon, -1 if unknown (forced open). */
    long retryAfterNanos(long now) {
        return 0;
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
