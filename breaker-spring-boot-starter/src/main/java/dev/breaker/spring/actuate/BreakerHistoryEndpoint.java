package dev.breaker.spring.actuate;

import dev.breaker.BreakerRegistry;
import dev.breaker.spring.history.BreakerHistory;
import dev.breaker.spring.history.Samples;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

import java.util.Map;

/**
 * The {@code breakerhistory} web endpoint: the recent samples of every breaker ({@link BreakerHistory}), oldest
 * first, in columns; {@code ?since=<epoch millis>} returns only the samples taken after that time, so a page that
 * keeps what it has asks only for what is new. An unknown breaker answers 404.
 */
@WebEndpoint(id = BreakerHistoryEndpoint.ID, defaultAccess = Access.READ_ONLY)
public class BreakerHistoryEndpoint {

    /** The endpoint's id. */
    public static final String ID = "breakerhistory";

    private final BreakerRegistry registry;
    private final BreakerHistory history;

    public BreakerHistoryEndpoint(BreakerRegistry registry, BreakerHistory history) {
        this.registry = registry;
        this.history = history;
    }

    /** The samples of every breaker taken after {@code since} (milliseconds since the epoch; all without it). */
    @ReadOperation
    public HistoryDescriptor history(@Nullable Long since) {
        return describe(history.all(since == null ? Long.MIN_VALUE : since));
    }

    /** The samples of one breaker taken after {@code since}; 404 for an unknown breaker. */
    @ReadOperation
    public WebEndpointResponse<OperationResponseBody> breakerHistory(@Selector String name, @Nullable Long since) {
        if (registry.find(name).isEmpty()) {
            return new WebEndpointResponse<>(new BreakersEndpoint.ErrorDescriptor("No breaker named '" + name + "'"),
                    WebEndpointResponse.STATUS_NOT_FOUND);
        }
        long after = since == null ? Long.MIN_VALUE : since;
        return new WebEndpointResponse<>(describe(history.of(name, after)
                .map(samples -> Map.of(name, samples)).orElse(Map.of())));
    }

    private HistoryDescriptor describe(Map<String, Samples> breakers) {
        return new HistoryDescriptor(history.interval().toMillis(), history.samples(), history.bytesPerBreaker(),
                breakers);
    }

    /**
     * Samples by breaker.
     *
     * @param intervalMillis the time between two samples
     * @param samplesKept the samples kept per breaker
     * @param bytesPerBreaker the memory one breaker's history takes
     * @param breakers the samples by breaker name
     */
    public record HistoryDescriptor(long intervalMillis, int samplesKept, long bytesPerBreaker,
                                    Map<String, Samples> breakers) implements OperationResponseBody {
    }
}
