package dev.breaker.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Call durations over a sliding time window, in log-scaled bins of about 9 % each, from 1 µs to about 2 minutes.
 * Recording is lock-free and allocation-free; so is reading a percentile, which sums the bins of the window's
 * buckets.
 */
public final class LatencyHistogram {

    /*
     * Implementation notes.
     *
     * A duration falls in the bin of its power of two and the next three bits below the leading one: eight bins
     * per doubling. Each of the window's buckets has its own bins and the epoch it counts for; the first writer of
     * a new epoch claims the bucket with a CAS on its epoch and clears its bins. A writer racing that clear may lose
     * its count, or count in the new epoch: a percentile over thousands of calls does not notice one.
     */

    private static final int SUB_BITS = 3;
    private static final int SUB_BINS = 1 << SUB_BITS;
    private static final int MIN_EXPONENT = 10;
    private static final int MAX_EXPONENT = 37;
    /** The number of bins. */
    static final int BINS = (MAX_EXPONENT - MIN_EXPONENT + 1) * SUB_BINS;

    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle EPOCHS = MethodHandles.arrayElementVarHandle(long[].class);

    private final int buckets;
    private final long bucketNanos;
    private final long[] epochs;
    private final long[] counts;

    /**
     * @param windowNanos how far back durations count
     * @param buckets the buckets the window is divided into, in [1, 64]
     */
    public LatencyHistogram(long windowNanos, int buckets) {
        if (buckets < 1 || buckets > Long.SIZE) {
            throw new IllegalArgumentException("buckets must be in [1, 64], was " + buckets);
        }
        this.buckets = buckets;
        this.bucketNanos = Math.max(1, windowNanos / buckets);
        this.epochs = new long[buckets];
        Arrays.fill(epochs, Long.MIN_VALUE);
        this.counts = new long[buckets * BINS];
    }

    /** Records one duration at ticker reading {@code now}. */
    public void record(long durationNanos, long now) {
        long epoch = Math.floorDiv(now, bucketNanos);
        int bucket = (int) Math.floorMod(epoch, (long) buckets);
        long seen = (long) EPOCHS.getVolatile(epochs, bucket);
        if (seen != epoch) {
            if (seen > epoch) {
                return;
            }
            if (EPOCHS.compareAndSet(epochs, bucket, seen, epoch)) {
                for (int i = bucket * BINS, end = i + BINS; i < end; i++) {
                    COUNTS.setOpaque(counts, i, 0L);
                }
            }
        }
        COUNTS.getAndAdd(counts, bucket * BINS + bin(durationNanos), 1L);
    }

    /** The bin of a duration. */
    static int bin(long nanos) {
        if (nanos < (1L << MIN_EXPONENT)) {
            return 0;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(nanos);
        if (exponent > MAX_EXPONENT) {
            return BINS - 1;
        }
        int sub = (int) (nanos >>> (exponent - SUB_BITS)) & (SUB_BINS - 1);
        return (exponent - MIN_EXPONENT) * SUB_BINS + sub;
    }

    /** The longest duration bin {@code bin} holds. */
    static long upperBound(int bin) {
        int exponent = bin / SUB_BINS + MIN_EXPONENT;
        int sub = bin % SUB_BINS;
        return ((long) (SUB_BINS + sub + 1) << (exponent - SUB_BITS)) - 1;
    }

    /**
     * The duration at or below which {@code percentile} percent of the window's durations fall (the upper bound of
     * its bin), or -1 while the window holds fewer than {@code minimumCalls}. Allocates nothing: it counts the
     * window's durations, then walks the bins until it has seen the percentile's share of them.
     */
    public long percentile(double percentile, int minimumCalls, long now) {
        long current = Math.floorDiv(now, bucketNanos);
        long inWindow = 0;
        long total = 0;
        for (int bucket = 0; bucket < buckets; bucket++) {
            long epoch = (long) EPOCHS.getVolatile(epochs, bucket);
            if (epoch > current || current - epoch >= buckets) {
                continue;
            }
            inWindow |= 1L << bucket;
            for (int bin = 0; bin < BINS; bin++) {
                total += (long) COUNTS.getOpaque(counts, bucket * BINS + bin);
            }
        }
        if (total < minimumCalls || total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(total * percentile / 100.0);
        long seen = 0;
        int highest = -1;
        for (int bin = 0; bin < BINS; bin++) {
            long count = 0;
            for (int bucket = 0; bucket < buckets; bucket++) {
                if ((inWindow & (1L << bucket)) != 0) {
                    count += (long) COUNTS.getOpaque(counts, bucket * BINS + bin);
                }
            }
            if (count > 0) {
                highest = bin;
            }
            seen += count;
            if (seen >= rank) {
                return upperBound(bin);
            }
        }
        // A bucket was cleared for a new epoch between the two passes: the longest duration still counted.
        return highest < 0 ? -1 : upperBound(highest);
    }
}
