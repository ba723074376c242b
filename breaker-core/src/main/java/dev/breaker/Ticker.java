package dev.breaker;

/**
 * A monotonic time source in nanoseconds: every time a breaker reads goes through its ticker, so that tests can
 * substitute a fake one.
 *
 * <p>Only differences between two readings of the same ticker are meaningful.
 */
@FunctionalInterface
public interface Ticker {

    /** The current reading in nanoseconds. */
    long read();

    /**
     * A reading that may lag {@link #read()} by a few milliseconds but costs next to nothing. Breakers use it
     * where a millisecond does not matter: time-window buckets, reported timestamps and the first check of
     * whether an open breaker's wait is nearly over. Never ahead of {@link #read()}.
     *
     * <p>The default returns {@link #read()}, which keeps fake tickers exact.
     */
    default long readCoarse() {
        return read();
    }

    /**
     * The system ticker: {@link System#nanoTime()}, with a coarse reading refreshed about every millisecond by
     * one shared daemon thread (started on first use).
     */
    static Ticker system() {
        return SystemTicker.INSTANCE;
    }
}
