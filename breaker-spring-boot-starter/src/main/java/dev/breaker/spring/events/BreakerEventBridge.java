package dev.breaker.spring.events;

import dev.breaker.BreakerEvent;
import dev.breaker.BreakerRegistry;
import dev.breaker.EventType;
import dev.breaker.Level;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationEventPublisher;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Publishes every breaker's state transitions, threshold alerts, resets, prolonged-open alerts, level changes,
 * recoveries and emergencies as Spring application events (the {@link BreakerEvent} records themselves, so
 * {@code @EventListener} methods take e.g. a {@link BreakerEvent.StateTransition}), and logs them: WARN when a breaker
 * opens, an outage is prolonged, a recovery fails or an emergency begins (as the level and as the event), INFO
 * otherwise.
 */
public final class BreakerEventBridge {

    /** The events bridged: all but the per-call ones, which would cost an object per call. */
    public static final Set<EventType> BRIDGED = Collections.unmodifiableSet(Arrays.stream(EventType.values())
            .filter(type -> !type.isPerCall()).collect(Collectors.toCollection(() -> EnumSet.noneOf(EventType.class))));

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
        } else if (event instanceof BreakerEvent.LevelChanged level) {
            String line = "Breaker '" + level.breakerName() + "' level " + level.from() + " -> " + level.to();
            if (level.to() == Level.EMERGENCY) {
                LOGGER.warn(line);
            } else {
                LOGGER.info(line);
            }
        } else if (event instanceof BreakerEvent.RecoveryStarted started) {
            LOGGER.info("Breaker '" + started.breakerName() + "' recovering: letting " + percent(started
                    .minSharePercent()) + " of calls through, growing to all within " + seconds(started.ramp()));
        } else if (event instanceof BreakerEvent.RecoveryCompleted completed) {
            LOGGER.info("Breaker '" + completed.breakerName() + "' recovered: all calls let through after "
                    + seconds(completed.took()));
        } else if (event instanceof BreakerEvent.RecoveryFailed failed) {
            LOGGER.warn("Breaker '" + failed.breakerName() + "' recovery failed at " + percent(failed.sharePercent())
                    + " of calls (" + failed.cause() + "); open again");
        } else if (event instanceof BreakerEvent.Emergency emergency) {
            LOGGER.warn("Breaker '" + emergency.breakerName() + "' EMERGENCY (" + emergency.cause() + "): "
                    + emergency.failedRecoveries() + (emergency.failedRecoveries() == 1 ? " failed recovery"
                    : " failed recoveries") + " in a row, failing for "
                    + seconds(emergency.outageDuration()) + "; one trial call at a time from now on");
        } else if (event instanceof BreakerEvent.ConfigChanged changed) {
            LOGGER.info("Breaker '" + changed.breakerName() + "' reconfigured (" + changed.source() + "): "
                    + changed.to());
        } else if (LOGGER.isDebugEnabled()) {
            LOGGER.debug(event);
        }
    }

    private static String percent(float share) {
        return Math.round(share) + "%";
    }

    private static String seconds(Duration duration) {
        return duration.toSeconds() + "s";
    }
}
