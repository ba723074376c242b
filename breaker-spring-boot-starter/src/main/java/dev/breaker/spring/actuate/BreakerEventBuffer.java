package dev.breaker.spring.actuate;

import dev.breaker.BreakerEvent;
import dev.breaker.BreakerRegistry;
import dev.breaker.EventType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The recent events of every breaker, kept so that a flood of rejections never hides why a breaker opened: each
 * event type has its own ring per breaker, and rejections are counted rather than kept one by one. Listens only to
 * the configured event types, so breakers create no event objects for the others.
 *
 * <p>Memory is bounded: per breaker, at most {@code capacity} events of each kept type, and at most
 * {@code capacity} runs of rejections (a run is a stretch of rejections for one reason in one state, between two
 * transitions; it holds its first and latest rejection and a count).
 */
/*
 * Implementation notes: one sequence number, taken as an event is kept, orders events of the same instant (the
 * failure, threshold and transition of an opening often share one). A rejection that extends the current run takes
 * no lock and no sequence number: a LongAdder counts it and a compare-and-set keeps the latest. State transitions
 * are listened to whenever rejections are kept, kept or not themselves, because they end a run.
 */
public final class BreakerEventBuffer {

    /** Newest first: later time, then later sequence number. */
    private static final Comparator<Kept> NEWEST_FIRST = Comparator.comparing((Kept kept) -> kept.event().at())
            .thenComparingLong(Kept::sequence).reversed();

    private final int capacity;
    private final Set<EventType> types;
    private final AtomicLong sequence = new AtomicLong();
    private final ConcurrentHashMap<String, BreakerEventLog> byBreaker = new ConcurrentHashMap<>();

    /**
     * Starts buffering the events of {@code types} of every breaker in {@code registry}, now and later.
     *
     * @param capacity the events of each type, and the runs of rejections, kept per breaker; at least 1
     */
    public BreakerEventBuffer(BreakerRegistry registry, Set<EventType> types, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.types = types.isEmpty() ? EnumSet.noneOf(EventType.class) : EnumSet.copyOf(types);
        Set<EventType> listened = EnumSet.noneOf(EventType.class);
        listened.addAll(this.types);
        if (listened.contains(EventType.CALL_NOT_PERMITTED)) {
            listened.add(EventType.STATE_TRANSITION);
        }
        registry.onBreakerRemoved(breaker -> byBreaker.remove(breaker.name()));
        registry.addListener(listened, this::add);
    }

    private void add(BreakerEvent event) {
        byBreaker.computeIfAbsent(event.breakerName(), name -> new BreakerEventLog(types, capacity, sequence))
                .add(event);
    }

    /** The events of the breaker called {@code name}, newest first. */
    public List<RecentEvent> events(String name) {
        BreakerEventLog log = byBreaker.get(name);
        List<Kept> kept = new ArrayList<>();
        if (log != null) {
            log.collect(kept);
        }
        return newestFirst(kept);
    }

    /** The events of every breaker, newest first. */
    public List<RecentEvent> events() {
        List<Kept> kept = new ArrayList<>();
        byBreaker.values().forEach(log -> log.collect(kept));
        return newestFirst(kept);
    }

    private static List<RecentEvent> newestFirst(List<Kept> kept) {
        kept.sort(NEWEST_FIRST);
        return kept.stream().map(Kept::recent).toList();
    }

    /**
     * An event the buffer kept, or a run of rejections kept as one.
     *
     * @param event the event; for a run of rejections, the latest
     * @param count 1; for a run of rejections, how many calls were rejected
     * @param firstAt when the event happened; for a run of rejections, when the first call was rejected
     */
    public record RecentEvent(BreakerEvent event, long count, Instant firstAt) {
    }

    /** A snapshot of one kept entry with its sequence number. */
    record Kept(RecentEvent recent, long sequence) {

        BreakerEvent event() {
            return recent.event();
        }
    }
}
