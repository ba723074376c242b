package dev.breaker;

import dev.breaker.internal.Window;

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
    private final int attempt;
    private final long openUntil;

    OpenState(long generation, long enteredAt, long notPermittedAtEntry, Window window, Outage outage, int attempt,
              long waitNanos) {
        super(CircuitState.OPEN, generation, enteredAt, notPermittedAtEntry);
        this.window = window;
        this.outage = outage;
        this.attempt = attempt;
        this.openUntil = enteredAt + waitNanos;
    }

    @Override
    long acquire(Breaker breaker, boolean tracked) {
        Ticker ticker = breaker.ticker();
        long now = ticker.readCoarse();
        if (now - openUntil < -COARSE_MARGIN_NANOS || (now = ticker.read()) - openUntil <= 0) {
            breaker.checkProlongedOutage(this, now);
            return breaker.reject(this, RejectionReason.OPEN);
        }
        breaker.halfOpen(this);
        return breaker.acquire(tracked);
    }

    @Override
    void record(Breaker breaker, int outcome) {
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

    int attempt() {
        return attempt;
    }

    @Override
    long retryAt() {
        return openUntil;
    }
}
