package dev.breaker.internal;

/**
 * A sliding window of call outcomes that decides whether the rate thresholds are exceeded.
 *
 * <p>Implementations are lock-free and allocate nothing in {@link #record(int)}.
 */
public abstract class Window {

    /** Outcome code of a successful call. */
    public static final int SUCCESS = 1;
    /** Outcome code of a failed call. */
    public static final int FAILURE = 2;
    /** Flag added to {@link #SUCCESS} or {@link #FAILURE} when the call was slow. */
    public static final int SLOW = 4;

    /** Replaced only by {@link #retune}; an immutable record, so a racing reader sees the old or the new. */
    Thresholds thresholds;

    Window(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    /** Evaluates {@code next} from now on, keeping the outcomes recorded: the configuration changed. */
    public final void retune(Thresholds next) {
        this.thresholds = fit(next);
    }

    /** The thresholds this window can evaluate for {@code requested}: a count window clamps the minimum calls. */
    Thresholds fit(Thresholds requested) {
        return requested;
    }

    /**
     * Records one outcome and evaluates the thresholds.
     *
     * @param outcome {@link #SUCCESS} or {@link #FAILURE}, optionally with {@link #SLOW}
     * @return the verdict over the window including this outcome
     */
    public abstract Verdict record(int outcome);

    /**
     * Records one outcome and evaluates the thresholds with {@code minimumCalls} in place of theirs.
     *
     * @param outcome {@link #SUCCESS} or {@link #FAILURE}, optionally with {@link #SLOW}
     * @param minimumCalls the calls the window must hold for rates to be computed, at most the thresholds' own
     * @return the verdict over the window including this outcome
     */
    public abstract Verdict record(int outcome, int minimumCalls);

    /** The outcomes the window holds now. */
    public abstract WindowCounts counts();

    /** The thresholds this window evaluates against. */
    public final Thresholds thresholds() {
        return thresholds;
    }

    /** Whether an outcome code denotes a failure. */
    static boolean isFailure(int outcome) {
        return (outcome & FAILURE) != 0;
    }

    /** Whether an outcome code denotes a slow call. */
    static boolean isSlow(int outcome) {
        return (outcome & SLOW) != 0;
    }
}
