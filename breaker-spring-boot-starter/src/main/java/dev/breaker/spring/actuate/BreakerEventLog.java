package dev.breaker.spring.actuate;

import dev.breaker.BreakerEvent;
import dev.breaker.CircuitState;
import dev.breaker.EventType;
import dev.breaker.RejectionReason;
import dev.breaker.spring.actuate.BreakerEventBuffer.Kept;
import dev.breaker.spring.actuate.BreakerEventBuffer.RecentEvent;
import org.jspecify.annotations.Nullable;

import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BinaryOperator;

/**
 * The recent events of one breaker: a bounded ring per event type, rejections counted in runs, one run per reason at a
 * time (rejections for different reasons, such as a rate limit and a concurrency limit, interleave).
 */
final class BreakerEventLog {

    private static final int REASONS = RejectionReason.values().length;

    private final Map<EventType, Ring> rings = new EnumMap<>(EventType.class);
    private final AtomicLong sequence;
    /** The run each reason's rejections extend, by the reason's ordinal; emptied by a transition. */
    private final AtomicReferenceArray<@Nullable RejectionRun> currentRuns = new AtomicReferenceArray<>(REASONS);

    /**
     * @param types the types kept
     * @param capacity the entries kept per type
     * @param sequence the sequence numbers shared by every breaker, which order events of the same instant
     */
    BreakerEventLog(Set<EventType> types, int capacity, AtomicLong sequence) {
        this.sequence = sequence;
        types.forEach(type -> rings.put(type, new Ring(capacity)));
    }

    void add(BreakerEvent event) {
        if (event instanceof BreakerEvent.CallNotPermitted rejection) {
            reject(rejection);
            return;
        }
        if (event.type() == EventType.STATE_TRANSITION) {
            for (int i = 0; i < REASONS; i++) {
                currentRuns.set(i, null);
            }
        }
        Ring ring = rings.get(event.type());
        if (ring != null) {
            ring.add(new Single(event, sequence.incrementAndGet()));
        }
    }

    private void reject(BreakerEvent.CallNotPermitted rejection) {
        int reason = rejection.reason().ordinal();
        RejectionRun run = currentRuns.get(reason);
        if (run != null && run.state == rejection.state()) {
            run.record(rejection);
            return;
        }
        Ring ring = rings.get(EventType.CALL_NOT_PERMITTED);
        synchronized (ring) {
            run = currentRuns.get(reason);
            if (run != null && run.state == rejection.state()) {
                run.record(rejection);
                return;
            }
            RejectionRun started = new RejectionRun(rejection, sequence.incrementAndGet());
            ring.add(started);
            currentRuns.set(reason, started);
        }
    }

    /** Adds a snapshot of every entry to {@code kept}. */
    void collect(List<Kept> kept) {
        rings.values().forEach(ring -> ring.collect(kept));
    }

    /** An entry of a ring. */
    private sealed interface Entry permits Single, RejectionRun {

        Kept snapshot();
    }

    private record Single(BreakerEvent event, long sequence) implements Entry {

        @Override
        public Kept snapshot() {
            return new Kept(new RecentEvent(event, 1, event.at()), sequence);
        }
    }

    /** Rejections for one reason in one state between two transitions: counted, the first and the latest kept. */
    private static final class RejectionRun implements Entry {

        private static final BinaryOperator<BreakerEvent.CallNotPermitted> LATER =
                (kept, offered) -> offered.at().isAfter(kept.at()) ? offered : kept;

        final CircuitState state;
        private final BreakerEvent.CallNotPermitted first;
        private final long sequence;
        private final LongAdder count = new LongAdder();
        private final AtomicReference<BreakerEvent.CallNotPermitted> latest;

        RejectionRun(BreakerEvent.CallNotPermitted first, long sequence) {
            this.state = first.state();
            this.first = first;
            this.sequence = sequence;
            this.latest = new AtomicReference<>(first);
            count.increment();
        }

        void record(BreakerEvent.CallNotPermitted rejection) {
            count.increment();
            latest.accumulateAndGet(rejection, LATER);
        }

        @Override
        public Kept snapshot() {
            return new Kept(new RecentEvent(latest.get(), count.sum(), first.at()), sequence);
        }
    }

    /** The latest {@code capacity} entries of one type. */
    private static final class Ring {

        private final int capacity;
        private final ArrayDeque<Entry> entries;

        Ring(int capacity) {
            this.capacity = capacity;
            this.entries = new ArrayDeque<>(Math.min(capacity, 16));
        }

        synchronized void add(Entry entry) {
            if (entries.size() == capacity) {
                entries.removeFirst();
            }
            entries.addLast(entry);
        }

        synchronized void collect(List<Kept> kept) {
            entries.forEach(entry -> kept.add(entry.snapshot()));
        }
    }
}
