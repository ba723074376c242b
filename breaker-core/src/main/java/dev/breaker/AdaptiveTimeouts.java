package dev.breaker;

import dev.breaker.internal.LatencyHistogram;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The runtime of {@link AdaptiveTimeout}: successful durations in a windowed histogram, and the limit worked out
 * from them at most every {@value #REFRESH_MILLIS} ms by whichever caller finds it due.
 */
final class AdaptiveTimeouts {

    private static final long REFRESH_MILLIS = 100;
    private static final long REFRESH_NANOS = REFRESH_MILLIS * 1_000_000L;
    private static final int BUCKETS = 6;
    private static final VarHandle REFRESH_AT;

    static {
        try {
            REFRESH_AT = MethodHandles.lookup().findVarHandle(AdaptiveTimeouts.class, "refreshAt", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final LatencyHistogram histogram;
    private final double percentile;
    private final double factor;
    private final long minNanos;
    private final long maxNanos;
    private final int minimumCalls;
    private volatile long limitNanos;
    @SuppressWarnings("unused") // accessed through REFRESH_AT
    private volatile long refreshAt;

    AdaptiveTimeouts(AdaptiveTimeout config, long now) {
        this.histogram = new LatencyHistogram(config.window().toNanos(), BUCKETS);
        this.percentile = config.percentile();
        this.factor = config.factor();
        this.minNanos = config.min().toNanos();
        this.maxNanos = config.max().toNanos();
        this.minimumCalls = config.minimumCalls();
        this.limitNanos = maxNanos;
        this.refreshAt = now;
    }

    /** Records the duration of a successful call at {@code now}. */
    void record(long durationNanos, long now) {
        histogram.record(durationNanos, now);
    }

    /** The limit at {@code now}: the percentile times the factor, within the bounds; the maximum while unknown. */
    long limitNanos(long now) {
        long due = refreshAt;
        if (now - due >= 0 && REFRESH_AT.compareAndSet(this, due, now + REFRESH_NANOS)) {
            long observed = histogram.percentile(percentile, minimumCalls, now);
            limitNanos = observed < 0 ? maxNanos
                    : Math.max(minNanos, Math.min(maxNanos, (long) Math.min(Long.MAX_VALUE, observed * factor)));
        }
        return limitNanos;
    }
}
