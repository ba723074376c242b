package dev.breaker.spring.actuate;

import dev.breaker.BreakerEvent;
import dev.breaker.BreakerRegistry;
import dev.breaker.EventType;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The {@code circuitbreakerevents} endpoint: recent events, newest first, optionally of one type
 * ({@code ?type=STATE_TRANSITION}). An unknown breaker answers 404, an unknown type 400.
 */
@Endpoint(id = "circuitbreakerevents")
public class BreakerEventsEndpoint {

    private final BreakerRegistry registry;
    private final BreakerEventBuffer buffer;

    public BreakerEventsEndpoint(BreakerRegistry registry, BreakerEventBuffer buffer) {
        this.registry = registry;
        this.buffer = buffer;
    }

    /** The recent events of every breaker, newest first. */
    @ReadOperation
    public EventsDescriptor events(@Nullable String type) {
        return describe(buffer.events(), type);
    }

    /** The recent events of one breaker, newest first, or {@code null} (404) for an unknown breaker. */
    @ReadOperation
    public @Nullable EventsDescriptor breakerEvents(@Selector String name, @Nullable String type) {
        if (registry.find(name).isEmpty()) {
            return null;
        }
        return describe(buffer.events(name), type);
    }

    private static EventsDescriptor describe(List<BreakerEvent> events, @Nullable String type) {
        EventType wanted = type == null ? null : parse(type);
        return new EventsDescriptor(events.stream().filter(e -> wanted == null || e.type() == wanted)
                .map(EventDescriptor::of).toList());
    }

    private static EventType parse(String type) {
        try {
            return EventType.valueOf(type.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new InvalidEndpointRequestException("Unknown event type '" + type + "'; valid types are "
                    + Arrays.stream(EventType.values()).map(Enum::name).collect(Collectors.joining(", ")),
                    "Unknown event type");
        }
    }

    /**
     * Events, newest first.
     *
     * @param events the events
     */
    public record EventsDescriptor(List<EventDescriptor> events) implements OperationResponseBody {
    }
}
