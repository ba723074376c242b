package dev.breaker.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A rate limit with a small burst, as a token bucket refilled at the rate: admits {@code burst} calls at once after
 * an idle time, then one per {@code 1 / rate}. Lock-free and allocation-free: one compare-and-set on the theoretical
 * arrival time of the next call (the generic cell rate algorithm). A share of the burst can be kept from sheddable
 * calls.
 */
public final class RateLimiter {

    private static final VarHandle NEXT_ARRIVAL;

    static {
        try {
            NEXT_ARRIVAL = MethodHandles.lookup().findVarHandle(RateLimiter.class, "nextArrival", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long intervalNanos;
    private volatile long tolerance;
    private volatile long sheddableTolerance;
    private volatile long nextArrival = Long.MIN_VALUE / 2;

    /**
     * @param callsPerSecond the rate, positive
     * @param burst the calls admitted at once after an idle time, at least 1
     * @param reservedFraction the share of the burst sheddable calls may not use, in [0, 1]
     */
    public RateLimiter(double callsPerSecond, int burst, double reservedFraction) {
        setRate(callsPerSecond, burst, reservedFraction);
    }

    /** Changes the rate and burst; the tokens taken so far stay taken. */
    public void setRate(double callsPerSecond, int burst, double reservedFraction) {
        long interval = Math.max(1, (long) (1_000_000_000L / callsPerSecond));
        this.tolerance = (burst - 1) * interval;
        this.sheddableTolerance = (long) Math.floor(burst * (1 - reservedFraction) - 1) * interval;
        this.intervalNanos = interval;
    }

    /** Takes a token at ticker reading {@code now} if one is there (for a sheddable call: outside the reserve). */
    public boolean tryAcquire(long now, boolean sheddable) {
        long allowed = sheddable ? sheddableTolerance : tolerance;
        long interval = intervalNanos;
        long seen;
        long next;
        do {
            seen = nextArrival;
            long base = Math.max(seen, now);
            if (base - now > allowed) {
                return false;
            }
            next = base + interval;
        } while (!NEXT_ARRIVAL.compareAndSet(this, seen, next));
        return true;
    }

    /** Gives back a token taken for a call that another check then rejected. */
    public void refund() {
        NEXT_ARRIVAL.getAndAdd(this, -intervalNanos);
    }

    /** Nanoseconds from {@code now} until a call would be admitted. */
    public long nanosUntilNextToken(long now) {
        return Math.max(0, nextArrival - tolerance - now);
    }
}
