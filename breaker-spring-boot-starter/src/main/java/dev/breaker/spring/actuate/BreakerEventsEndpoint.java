package dev.breaker.spring.actuate;

import dev.breaker.BreakerRegistry;
import dev.breaker.EventType;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The {@code breakerevents} web endpoint: recent events, newest first, optionally of one type
 * ({@code ?type=STATE_TRANSITION}); rejections come counted in runs (see {@link BreakerEventBuffer}). An unknown
 * breaker answers 404, an unknown type 400 naming the valid ones. Error messages are left out unless asked for: they
 * may carry downstream response bodies and internal URLs.
 */
@WebEndpoint(id = BreakerEventsEndpoint.ID, defaultAccess = Access.READ_ONLY)
public class BreakerEventsEndpoint {

    /** The endpoint's id, chosen not to clash with Resilience4j's {@code circuitbreakerevents}. */
    public static final String ID = "breakerevents";

    private final BreakerRegistry registry;
    private final BreakerEventBuffer buffer;
    private final boolean includeMessages;

    /**
     * @param includeMessages whether events show their error's message, not only its class
     */
    public BreakerEventsEndpoint(BreakerRegistry registry, BreakerEventBuffer buffer, boolean includeMessages) {
        this.registry = registry;
        this.buffer = buffer;
        this.includeMessages = includeMessages;
    }

    /** The recent events of every breaker, newest first; 400 for an unknown {@code type}. */
    @ReadOperation
    public WebEndpointResponse<OperationResponseBody> events(@Nullable String type) {
        return describe(buffer.events(), type);
    }

    /** The recent events of one breaker, newest first; 404 for an unknown breaker, 400 for an unknown type. */
    @ReadOperation
    public WebEndpointResponse<OperationResponseBody> breakerEvents(@Selector String name, @Nullable String type) {
        if (registry.find(name).isEmpty()) {
            return new WebEndpointResponse<>(new BreakersEndpoint.ErrorDescriptor("No breaker named '" + name + "'"),
                    WebEndpointResponse.STATUS_NOT_FOUND);
        }
        return describe(buffer.events(name), type);
    }

    private WebEndpointResponse<OperationResponseBody> describe(List<BreakerEventBuffer.RecentEvent> events,
                                                                @Nullable String type) {
        EventType wanted = null;
        if (type != null) {
            wanted = parse(type);
            if (wanted == null) {
                return new WebEndpointResponse<>(new BreakersEndpoint.ErrorDescriptor("Unknown event type '" + type
                        + "'; valid types are " + Arrays.stream(EventType.values()).map(Enum::name)
                        .collect(Collectors.joining(", "))), WebEndpointResponse.STATUS_BAD_REQUEST);
            }
        }
        EventType filter = wanted;
        return new WebEndpointResponse<>(new EventsDescriptor(events.stream()
                .filter(e -> filter == null || e.event().type() == filter)
                .map(e -> EventDescriptor.of(e, includeMessages)).toList()));
    }

    private static @Nullable EventType parse(String type) {
        try {
            return EventType.valueOf(type.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            return null;
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
