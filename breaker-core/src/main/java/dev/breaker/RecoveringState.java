package dev.breaker;

import dev.breaker.internal.Verdict;
import dev.breaker.internal.Window;
import org.jspecify.annotations.Nullable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A gradual recovery: a growing share of calls is let through and judged on the ramp's own window; the breaker
 * closes when the share reaches the whole traffic, or opens again if the ramp's calls reach a threshold.
 */
final class RecoveringState extends State {

    /*
     * Implementation notes.
     *
     * Admission is a credit accumulator in 32.32 fixed point: every call asking adds the current share, and is
     * admitted when that brings the credit to one, which it then takes. N calls at a constant share f are
     * admitted floor(N * f) times, or once more (fixed-point rounding), whatever the threads; one CAS per call.
     * Each priority has its own credit and share f ^ e (Priority.rampExponent), so the least important traffic
     * comes back last; without priorities in use every call is CRITICAL (e = 1) and uses one credit.
     *
     * The share along the curve needs a division (and a pow for a non-linear curve): it is computed at most once
     * per coarse tick and cached in an immutable pair, so most calls read it.
     *
     * Hold: while the ramp's window holds a rate at half its threshold or more, the share stops growing; the
     * time held does not count towards the ramp (success-steps: successes do not count while held).
     */

    /** One whole call of credit, and a share of 100 %, in 32.32 fixed point. */
    static final long ONE = 1L << 32;
    /** What {@link #share} answers once the ramp is over. */
    private static final long COMPLETE = ONE + 1;
    /** The fewest calls the ramp's window must hold before its rates decide, at any share. */
    static final int MINIMUM_RAMP_CALLS = 5;
    private static final long NOT_HELD = Long.MIN_VALUE;
    private static final long SECOND = 1_000_000_000L;
    /** Longs between two credits: 64 bytes apart, so priorities do not contend on one cache line. */
    private static final int CREDIT_STRIDE = 8;

