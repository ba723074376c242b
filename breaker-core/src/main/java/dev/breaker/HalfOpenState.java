package dev.breaker;

import dev.breaker.internal.Verdict;
import dev.breaker.internal.Window;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** A limited number of trial calls; their outcomes close the breaker or open it again. */
final class HalfOpenState extends State {

    private static final VarHandle PERMITS;

    static {
        try {
            PERMITS = MethodHandles.lookup().findVarHandle(HalfOpenState.class, "permits", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Window window;
    private final Outage outage;
    private final int attempt;
    private final long maxWaitNanos;
    private volatile int permits;

    HalfOpenState(long generation, long enteredAt, long notPermittedAtEntry, Window window, Outage outage,
                  int attempt, int permits, long maxWaitNanos) {
        super(CircuitState.HALF_OPEN, generation, enteredAt, notPermittedAtEntry);
        this.window = window;
        this.outage = outage;
        this.attempt = attempt;
        this.permits = permits;
        this.maxWaitNanos = maxWaitNanos;
    }

    @Override
    long acquire(Breaker breaker) {
        if (maxWaitNanos > 0 && breaker.ticker().readCoarse() - enteredAt > maxWaitNanos) {
            breaker.reopen(this, TransitionReason.TRIAL_CALLS_TIMED_OUT);
            return breaker.acquirePermit();
        }
        int available;
        do {
            available = permits;
            if (available == 0) {
                breaker.checkProlongedOutage(this, breaker.ticker().readCoarse());
                return breaker.reject(this);
            }
        } while (!PERMITS.compareAndSet(this, available, available - 1));
        return generation;
    }

    @Override
    void record(Breaker breaker, int outcome) {
        Verdict verdict = window.record(outcome);
        if (verdict.exceeded()) {
            breaker.reopen(this, TransitionReason.TRIAL_CALLS_FAILED);
        } else if (verdict.passed()) {
            breaker.close(this, TransitionReason.TRIAL_CALLS_SUCCEEDED);
        }
    }

    @Override
    void release() {
        PERMITS.getAndAdd(this, 1);
    }

    @Override
    Window window() {
        return window;
    }

    @Override
    Outage outage() {
        return outage;
    }

    int attempt() {
        return attempt;
    }
}
