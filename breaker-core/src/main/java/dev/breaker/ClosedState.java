package dev.breaker;

import dev.breaker.internal.Verdict;
import dev.breaker.internal.Window;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Calls flow; the window and the consecutive-failure count decide when to open. */
final class ClosedState extends State {

    private static final VarHandle CONSECUTIVE_FAILURES;

    static {
        try {
            CONSECUTIVE_FAILURES = MethodHandles.lookup()
                    .findVarHandle(ClosedState.class, "consecutiveFailures", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Window window;
    private final int consecutiveFailureLimit;
    private volatile int consecutiveFailures;

    ClosedState(long generation, long enteredAt, long notPermittedAtEntry, Window window, int consecutiveFailureLimit) {
        super(CircuitState.CLOSED, generation, enteredAt, notPermittedAtEntry);
        this.window = window;
        this.consecutiveFailureLimit = consecutiveFailureLimit;
    }

    @Override
    long acquire(Breaker breaker, boolean tracked) {
        return permit;
    }

    @Override
    void record(Breaker breaker, int outcome) {
        Verdict verdict = window.record(outcome);
        if (verdict.exceeded()) {
            breaker.open(this, reasonFor(verdict), consecutiveFailures);
            return;
        }
        if (consecutiveFailureLimit > 0) {
            countConsecutive(breaker, outcome);
        }
    }

    private void countConsecutive(Breaker breaker, int outcome) {
        if ((outcome & Window.FAILURE) == 0) {
            if (consecutiveFailures != 0) {
                consecutiveFailures = 0;
            }
            return;
        }
        int inARow = (int) CONSECUTIVE_FAILURES.getAndAdd(this, 1) + 1;
        if (inARow >= consecutiveFailureLimit) {
            breaker.open(this, TransitionReason.CONSECUTIVE_FAILURES, inARow);
        }
    }

    private static TransitionReason reasonFor(Verdict verdict) {
        return switch (verdict) {
            case FAILURE_RATE_EXCEEDED -> TransitionReason.FAILURE_RATE_EXCEEDED;
            case SLOW_CALL_RATE_EXCEEDED -> TransitionReason.SLOW_CALL_RATE_EXCEEDED;
            default -> TransitionReason.FAILURE_AND_SLOW_CALL_RATES_EXCEEDED;
        };
    }

    @Override
    Window window() {
        return window;
    }

    int consecutiveFailures() {
        return consecutiveFailures;
    }
}
