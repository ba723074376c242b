package dev.breaker;

import org.jspecify.annotations.Nullable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * A breaker's rejected calls by reason and by priority. Each counter is made on the first rejection it counts, so a
 * breaker that never rejects for a reason (or never sees priorities) carries nothing for it.
 */
final class RejectionCounts {

    private static final VarHandle COUNTERS = MethodHandles.arrayElementVarHandle(LongAdder[].class);
    private static final RejectionReason[] REASONS = RejectionReason.values();
    private static final Priority[] PRIORITIES = Priority.values();

    private final LongAdder[] byReason = new LongAdder[REASONS.length];
    private final LongAdder[] byPriority = new LongAdder[PRIORITIES.length];

    /** Counts one rejection for {@code reason}; by priority too when {@code priority} is not null. */
    void count(RejectionReason reason, @Nullable Priority priority) {
        counter(byReason, reason.ordinal()).increment();
        if (priority != null) {
            counter(byPriority, priority.ordinal()).increment();
        }
    }

    private static LongAdder counter(LongAdder[] counters, int index) {
        LongAdder counter = (LongAdder) COUNTERS.getAcquire(counters, index);
        if (counter == null) {
            LongAdder fresh = new LongAdder();
            counter = (LongAdder) COUNTERS.compareAndExchangeRelease(counters, index, null, fresh);
            if (counter == null) {
                counter = fresh;
            }
        }
        return counter;
    }

    /** Every rejection so far. */
    long total() {
        long total = 0;
        for (int i = 0; i < byReason.length; i++) {
            LongAdder counter = (LongAdder) COUNTERS.getAcquire(byReason, i);
            if (counter != null) {
                total += counter.sum();
            }
        }
        return total;
    }

    /** The rejections so far for each reason that had one. */
    Map<RejectionReason, Long> byReason() {
        return snapshot(byReason, REASONS, RejectionReason.class);
    }

    /** The rejections so far for each priority that had one, counted while priorities were in use. */
    Map<Priority, Long> byPriority() {
        return snapshot(byPriority, PRIORITIES, Priority.class);
    }

    private static <E extends Enum<E>> Map<E, Long> snapshot(LongAdder[] counters, E[] keys, Class<E> type) {
        Map<E, Long> counts = new EnumMap<>(type);
        for (int i = 0; i < counters.length; i++) {
            LongAdder counter = (LongAdder) COUNTERS.getAcquire(counters, i);
            if (counter != null) {
                counts.put(keys[i], counter.sum());
            }
        }
        return Map.copyOf(counts);
    }
}
