package dev.breaker.spring.actuate;

import dev.breaker.BreakerEvent;
import dev.breaker.BreakerRegistry;
import dev.breaker.EventType;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The most recent events of every breaker, a bounded number per breaker; the oldest leave first. Listens only to
 * the configured event types, so breakers create no event objects for the others.
 */
public final class BreakerEventBuffer {

    private final int capacity;
    private final ConcurrentHashMap<String, Deque<BreakerEvent>> byBreaker = new ConcurrentHashMap<>();

    /**
     * Starts buffering the events of {@code types} of every breaker in {@code registry}, now and later.
     *
     * @param capacity the events kept per breaker, at least 1
     */
    public BreakerEventBuffer(BreakerRegistry registry, Set<EventType> types, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        registry.onBreakerRemoved(breaker -> byBreaker.remove(breaker.name()));
        registry.addListener(types, this::add);
    }

    private void add(BreakerEvent event) {
        Deque<BreakerEvent> events = byBreaker.computeIfAbsent(event.breakerName(), name -> new ArrayDeque<>());
        synchronized (events) {
            if (events.size() == capacity) {
                events.removeFirst();
            }
            events.addLast(event);
        }
    }

    /** The events of the breaker called {@code name}, newest first. */
    public List<BreakerEvent> events(String name) {
        Deque<BreakerEvent> events = byBreaker.get(name);
        if (events == null) {
            return List.of();
        }
        List<BreakerEvent> copy;
        synchronized (events) {
            copy = new ArrayList<>(events);
        }
        Collections.reverse(copy);
        return copy;
    }

    /** The events of every breaker, newest first. */
    public List<BreakerEvent> events() {
        List<BreakerEvent> all = new ArrayList<>();
        byBreaker.keySet().forEach(name -> all.addAll(events(name)));
        all.sort(Comparator.comparing(BreakerEvent::at).reversed());
        return all;
    }
}