    private static final VarHandle CREDITS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle CONSECUTIVE_FAILURES;
    private static final VarHandle HELD_SINCE;
    private static final VarHandle HELD_NANOS;
    private static final VarHandle SUCCESSES;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CONSECUTIVE_FAILURES = lookup.findVarHandle(RecoveringState.class, "consecutiveFailures", int.class);
            HELD_SINCE = lookup.findVarHandle(RecoveringState.class, "heldSince", long.class);
            HELD_NANOS = lookup.findVarHandle(RecoveringState.class, "heldNanos", long.class);
            SUCCESSES = lookup.findVarHandle(RecoveringState.class, "successes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The share at one coarse reading. */
    private record Share(long at, long share) {
    }

    private final Window window;
    private final Outage outage;
    private final int failedRecoveries;
    private final long rampNanos;
    private final long minShare;
    private final double inverseAggression;
    private final boolean bySuccessSteps;
    private final long stepShare;
    private final int successesPerStep;
    private final int minimumCalls;
    private final int consecutiveFailureLimit;

    /** One credit per priority, each on its own cache line. */
    private final long[] credits = new long[Priority.values().length * CREDIT_STRIDE];
    private volatile int consecutiveFailures;
    private volatile long heldSince = NOT_HELD;
    @SuppressWarnings("unused") // accessed through HELD_NANOS
    private volatile long heldNanos;
    @SuppressWarnings("unused") // accessed through SUCCESSES
    private volatile long successes;
    private volatile @Nullable Share cached;

    RecoveringState(long generation, long enteredAt, long notPermittedAtEntry, Window window, Outage outage,
                    int escalations, int failedRecoveries, GradualRecovery recovery, BreakerConfig config) {
        super(CircuitState.RECOVERING, generation, enteredAt, notPermittedAtEntry, escalations, false);
        this.window = window;
        this.outage = outage;
        this.failedRecoveries = failedRecoveries;
        this.rampNanos = recovery.ramp().toNanos();
        this.minShare = fixed(recovery.minSharePercent() / 100.0);
        this.inverseAggression = 1.0 / recovery.aggression();
        this.bySuccessSteps = recovery.mode() == RecoveryMode.SUCCESS_STEPS;
        this.stepShare = fixed(recovery.stepPercent() / 100.0);
        this.successesPerStep = recovery.successesPerStep();
        this.minimumCalls = config.minimumCalls();
        this.consecutiveFailureLimit = config.consecutiveFailures();
    }

    private static long fixed(double fraction) {
        return Math.min(ONE, (long) Math.ceil(fraction * ONE));
    }

    @Override
    long acquire(Breaker breaker, boolean tracked, @Nullable Priority priority) {
        long share = share(breaker.ticker().readCoarse());
        if (share == COMPLETE) {
            breaker.completeRecovery(this);
            return breaker.acquireFromState(tracked, priority);
        }
        Priority level = Priority.inUse() ? breaker.priorityOf(priority) : Priority.CRITICAL;
        if (level != Priority.CRITICAL) {
            share = (long) (Math.pow((double) share / ONE, level.rampExponent()) * ONE);
        }
        int index = level.ordinal() * CREDIT_STRIDE;
        long seen;
        long next;
        boolean admitted;
        do {
            seen = (long) CREDITS.getVolatile(credits, index);
            next = seen + share;
            admitted = next >= ONE;
            if (admitted) {
                next -= ONE;
            }
        } while (!CREDITS.compareAndSet(credits, index, seen, next));
        return admitted ? permit : breaker.reject(this, RejectionReason.RECOVERING, 0, priority);
    }

    @Override
    void record(Breaker breaker, int outcome, long durationNanos) {
        long now = breaker.ticker().readCoarse();
        int scaledMinimum = (int) Math.min(window.thresholds().minimumCalls(),
                Math.max(MINIMUM_RAMP_CALLS, Math.ceil(minimumCalls * (double) Math.min(ONE, share(now)) / ONE)));
        Verdict verdict = window.record(outcome, scaledMinimum);
        if (verdict.exceeded()) {
            breaker.failRecovery(this, exceededReason(verdict));
            return;
        }
        boolean failure = (outcome & Window.FAILURE) != 0;
        if (consecutiveFailureLimit > 0) {
            if (!failure) {
                if (consecutiveFailures != 0) {
                    consecutiveFailures = 0;
                }
            } else if ((int) CONSECUTIVE_FAILURES.getAndAdd(this, 1) + 1 >= consecutiveFailureLimit) {
                breaker.failRecovery(this, TransitionReason.CONSECUTIVE_FAILURES);
                return;
            }
        }
        if (verdict == Verdict.WARNING) {
            hold(now);
        } else if (verdict == Verdict.BELOW_THRESHOLDS || verdict == Verdict.CLEAN) {
            resume(now);
        }
        if (bySuccessSteps && !failure && heldSince == NOT_HELD) {
            SUCCESSES.getAndAdd(this, 1L);
            cached = null;
        }
        if (share(now) == COMPLETE) {
            breaker.completeRecovery(this);
        }
    }

    private void hold(long now) {
        if (heldSince == NOT_HELD && HELD_SINCE.compareAndSet(this, NOT_HELD, now)) {
            cached = null;
        }
    }

    private void resume(long now) {
        long since = heldSince;
        if (since != NOT_HELD && HELD_SINCE.compareAndSet(this, since, NOT_HELD)) {
            HELD_NANOS.getAndAdd(this, Math.max(0, now - since));
            cached = null;
        }
    }

    /** Whether the share is held because the ramp's calls fail at half a threshold or more. */
    boolean held() {
        return heldSince != NOT_HELD;
    }

    /** The share admitted at {@code now}, in 32.32 fixed point; {@link #COMPLETE} once the ramp is over. */
    long share(long now) {
        Share last = cached;
        if (last != null && last.at == now) {
            return last.share;
        }
        long share = computeShare(now);
        cached = new Share(now, share);
        return share;
    }

    private long computeShare(long now) {
        long elapsed = rampElapsed(now);
        if (elapsed >= rampNanos) {
            return COMPLETE;
        }
        if (bySuccessSteps) {
            long steps = successes / successesPerStep;
            return steps >= ONE / stepShare || minShare + steps * stepShare >= ONE ? COMPLETE
                    : minShare + steps * stepShare;
        }
        double progress = (double) Math.max(0, elapsed) / rampNanos;
        double curve = inverseAggression == 1.0 ? progress : Math.pow(progress, inverseAggression);
        return Math.max(minShare, Math.min(ONE, (long) (curve * ONE)));
    }

    /** The time the ramp has run, without the time it was held. */
    private long rampElapsed(long now) {
        long since = heldSince;
        long held = heldNanos + (since == NOT_HELD ? 0 : Math.max(0, now - since));
        return now - enteredAt - held;
    }

    /** Whether the ramp's time is over (or, by success steps, its share is whole): the next call closes it. */
    boolean rampOver(long now) {
        return share(now) == COMPLETE;
    }

    /** The share admitted now, in percent. */
    float sharePercent(long now) {
        return (float) (Math.min(ONE, share(now)) * 100.0 / ONE);
    }

    /** The longest the ramp may still take from {@code now}, held time aside. */
    long remainingNanos(long now) {
        return Math.max(0, rampNanos - rampElapsed(now));
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
    RetryAfter retryAfter(Ticker ticker) {
        return RetryAfter.fixed(SECOND);
    }
}
