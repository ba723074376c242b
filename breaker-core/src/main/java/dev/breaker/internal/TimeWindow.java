package dev.breaker.internal;

import dev.breaker.Ticker;
import org.jspecify.annotations.Nullable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A window over the outcomes of the last {@code size} of time, kept in equal buckets.
 *
 * <p>Buckets are whole multiples of the bucket length on the ticker: bucket {@code e} holds the outcomes recorded
 * at readings {@code [e * length, (e + 1) * length)}. The window holds the current bucket and the
 * {@code buckets - 1} before it, so an outcome counts for at least {@code size - size / buckets} and at most
 * {@code size}. The window rolls as it is used, without a background thread and without a lock, allocates nothing
 * per outcome, and costs the same per outcome whatever the number of buckets.
 */
public final class TimeWindow extends Window {

    /*
     * Implementation notes.
     *
     * Each bucket has three cells (calls, failed, slow). A cell is a long holding the low 32 bits of the epoch
     * (the bucket's number) in its high half and a count in its low half. A writer increments a cell with a CAS
     * loop; when the cell's tag is an older epoch, the same CAS replaces it with a count of one under the new
     * tag, so each cell rolls itself and there is no separate "reset the bucket" step to race with. Cells whose
     * tag is not the epoch asked for count as zero. Tags repeat after 2^32 buckets (13 years at the smallest
     * bucket of 100 ms).
     *
     * Consistency: a writer increments the calls cell before the failed and slow cells, and every reader reads a
     * bucket's failed and slow cells before its calls cell, so whatever a reader sees holds no failure or slow
     * call without its call (failed <= calls, slow <= calls, rates within [0, 100]).
     *
     * Flat cost: the head is the newest bucket written. The sums of the other buckets in the window (closed) are
     * kept in an immutable Totals computed once per roll of the head, so an evaluation reads the three cells of
     * the head bucket and adds Totals: the same cost for 10 or 600 buckets. Writers never write into a bucket
     * older than the head (an outcome read on a clock that lags a writer that already rolled counts in the head),
     * but a write can race the roll that closes its bucket; the writer sees the head moved and recomputes Totals.
     * Recomputations are ordered by a ticket, so the Totals installed for a head are the latest-started one, which
     * read every write that finished before it started.
     *
     * Successes evaluate the window only while it holds a failure or a slow call: with neither, both rates are 0
     * and no threshold in (0, 100] can be reached. lastBadEpoch tells which is the case with one read.
     */

