package dev.breaker.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A window over the last {@code size} recorded outcomes.
 *
 * <p>Lock-free and allocation-free: a ring of outcome codes plus the window's counts packed in one long.
 */
public final class CountWindow extends Window {

    /*
     * Implementation notes.
     *
     * The ring holds one byte per slot: 0 (empty) or an outcome code. A writer claims a slot index from the
     * cursor, swaps its code into the slot (getAndSet, so that two writers that lap each other on the same
     * slot still each see the code they replace) and adds the difference of the two codes' weights to the
     * packed counts. The packed counts are therefore always the census of the ring once the writers in
     * flight are done ("outcomes conserved"), and each writer evaluates the counts its own add produced, a
     * consistent snapshot, without a lock.
     *
     * Packed counts: bits 0-20 buffered calls, 21-41 failed calls, 42-62 slow calls; bit 63 stays clear. Hence
     * MAX_SIZE, one bit short of a field, so that a field that borrowed shows up as out of range.
     *
     * Writers that lap each other on one slot can apply their adds out of order: a -FAILED may land before the
     * +FAILED it cancels, and the packed sum then borrows across fields for a moment. Such a snapshot is out of
     * range (a field above the size, failed or slow above buffered, or bit 63 set); the writer that sees it
     * returns UNCHANGED and the writer whose add restores the census evaluates. Once the writers in flight are
     * done, the packed counts equal the census again, since additions commute. A reader (counts()) waits a
     * moment for that; if a writer was descheduled between its swap and its add, it counts the ring's slots
     * instead, which always describe a possible ring.
     *
     * A writer whose slot already holds the code it is about to write leaves the slot and the counts as they are
     * (only the cursor moves): the census is unchanged either way, and a writer that laps it still sees the code it
     * replaces. With a few failures in the window, most successes replace successes and cost one atomic add.
     *
     * Fast path: when the ring is full of plain successes, recording one more success changes nothing
     * observable (it would replace a success with a success, and all rotations of a uniform ring are the
     * same ring), so it reads the counts and returns without a write. This makes the common path of a
     * healthy breaker a single shared read, which scales across threads. A later failure lands at the
     * cursor, which is where the oldest entry of an equivalent ring would be: the eviction order of every
     * following outcome matches a ring that had advanced.
     */

    /** The largest supported window size: half the range of the 21-bit packed count fields. */
    public static final int MAX_SIZE = 1 << 20;

    private static final long BUFFERED = 1L;
    private static final long FAILED = 1L << 21;
    private static final long SLOW_CALL = 1L << 42;
    private static final long FIELD_MASK = (1L << 21) - 1;

    /** The weight of each slot code in the packed counts; index 0 is the empty slot. */
    private static final long[] WEIGHT = new long[8];

    static {
        for (int code = 1; code < WEIGHT.length; code++) {
            WEIGHT[code] = BUFFERED + (isFailure(code) ? FAILED : 0) + (isSlow(code) ? SLOW_CALL : 0);
        }
    }

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(byte[].class);
    private static final VarHandle CURSOR;
    private static final VarHandle COUNTS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CURSOR = lookup.findVarHandle(CountWindow.class, "cursor", long.class);
            COUNTS = lookup.findVarHandle(CountWindow.class, "counts", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final byte[] slots;
    private final int size;
    private final long fullOfSuccesses;

    @SuppressWarnings("unused") // accessed through CURSOR
    private volatile long cursor;
    private volatile long counts;

    /**
     * Creates an empty window.
     *
     * @param size the number of outcomes the window holds, in [1, {@link #MAX_SIZE}]
     * @param thresholds the thresholds to evaluate; their minimum calls are clamped to {@code size}
     */
    public CountWindow(int size, Thresholds thresholds) {
        super(clampMinimumCalls(size, thresholds));
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("size must be in [1, " + MAX_SIZE + "], was " + size);
        }
        this.size = size;
        this.slots = new byte[size];
        this.fullOfSuccesses = size * BUFFERED;
    }

    private static Thresholds clampMinimumCalls(int size, Thresholds thresholds) {
        if (thresholds.minimumCalls() <= size) {
            return thresholds;
        }
        return thresholds.withMinimumCalls(size);
    }

    @Override
    Thresholds fit(Thresholds requested) {
        return clampMinimumCalls(size, requested);
    }

    @Override
    public Verdict record(int outcome) {
        if (outcome == SUCCESS && counts == fullOfSuccesses) {
            return Verdict.CLEAN;
        }
        return record(outcome, thresholds.minimumCalls());
    }

    @Override
    public Verdict record(int outcome, int minimumCalls) {
        if (outcome == SUCCESS && counts == fullOfSuccesses) {
            return Verdict.CLEAN;
        }
        long index = (long) CURSOR.getAndAdd(this, 1L);
        int slot = (int) (index % size);
        if ((byte) SLOTS.getVolatile(slots, slot) == outcome) {
            // The outcome it replaces is the same: the ring and its census stay as they are.
            return Verdict.UNCHANGED;
        }
        int replaced = (byte) SLOTS.getAndSet(slots, slot, (byte) outcome);
        long delta = WEIGHT[outcome] - WEIGHT[replaced];
        if (delta == 0) {
            return Verdict.UNCHANGED;
        }
        long packed = (long) COUNTS.getAndAdd(this, delta) + delta;
        if (!isConsistent(packed)) {
            return Verdict.UNCHANGED;
        }
        return thresholds.evaluate(packed & FIELD_MASK, (packed >>> 21) & FIELD_MASK, packed >>> 42, minimumCalls);
    }

    @Override
    public WindowCounts counts() {
        long packed = counts;
        for (int attempt = 0; attempt < 100 && !isConsistent(packed); attempt++) {
            Thread.onSpinWait();
            packed = counts;
        }
        if (!isConsistent(packed)) {
            // A writer was descheduled between its swap and its add: count the ring itself, a possible ring.
            packed = census();
        }
        long buffered = Math.min(packed & FIELD_MASK, size);
        return new WindowCounts(buffered, Math.min((packed >>> 21) & FIELD_MASK, buffered),
                Math.min((packed >>> 42) & FIELD_MASK, buffered));
    }

    /** The packed counts of the ring's slots as they are read, one by one. */
    private long census() {
        long packed = 0;
        for (int slot = 0; slot < size; slot++) {
            packed += WEIGHT[(byte) SLOTS.getVolatile(slots, slot)];
        }
        return packed;
    }

    /** Whether packed counts describe a possible ring; see the notes on lapping writers. */
    private boolean isConsistent(long packed) {
        long buffered = packed & FIELD_MASK;
        return packed >= 0 && buffered <= size && ((packed >>> 21) & FIELD_MASK) <= buffered
                && (packed >>> 42) <= buffered;
    }

    /** The number of outcomes this window holds when full. */
    public int size() {
        return size;
    }
}
