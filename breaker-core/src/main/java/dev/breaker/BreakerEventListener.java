package dev.breaker;

/**
 * Receives {@link BreakerEvent}s. Called on the thread that caused the event, outside any lock; an exception it
 * throws is logged and otherwise ignored, so it never affects the call or the breaker.
 */
@FunctionalInterface
public interface BreakerEventListener {

    /** Handles one event. */
    void onEvent(BreakerEvent event);
}
