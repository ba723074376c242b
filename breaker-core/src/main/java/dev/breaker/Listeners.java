package dev.breaker;

import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.Set;

/**
 * An immutable set of listeners with the event types each wants; replaced as a whole on every change, so that
 * publishing needs no lock and the hot path checks one int to know whether anybody listens.
 */
final class Listeners {

    static final Listeners NONE = new Listeners(new Entry[0]);

    private static final System.Logger LOGGER = System.getLogger(Breaker.class.getName());

    private record Entry(int mask, BreakerEventListener listener) {
    }

    private final Entry[] entries;
    /** The union of the entries' masks. */
    final int mask;

    private Listeners(Entry[] entries) {
        this.entries = entries;
        int union = 0;
        for (Entry entry : entries) {
            union |= entry.mask;
        }
        this.mask = union;
    }

    static int maskOf(Set<EventType> types) {
        int mask = 0;
        for (EventType type : types) {
            mask |= type.bit();
        }
        return mask;
    }

    Listeners with(int mask, BreakerEventListener listener) {
        Entry[] grown = Arrays.copyOf(entries, entries.length + 1);
        grown[entries.length] = new Entry(mask, listener);
        return new Listeners(grown);
    }

    Listeners without(BreakerEventListener listener) {
        return new Listeners(Arrays.stream(entries).filter(e -> e.listener != listener).toArray(Entry[]::new));
    }

    boolean wants(EventType type) {
        return (mask & type.bit()) != 0;
    }

    void publish(BreakerEvent event) {
        int bit = event.type().bit();
        for (Entry entry : entries) {
            if ((entry.mask & bit) != 0) {
                try {
                    entry.listener.onEvent(event);
                } catch (RuntimeException | Error failure) {
                    LOGGER.log(Level.WARNING, "Listener " + entry.listener + " failed on " + event
                            + "; the breaker carries on", failure);
                }
            }
        }
    }
}
