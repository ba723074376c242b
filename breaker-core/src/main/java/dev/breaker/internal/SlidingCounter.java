package dev.breaker.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A count of events over a sliding time window, in buckets that are whole multiples of their length on the
 * ticker. Lock-free and allocation-free; each bucket's cell carries its epoch, so a stale bucket rolls itself.
 */
public final class SlidingCounter {

    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long COUNT_MASK = 0xFFFF_FFFFL;

    private final long[] cells;
    private final int buckets;
    private final long bucketNanos;

    /**
     * @param windowNanos the window's length
     * @param buckets the buckets it is divided into, at least 1
     * @param now the ticker reading at creation
     */
    public SlidingCounter(long windowNanos, int buckets, long now) {
        this.buckets = buckets;
        this.bucketNanos = Math.max(1, windowNanos / buckets);
        this.cells = new long[buckets];
        long stale = Math.floorDiv(now, bucketNanos) - buckets;
        Arrays.fill(cells, (long) (int) stale << 32);
    }

    /** Counts one event at ticker reading {@code now}. */
    public void add(long now) {
        long epoch = Math.floorDiv(now, bucketNanos);
        int index = (int) Math.floorMod(epoch, (long) buckets);
        int tag = (int) epoch;
        while (true) {
            long cell = (long) CELLS.getVolatile(cells, index);
            int ahead = (int) (cell >>> 32) - tag;
            long next;
            if (ahead >= 0) {
                if ((cell & COUNT_MASK) == COUNT_MASK) {
                    return;
                }
                next = cell + 1;
            } else {
                next = ((long) tag << 32) | 1;
            }
            if (CELLS.compareAndSet(cells, index, cell, next)) {
                return;
            }
        }
    }

    /** The events of the window that ends at {@code now}. */
    public long sum(long now) {
        long epoch = Math.floorDiv(now, bucketNanos);
        long total = 0;
        for (long e = epoch - buckets + 1; e <= epoch; e++) {
            long cell = (long) CELLS.getVolatile(cells, (int) Math.floorMod(e, (long) buckets));
            if ((int) (cell >>> 32) == (int) e) {
                total += cell & COUNT_MASK;
            }
        }
        return total;
    }
}
