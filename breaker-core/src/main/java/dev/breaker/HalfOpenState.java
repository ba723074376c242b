package dev.breaker;

import dev.breaker.internal.Verdict;
import dev.breaker.internal.Window;
import org.jspecify.annotations.Nullable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A limited number of trial calls; their outcomes close the breaker or open it again. Trial permits taken through
 * the generation-aware protocol are also bounded across generations: while trial calls of an earlier half-open
 * stay in flight, this one admits only as many more as keep the total within its trial calls.
 */
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
    private final int failedRecoveries;
    private final int trialCalls;
    private final long maxWaitNanos;
    private volatile int permits;

    /**
     * @param trialCalls the trial calls admitted at a time: the configured ones, or one in an emergency
     */
    HalfOpenState(long generation, long enteredAt, long notPermittedAtEntry, Window window, Outage outage,
                  int escalations, int failedRecoveries, int trialCalls, long maxWaitNanos) {
        super(CircuitState.HALF_OPEN, generation, enteredAt, notPermittedAtEntry, escalations, false);
        this.window = window;
        this.outage = outage;
        this.failedRecoveries = failedRecoveries;
        this.trialCalls = trialCalls;
        this.permits = trialCalls;
        this.maxWaitNanos = maxWaitNanos;
    }

    @Override
    long acquire(Breaker breaker, boolean tracked, @Nullable Priority priority) {
        if (maxWaitNanos > 0 && breaker.ticker().readCoarse() - enteredAt > maxWaitNanos) {
            breaker.reopen(this, TransitionReason.TRIAL_CALLS_TIMED_OUT);
            return breaker.acquireFromState(tracked, priority);
        }
        if (outage.emergency && breaker.keepsTrialForCriticalPlus(this, priority)) {
            return breaker.reject(this, RejectionReason.PRIORITY, 0, priority);
        }
        int available;
        do {
            available = permits;
            if (available == 0) {
                return rejectTrial(breaker, priority);
            }
        } while (!PERMITS.compareAndSet(this, available, available - 1));
        if (!tracked) {
            return permit;
        }
        if (!breaker.startTrial(generation, trialCalls)) {
            release();
            return rejectTrial(breaker, priority);
        }
        return permit | TRIAL;
    }

    private long rejectTrial(Breaker breaker, @Nullable Priority priority) {
        breaker.checkProlongedOutage(this, breaker.ticker().readCoarse());
        return breaker.reject(this, RejectionReason.TRIAL_CALLS_IN_FLIGHT, 0, priority);
    }

    @Override
    void record(Breaker breaker, int outcome, long durationNanos) {
        Verdict verdict = window.record(outcome);
        if (verdict.exceeded()) {
            breaker.reopen(this, TransitionReason.TRIAL_CALLS_FAILED);
        } else if (verdict.passed()) {
            breaker.trialSucceeded(this);
        }
    }

    /** Whether a trial call this state admitted is in flight. */
    boolean trialInFlight() {
        return permits < trialCalls;
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

    @Override
    int failedRecoveries() {
        return failedRecoveries;
    }

    @Override
    int trialCalls(BreakerConfig config) {
        return trialCalls;
    }
}
