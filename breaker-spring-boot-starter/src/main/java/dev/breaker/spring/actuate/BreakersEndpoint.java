package dev.breaker.spring.actuate;

import dev.breaker.Breaker;
import dev.breaker.BreakerRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The {@code breakers} web endpoint: every breaker's state, figures and configuration, and manual control.
 * An unknown name answers 404 and never creates a breaker; an unknown action answers 400 naming the valid ones.
 * <p>
 * Read-only unless {@code management.endpoint.breakers.access=unrestricted}: the actions exist only where
 * the application asked for them (and, one hopes, protected them).
 */
@WebEndpoint(id = BreakersEndpoint.ID, defaultAccess = Access.READ_ONLY)
public class BreakersEndpoint {

    /** The endpoint's id, chosen not to clash with Resilience4j's {@code circuitbreakers}. */
    public static final String ID = "breakers";

    /** The manual actions of {@link #act}. */
    public enum Action {
        /** Closed, with an empty window. */
        RESET("reset", Breaker::reset),
        /** Rejects every call until closed or reset. */
        FORCE_OPEN("force-open", Breaker::forceOpen),
        /** Lets every call through and evaluates nothing until closed or reset. */
        DISABLE("disable", Breaker::disable),
        /** Closed, with an empty window, unless already closed. */
        CLOSE("close", Breaker::close);

        private final String path;
        private final Consumer<Breaker> apply;

        Action(String path, Consumer<Breaker> apply) {
            this.path = path;
            this.apply = apply;
        }

        /** The action's path segment. */
        public String path() {
            return path;
        }

        static @Nullable Action of(String path) {
            return Arrays.stream(values()).filter(action -> action.path.equals(path)).findFirst().orElse(null);
        }

        static String validActions() {
            return Arrays.stream(values()).map(Action::path).collect(Collectors.joining(", "));
        }
    }

    private final BreakerRegistry registry;

    public BreakersEndpoint(BreakerRegistry registry) {
        this.registry = registry;
    }

    /** Every breaker, sorted by name. */
    @ReadOperation
    public BreakersDescriptor breakers() {
        Map<String, BreakerDescriptor> breakers = new LinkedHashMap<>();
        registry.all().forEach(breaker -> breakers.put(breaker.name(), BreakerDescriptor.of(breaker)));
        return new BreakersDescriptor(breakers);
    }

    /** One breaker, or {@code null} (404) if there is none of that name. */
    @ReadOperation
    public @Nullable BreakerDescriptor breaker(@Selector String name) {
        return registry.find(name).map(BreakerDescriptor::of).orElse(null);
    }

    /**
     * Applies {@code action} ({@code reset}, {@code force-open}, {@code disable} or {@code close}) to the breaker
     * called {@code name}.
     *
     * @return the breaker's new state; 400 naming the valid actions for an unknown action; 404 for an unknown
     *     breaker
     */
    @WriteOperation
    public WebEndpointResponse<OperationResponseBody> act(@Selector String name, @Selector String action) {
        Action parsed = Action.of(action);
        if (parsed == null) {
            return new WebEndpointResponse<>(new ErrorDescriptor("Unknown action '" + action
                    + "'; valid actions are " + Action.validActions()), WebEndpointResponse.STATUS_BAD_REQUEST);
        }
        Breaker breaker = registry.find(name).orElse(null);
        if (breaker == null) {
            return new WebEndpointResponse<>(new ErrorDescriptor("No breaker named '" + name + "'"),
                    WebEndpointResponse.STATUS_NOT_FOUND);
        }
        parsed.apply.accept(breaker);
        return new WebEndpointResponse<>(new StateDescriptor(breaker.name(), breaker.state().name()));
    }

    /**
     * Every breaker by name.
     *
     * @param breakers the breakers, sorted by name
     */
    public record BreakersDescriptor(Map<String, BreakerDescriptor> breakers) implements OperationResponseBody {
    }

    /**
     * A breaker's state after a manual action.
     *
     * @param name the breaker's name
     * @param state its new state
     */
    public record StateDescriptor(String name, String state) implements OperationResponseBody {
    }

    /**
     * Why a request was refused.
     *
     * @param error what was wrong and how to put it right
     */
    public record ErrorDescriptor(String error) implements OperationResponseBody {
    }
}
