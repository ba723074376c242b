package dev.breaker;

import dev.breaker.internal.Window;
import org.jspecify.annotations.Nullable;

/**
 * Calls are rejected until the wait has passed; then the first call to ask moves the breaker to half-open.
 * Keeps the window that opened it, for reporting.
 */
final class OpenState extends State {

    /**
     * The coarse ticker may lag the precise one by about a millisecond: within this margin of the deadline the
     * precise ticker decides, so the breaker half-opens on the first call after the wait, to the nanosecond.
     */
    private static final long COARSE_MARGIN_NANOS = 20_000_000L;

    private final Window window;
    private final Outage outage;
    private final int failedRecoveries;
    private final long openUntil;

    /**
     * @param escalations the escalation count, which chose the wait
     * @param failedRecoveries the failed recoveries in a row in this outage, this opening included
     */
    OpenState(long generation, long enteredAt, long notPermittedAtEntry, Window window, Outage outage,
              int escalations, int failedRecoveries, long waitNanos) {
        super(CircuitState.OPEN, generation, enteredAt, notPermittedAtEntry, escalations, false);
        this.window = window;
        this.outage = outage;
        this.failedRecoveries = failedRecoveries;
        this.openUntil = enteredAt + waitNanos;
    }

    @Override
    long acquire(Breaker breaker, boolean tracked, @Nullable Priority priority) {
        Ticker ticker = breaker.ticker();
        long now = ticker.readCoarse();
        if (now - openUntil < -COARSE_MARGIN_NANOS || (now = ticker.read()) - openUntil <= 0) {
            breaker.checkProlongedOutage(this, now);
            return breaker.reject(this, RejectionReason.OPEN, 0, priority);
        }
        if (!breaker.mayProbe(outage)) {
            // Another instance of the cluster runs the trial; this one waits for its verdict.
            return breaker.reject(this, RejectionReason.OPEN, 0, priority);
        }
        breaker.halfOpen(this);
        return breaker.acquireFromState(tracked, priority);
    }

    /**
     * Whether the wait is over, read on the coarse ticker: the next call to ask moves the breaker to half-open (a
     * millisecond early or late makes no difference to whoever asks).
     */
    boolean waitOver(Ticker ticker) {
        return ticker.readCoarse() - openUntil > 0;
    }

    @Override
    void record(Breaker breaker, int outcome, long durationNanos) {
        // A call admitted before the breaker opened: kept in the window for reporting, decides nothing.
        window.record(outcome);
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
        return RetryAfter.until(openUntil, ticker);
    }
}
