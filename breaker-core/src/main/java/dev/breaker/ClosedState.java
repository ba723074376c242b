package dev.breaker;

import dev.breaker.internal.Verdict;
import dev.breaker.internal.Window;
import org.jspecify.annotations.Nullable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Calls flow; the window and the consecutive-failure count decide when to open. With escalation configured, the
 * same verdicts move the level between {@link Level#NORMAL} and {@link Level#WARNING}, and the escalation count
 * decays while the level stays normal.
 */
final class ClosedState extends State {

    private static final VarHandle CONSECUTIVE_FAILURES;
    private static final VarHandle WARNING;
    /** {@link #stableSince} while the level is not normal. */
    private static final long NOT_STABLE = Long.MIN_VALUE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CONSECUTIVE_FAILURES = lookup.findVarHandle(ClosedState.class, "consecutiveFailures", int.class);
            WARNING = lookup.findVarHandle(ClosedState.class, "warning", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Window window;
    private final int consecutiveFailureLimit;
    private final @Nullable Escalation escalation;
    private final boolean shedOnWarning;
    /** Adaptive throttling, which sheds load in place of the rates opening the breaker; or {@code null}. */
    private final @Nullable Throttle throttle;
    /** The adaptive baseline, fed by this state's outcomes; or {@code null}. */
    private final @Nullable BaselineDetector baseline;
    /** Whether a clean window is all there is to know: no failures in a row, levels or baseline to keep. */
    private final boolean plain;
    private volatile int consecutiveFailures;
    /** With escalation: whether the level is {@link Level#WARNING}. */
    private volatile boolean warning;
    /** With escalation: the escalation count as of {@link #stableSince}. */
    private volatile int escalationsAtStable;
    /** With escalation: since when the level has been normal, or {@link #NOT_STABLE}. */
    private volatile long stableSince;

    /**
     * @param admitsFreely whether every call is let through without asking anything (no admission control, no
     *     shedding)
     * @param shedOnWarning whether sheddable calls are rejected while the level is {@link Level#WARNING}
     */
    ClosedState(long generation, long permit, long enteredAt, long notPermittedAtEntry, Window window,
                int consecutiveFailureLimit, int escalations, @Nullable Escalation escalation, boolean admitsFreely,
                boolean shedOnWarning, @Nullable Throttle throttle, @Nullable BaselineDetector baseline) {
        super(CircuitState.CLOSED, generation, permit, enteredAt, notPermittedAtEntry, escalations, admitsFreely);
        this.window = window;
        this.consecutiveFailureLimit = consecutiveFailureLimit;
        this.escalation = escalation;
        this.shedOnWarning = shedOnWarning;
        this.throttle = throttle;
        this.baseline = baseline;
        this.plain = consecutiveFailureLimit == 0 && escalation == null && baseline == null;
        this.escalationsAtStable = escalations;
        this.stableSince = enteredAt;
    }

    @Override
    long acquire(Breaker breaker, boolean tracked, @Nullable Priority priority) {
        if (shedOnWarning && warning && breaker.priorityOf(priority) == Priority.SHEDDABLE) {
            return breaker.reject(this, RejectionReason.PRIORITY, 0, priority);
        }
        if (throttle != null && !throttle.admit(Priority.inUse() ? breaker.priorityOf(priority) : Priority.CRITICAL,
                breaker.ticker().readCoarse())) {
            return breaker.reject(this, RejectionReason.THROTTLED, 0, priority);
        }
        return permit;
    }

    @Override
    void record(Breaker breaker, int outcome, long durationNanos) {
        Verdict verdict = window.record(outcome);
        if (verdict == Verdict.CLEAN && plain) {
            return;
        }
        if (verdict.exceeded() && throttle == null) {
            breaker.open(this, exceededReason(verdict), consecutiveFailures, null);
            return;
        }
        if (baseline != null) {
            BaselineDetector.Deviation deviation = baseline.record((outcome & Window.FAILURE) != 0, durationNanos,
                    breaker.ticker().readCoarse());
            if (deviation != null) {
                breaker.open(this, TransitionReason.BASELINE_EXCEEDED, consecutiveFailures, deviation);
                return;
            }
        }
        int inARow = 0;
        if (consecutiveFailureLimit > 0) {
            inARow = countConsecutive(breaker, outcome);
        }
        if (escalation != null && verdict != Verdict.UNCHANGED) {
            judgeLevel(breaker, verdict, inARow);
        }
    }

    /** Counts failures in a row; opens the breaker at the limit. Returns the count after this outcome. */
    private int countConsecutive(Breaker breaker, int outcome) {
        if ((outcome & Window.FAILURE) == 0) {
            if (consecutiveFailures != 0) {
                consecutiveFailures = 0;
            }
            return 0;
        }
        int inARow = (int) CONSECUTIVE_FAILURES.getAndAdd(this, 1) + 1;
        if (inARow >= consecutiveFailureLimit) {
            breaker.open(this, TransitionReason.CONSECUTIVE_FAILURES, inARow, null);
        }
        return inARow;
    }

    /** Warns at the warning mark (or half the failures in a row); clears below the clearing mark (and a quarter). */
    private void judgeLevel(Breaker breaker, Verdict verdict, int inARow) {
        boolean warn = verdict == Verdict.WARNING || (consecutiveFailureLimit > 0 && inARow * 2 >= consecutiveFailureLimit);
        boolean clear = (verdict == Verdict.BELOW_THRESHOLDS || verdict == Verdict.CLEAN)
                && (consecutiveFailureLimit == 0 || inARow * 4 < consecutiveFailureLimit);
        if (warn && !warning && WARNING.compareAndSet(this, false, true)) {
            long now = breaker.ticker().readCoarse();
            escalationsAtStable = escalationsAt(now);
            stableSince = NOT_STABLE;
            breaker.levelChanged();
        } else if (clear && warning && WARNING.compareAndSet(this, true, false)) {
            stableSince = breaker.ticker().readCoarse();
            breaker.levelChanged();
        }
    }


    @Override
    Level level() {
        return warning ? Level.WARNING : Level.NORMAL;
    }

    /**
     * Takes over what {@code previous} counted beside its window: failures in a row, the warning level and the
     * escalation's decay. Called on a state that replaces {@code previous} with its window, before it is installed.
     */
    void takeOver(ClosedState previous) {
        consecutiveFailures = previous.consecutiveFailures;
        warning = escalation != null && previous.warning;
        escalationsAtStable = previous.escalationsAtStable;
        stableSince = previous.stableSince;
    }

    @Override
    int escalationsAt(long now) {
        if (escalation == null) {
            return escalations;
        }
        long since = stableSince;
        int count = escalationsAtStable;
        if (since == NOT_STABLE || count == 0) {
            return count;
        }
        long decayed = Math.max(0, now - since) / escalation.stablePeriod().toNanos();
        return (int) Math.max(0, count - decayed);
    }

    @Override
    Window window() {
        return window;
    }

    int consecutiveFailures() {
        return consecutiveFailures;
    }
}