    /** The smallest bucket, which keeps the epoch tags from repeating within any realistic idle time. */
    public static final long MIN_BUCKET_NANOS = 100_000_000L;

    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long COUNT_MASK = 0xFFFF_FFFFL;
    private static final int CALLS = 0;
    private static final int FAILED = 1;
    private static final int SLOW_CALLS = 2;
    private static final int CELLS_PER_BUCKET = 3;
    private static final VarHandle LAST_BAD_EPOCH;
    private static final VarHandle HEAD;
    private static final VarHandle CLOSED;
    private static final VarHandle TICKETS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            LAST_BAD_EPOCH = lookup.findVarHandle(TimeWindow.class, "lastBadEpoch", long.class);
            HEAD = lookup.findVarHandle(TimeWindow.class, "head", long.class);
            CLOSED = lookup.findVarHandle(TimeWindow.class, "closed", Totals.class);
            TICKETS = lookup.findVarHandle(TimeWindow.class, "tickets", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The sums of the closed buckets in the window of a head, computed by the recomputation numbered ticket. */
    private record Totals(long head, long ticket, long calls, long failed, long slow) {
    }

    private final long[] cells;
    private final int buckets;
    private final long bucketNanos;
    private final Ticker ticker;
    private volatile long head;
    /** The sums of the closed buckets; {@code null} until the head first rolls. */
    private volatile @Nullable Totals closed;
    @SuppressWarnings("unused") // accessed through TICKETS
    private volatile long tickets;
    private volatile long lastBadEpoch;

    /**
     * Creates an empty window.
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
        long epoch = Math.floorDiv(ticker.readCoarse(), bucketNanos);
        this.head = epoch;
        this.lastBadEpoch = epoch - buckets;
        // A zeroed cell would read as a count for epoch 0: start every cell empty under a tag no epoch in the
        // window has.
        Arrays.fill(cells, tagged(epoch - buckets, 0));
    }

    @Override
    public Verdict record(int outcome) {
        return record(outcome, -1);
    }

    /** Records one outcome; {@code minimumCalls} -1 stands for the thresholds' own, looked up only if needed. */
    @Override
    public Verdict record(int outcome, int minimumCalls) {
        long now = ticker.readCoarse();
        long h = head;
        long sinceHead = now - h * bucketNanos;
        if (sinceHead >= bucketNanos) {
            h = advance(Math.floorDiv(now, bucketNanos));
        }
        int base = slot(h);
        int tag = (int) h;
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
        long latest = head;
        if (latest != h) {
            // The head rolled while this outcome was written: the sums of the closed buckets may have missed it.
            recomputeClosed(latest);
        }
        if (bad) {
            markBad(h);
        } else if (latest - lastBadEpoch >= buckets) {
            return Verdict.CLEAN;
        }
        return evaluate(latest, minimumCalls < 0 ? thresholds.minimumCalls() : minimumCalls);
    }

    /** Moves the head forward to {@code epoch} unless it is there already; returns the head. */
    private long advance(long epoch) {
        long seen;
        do {
            seen = head;
            if (seen >= epoch) {
                return seen;
            }
        } while (!HEAD.compareAndSet(this, seen, epoch));
        recomputeClosed(epoch);
        return epoch;
    }

    private Verdict evaluate(long h, int minimumCalls) {
        Totals totals = closed;
        if (totals == null || totals.head != h) {
            totals = recomputeClosed(h);
        }
        int base = slot(h);
        int tag = (int) h;
        long failed = totals.failed + count(base + FAILED, tag);
        long slow = totals.slow + count(base + SLOW_CALLS, tag);
        long calls = totals.calls + count(base + CALLS, tag);
        return thresholds.evaluate(calls, Math.min(failed, calls), Math.min(slow, calls), minimumCalls);
    }

    /** Sums the buckets of the window of {@code h} other than {@code h} itself, and installs the sums if newest. */
    private Totals recomputeClosed(long h) {
        long ticket = (long) TICKETS.getAndAdd(this, 1L);
        long calls = 0;
        long failed = 0;
        long slow = 0;
        for (long e = h - buckets + 1; e < h; e++) {
            int base = slot(e);
            int tag = (int) e;
            long bucketFailed = count(base + FAILED, tag);
            long bucketSlow = count(base + SLOW_CALLS, tag);
            long bucketCalls = count(base + CALLS, tag);
            calls += bucketCalls;
            failed += Math.min(bucketFailed, bucketCalls);
            slow += Math.min(bucketSlow, bucketCalls);
        }
        Totals fresh = new Totals(h, ticket, calls, failed, slow);
        Totals installed;
        do {
            installed = closed;
            if (installed != null && (installed.head > h || (installed.head == h && installed.ticket > ticket))) {
                break;
            }
        } while (!CLOSED.compareAndSet(this, installed, fresh));
        return fresh;
    }

    @Override
    public WindowCounts counts() {
        long epoch = Math.max(head, Math.floorDiv(ticker.readCoarse(), bucketNanos));
        long calls = 0;
        long failed = 0;
        long slow = 0;
        for (long e = epoch - buckets + 1; e <= epoch; e++) {
            int base = slot(e);
            int tag = (int) e;
            long bucketFailed = count(base + FAILED, tag);
            long bucketSlow = count(base + SLOW_CALLS, tag);
            long bucketCalls = count(base + CALLS, tag);
            calls += bucketCalls;
            failed += Math.min(bucketFailed, bucketCalls);
            slow += Math.min(bucketSlow, bucketCalls);
        }
        return new WindowCounts(calls, failed, slow);
    }

    private int slot(long epoch) {
        return (int) Math.floorMod(epoch, (long) buckets) * CELLS_PER_BUCKET;
    }

    private static long tagged(long epoch, long count) {
        return ((long) (int) epoch << 32) | count;
    }

    private long count(int index, int tag) {
        long cell = (long) CELLS.getVolatile(cells, index);
        return (int) (cell >>> 32) == tag ? cell & COUNT_MASK : 0;
    }

    private void increment(int index, int tag) {
        while (true) {
            long cell = (long) CELLS.getVolatile(cells, index);
            int ahead = (int) (cell >>> 32) - tag;
            long next;
            if (ahead >= 0) {
                // Same bucket, or this writer stalled for a whole window and the cell has rolled past its bucket:
                // count the outcome in the newer bucket; never roll a cell back.
                if ((cell & COUNT_MASK) == COUNT_MASK) {
                    return;
                }
                next = cell + 1;
            } else {
                next = tagged(tag, 1);
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
}
