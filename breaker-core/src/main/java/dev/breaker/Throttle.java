package dev.breaker;

import dev.breaker.internal.SlidingCounter;
import org.jspecify.annotations.Nullable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The runtime of {@link AdaptiveThrottle}: requests and accepts over a sliding window, the share to reject worked
 * out at most once per coarse tick, and one credit accumulator per priority.
 */
final class Throttle {

    private static final long ONE = RecoveringState.ONE;
    private static final int STRIDE = 8;
    private static final int BUCKETS = 10;
    private static final VarHandle CREDITS = MethodHandles.arrayElementVarHandle(long[].class);

    /** The share to reject at one coarse reading, in 32.32 fixed point. */
    private record Share(long at, long reject) {
    }

    private final SlidingCounter requests;
    private final SlidingCounter accepts;
    private final double k;
    private final double maxReject;
    private final long[] credits = new long[Priority.values().length * STRIDE];
    private volatile @Nullable Share cached;

    Throttle(AdaptiveThrottle config, long now) {
        long windowNanos = config.window().toNanos();
        this.requests = new SlidingCounter(windowNanos, BUCKETS, now);
        this.accepts = new SlidingCounter(windowNanos, BUCKETS, now);
        this.k = config.k();
        this.maxReject = config.maxRejectPercent() / 100.0;
    }

    /**
     * Counts the request and decides whether the call of {@code priority} is admitted at ticker reading {@code now}.
     */
    boolean admit(Priority priority, long now) {
        long reject = rejectShare(now);
        requests.add(now);
        if (reject == 0) {
            return true;
        }
        if (priority != Priority.CRITICAL) {
            double admitted = Math.pow(1 - (double) reject / ONE, priority.rampExponent());
            reject = (long) ((1 - admitted) * ONE);
        }
        int index = priority.ordinal() * STRIDE;
        long seen;
        long next;
        boolean rejected;
        do {
            seen = (long) CREDITS.getVolatile(credits, index);
            next = seen + reject;
            rejected = next >= ONE;
            if (rejected) {
                next -= ONE;
            }
        } while (!CREDITS.compareAndSet(credits, index, seen, next));
        return !rejected;
    }

    /** Counts an accepted request: a call that succeeded. */
    void accepted(long now) {
        accepts.add(now);
    }

    /** The share rejected now, in 32.32 fixed point. */
    long rejectShare(long now) {
        Share last = cached;
        if (last != null && last.at == now) {
            return last.reject;
        }
        long requested = requests.sum(now);
        long accepted = accepts.sum(now);
        double share = Math.min(maxReject, Math.max(0, (requested - k * accepted) / (requested + 1)));
        long reject = (long) (share * ONE);
        cached = new Share(now, reject);
        return reject;
    }

    /** The share rejected now, in percent. */
    float rejectPercent(long now) {
        return (float) (rejectShare(now) * 100.0 / ONE);
    }
}
