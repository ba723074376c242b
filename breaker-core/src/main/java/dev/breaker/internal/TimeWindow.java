package dev.breaker.internal;

import dev.breaker.Ticker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A window over the outcomes of the last {@code size} of time, kept in equal buckets.
 *
 * <p>An outcome recorded at time {@code t} counts until the bucket that holds {@code t} is older than the window:
 * it stays at least {@code size - size / buckets} and never longer than {@code size}. Buckets start when the
 * window is created. The window rolls as it is used, without a background thread and without a lock, and
 * allocates nothing per outcome.
 */
public final class TimeWindow extends Window {

    /*
     * Implementation notes.
     *
     * Each bucket has three cells (calls, failed, slow). A cell is a long holding the low 32 bits of the epoch
     * (the bucket's sequence number since creation) in its high half and a count in its low half. A writer
     * increments a cell with a CAS loop; when the cell's tag is an older epoch, the same CAS replaces it with a
     * count of one under the new tag. Each cell therefore rolls itself, atomically, and there is no separate
     * "reset the bucket" step that a concurrent writer could race with. A reader sums only the cells whose tag
     * is one of the epochs inside the window; stale cells count as zero. Tags repeat after 2^32 buckets
     * (13 years at the smallest bucket of 100 ms), far beyond any idle period that could confuse them.
     *
     * Successes evaluate the window only while it holds a failure or a slow call: with neither, both rates
     * are 0 and no threshold in (0, 100] can be reached. lastBadEpoch tells which is the case with one read.
     */

    /** The smallest bucket, which keeps the epoch tags from repeating within any realistic idle time. */
    public static final long MIN_BUCKET_NANOS = 100_000_000L;

    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long COUNT_MASK = 0xFFFF_FFFFL;
    private static final int CALLS = 0;
    private static final int FAILED = 1;
    private static final int SLOW_CALLS = 2;
    private static final int CELLS_PER_BUCKET = 3;
    private static final long EMPTY_BEFORE_FIRST_EPOCH = -1L << 32;
    private static final VarHandle LAST_BAD_EPOCH;

    static {
        try {
            LAST_BAD_EPOCH = MethodHandles.lookup().findVarHandle(TimeWindow.class, "lastBadEpoch", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long[] cells;
    private final int buckets;
    private final long bucketNanos;
    private final long origin;
    private final Ticker ticker;
    private volatile long lastBadEpoch;

    /**
     * Creates an empty window starting now.
     *
     * @param sizeNanos the window's length in nanoseconds
     * @param buckets the number of buckets the window is divided into
     * @param thresholds the thresholds to evaluate
     * @param ticker the time source; its coarse reading places outcomes in buckets
     */
    public TimeWindow(long sizeNanos, int buckets, Thresholds thresholds, Ticker ticker) {
        super(thresholds);
        if (buckets < 1 || sizeNanos / buckets < MIN_BUCKET_NANOS) {
            throw new IllegalArgumentException("buckets must be at least 1 and at least " + MIN_BUCKET_NANOS
                    + " ns wide, was " + buckets + " buckets over " + sizeNanos + " ns");
        }
        this.buckets = buckets;
        this.bucketNanos = sizeNanos / buckets;
        this.cells = new long[buckets * CELLS_PER_BUCKET];
        this.ticker = ticker;
        this.origin = ticker.readCoarse();
        this.lastBadEpoch = -buckets;
        // A zeroed cell would read as a count for epoch 0: start every cell empty under epoch -1 instead.
        Arrays.fill(cells, EMPTY_BEFORE_FIRST_EPOCH);
    }

    @Override
    public Verdict record(int outcome) {
        long epoch = currentEpoch();
        int base = (int) (epoch % buckets) * CELLS_PER_BUCKET;
        int tag = (int) epoch;
        increment(base + CALLS, tag);
        boolean bad = false;
        if (isFailure(outcome)) {
            increment(base + FAILED, tag);
            bad = true;
        }
        if (isSlow(outcome)) {
            increment(base + SLOW_CALLS, tag);
            bad = true;
        }
        if (bad) {
            markBad(epoch);
        } else if (epoch - lastBadEpoch >= buckets) {
            return Verdict.UNCHANGED;
        }
        return thresholds.evaluate(sum(epoch, CALLS), sum(epoch, FAILED), sum(epoch, SLOW_CALLS));
    }

    @Override
    public WindowCounts counts() {
        long epoch = currentEpoch();
        return new WindowCounts(sum(epoch, CALLS), sum(epoch, FAILED), sum(epoch, SLOW_CALLS));
    }

    private long currentEpoch() {
        return Math.max(0, ticker.readCoarse() - origin) / bucketNanos;
    }

    private void increment(int index, int tag) {
        while (true) {
            long cell = (long) CELLS.getVolatile(cells, index);
            int ahead = (int) (cell >>> 32) - tag;
            long next;
            if (ahead >= 0) {
                // Same bucket, or this writer's clock reading is behind one that already rolled the cell (it
                // stalled for a window or more): count the outcome in the newer bucket; never roll it back.
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

    private void markBad(long epoch) {
        long seen;
        do {
            seen = lastBadEpoch;
        } while (seen < epoch && !LAST_BAD_EPOCH.compareAndSet(this, seen, epoch));
    }

    private long sum(long epoch, int field) {
        long total = 0;
        long oldest = Math.max(0, epoch - buckets + 1);
        int bucket = (int) (epoch % buckets);
        for (long e = epoch; e >= oldest; e--) {
            long cell = (long) CELLS.getVolatile(cells, bucket * CELLS_PER_BUCKET + field);
            if ((int) (cell >>> 32) == (int) e) {
                total += cell & COUNT_MASK;
            }
            bucket = bucket == 0 ? buckets - 1 : bucket - 1;
        }
        return total;
    }
}
