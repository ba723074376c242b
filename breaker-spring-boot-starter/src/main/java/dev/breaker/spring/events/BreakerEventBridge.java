package dev.breaker.spring.events;

import dev.breaker.BreakerEvent;
import dev.breaker.BreakerRegistry;
import dev.breaker.EventType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationEventPublisher;

import java.util.EnumSet;
import java.util.Set;

/**
 * Publishes every breaker's state transitions, threshold alerts, resets and prolonged-open alerts as Spring
 * application events (the {@link BreakerEvent} records themselves, so {@code @EventListener} methods take e.g. a
 * {@link BreakerEvent.StateTransition}), and logs them: WARN when a breaker opens or an outage is prolonged, INFO
 * otherwise.
 */
public final class BreakerEventBridge {

    /** The events bridged: all but the per-call ones, which would cost an object per call. */
    public static final Set<EventType> BRIDGED = EnumSet.of(EventType.STATE_TRANSITION,
            EventType.THRESHOLD_EXCEEDED, EventType.RESET, EventType.PROLONGED_OPEN);

    private static final Log LOGGER = LogFactory.getLog(BreakerEventBridge.class);

    private final ApplicationEventPublisher publisher;

    /** Subscribes to every breaker of {@code registry}, now and later. */
    public BreakerEventBridge(BreakerRegistry registry, ApplicationEventPublisher publisher) {
        this.publisher = publisher;
        registry.addListener(BRIDGED, this::onEvent);
    }

    private void onEvent(BreakerEvent event) {
        log(event);
        publisher.publishEvent(event);
    }

    private static void log(BreakerEvent event) {
        if (event instanceof BreakerEvent.StateTransition transition) {
            String line = "Breaker '" + transition.breakerName() + "' " + transition.from() + " -> " + transition.to()
                    + " (" + transition.reason() + ")";
            if (transition.to().rejectsCalls()) {
                LOGGER.warn(line);
            } else {
                LOGGER.info(line);
            }
        } else if (event instanceof BreakerEvent.ProlongedOpen prolonged) {
            LOGGER.warn("Breaker '" + prolonged.breakerName() + "' has been failing for "
                    + prolonged.outageDuration().toSeconds() + "s");
        } else if (LOGGER.isDebugEnabled()) {
            LOGGER.debug(event);
        }
    }
}
