package dev.breaker.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bound on calls in flight: a slot is taken without blocking or refused, and given back once. Lock-free and
 * allocation-free. A share of the slots can be kept from sheddable calls.
 */
public final class ConcurrencyLimiter {

    private static final VarHandle IN_FLIGHT;

    static {
        try {
            IN_FLIGHT = MethodHandles.lookup().findVarHandle(ConcurrencyLimiter.class, "inFlight", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int limit;
    private volatile int sheddableLimit;
    private volatile int inFlight;

    /**
     * @param limit the calls in flight at most, at least 1
     * @param reservedFraction the share of {@code limit} sheddable calls may not take, in [0, 1]
     */
    public ConcurrencyLimiter(int limit, double reservedFraction) {
        setLimit(limit, reservedFraction);
    }

    /** Changes the limit; the calls in flight keep their slots and give them back here. */
    public void setLimit(int limit, double reservedFraction) {
        this.sheddableLimit = (int) Math.floor(limit * (1 - reservedFraction));
        this.limit = limit;
    }

    /** Takes a slot if one is free (for a sheddable call: outside the reserved share); false otherwise. */
    public boolean tryAcquire(boolean sheddable) {
        int bound = sheddable ? sheddableLimit : limit;
        int seen;
        do {
            seen = inFlight;
            if (seen >= bound) {
                return false;
            }
        } while (!IN_FLIGHT.compareAndSet(this, seen, seen + 1));
        return true;
    }

    /** Gives a slot back; never below none (a slot taken before the limiter was swapped in is not here). */
    public void release() {
        int seen;
        do {
            seen = inFlight;
            if (seen == 0) {
                return;
            }
        } while (!IN_FLIGHT.compareAndSet(this, seen, seen - 1));
    }

    /** The calls in flight now. */
    public int inFlight() {
        return inFlight;
    }

    /** The calls in flight at most. */
    public int limit() {
        return limit;
    }
}
