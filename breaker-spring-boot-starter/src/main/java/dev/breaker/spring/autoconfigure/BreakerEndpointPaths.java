package dev.breaker.spring.autoconfigure;

import dev.breaker.spring.actuate.BreakerEventsEndpoint;
import dev.breaker.spring.actuate.BreakerHistoryEndpoint;
import dev.breaker.spring.actuate.BreakersEndpoint;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** Where Actuator serves the breaker endpoints, asked of Actuator itself rather than read from its properties. */
final class BreakerEndpointPaths {

    /** Where the breakers endpoint is without Actuator's web endpoints: the default base path. */
    private static final String DEFAULT_BREAKERS_PATH = "/actuator/" + BreakersEndpoint.ID;

    private BreakerEndpointPaths() {
    }

    /**
     * The path of the {@code breakers} endpoint under the context path, e.g. {@code /actuator/breakers}; where it
     * would be if it is not exposed.
     */
    static String breakersPath(@Nullable PathMappedEndpoints endpoints) {
        if (endpoints == null) {
            return DEFAULT_BREAKERS_PATH;
        }
        return Objects.requireNonNullElse(endpoints.getPath(EndpointId.of(BreakersEndpoint.ID)),
                endpoints.getBasePath() + "/" + BreakersEndpoint.ID);
    }

    /**
     * The path of the exposed endpoint {@code id} under the context path, such as {@code /actuator/breakerhistory},
     * or the empty string when it is not exposed.
     */
    static String exposedPath(@Nullable PathMappedEndpoints endpoints, String id) {
        String path = endpoints == null ? null : endpoints.getPath(EndpointId.of(id));
        return path == null ? "" : path;
    }

    /** The paths of the breaker endpoints that are exposed over the web, none if {@code endpoints} is null. */
    static List<String> exposedPaths(@Nullable PathMappedEndpoints endpoints) {
        if (endpoints == null) {
            return List.of();
        }
        return Stream.of(BreakersEndpoint.ID, BreakerEventsEndpoint.ID, BreakerHistoryEndpoint.ID)
                .map(id -> endpoints.getPath(EndpointId.of(id))).filter(Objects::nonNull).toList();
    }
}
