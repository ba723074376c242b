package dev.breaker.spring.actuate;

import dev.breaker.Breaker;
import dev.breaker.BreakerRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The {@code circuitbreakers} endpoint: every breaker's state, figures and configuration, and manual control. An
 * unknown name answers 404 and never creates a breaker.
 */
@Endpoint(id = "circuitbreakers")
public class BreakersEndpoint {

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

        static Action of(String path) {
            return Arrays.stream(values()).filter(action -> action.path.equals(path)).findFirst()
                    .orElseThrow(() -> new InvalidEndpointRequestException("Unknown action '" + path
                            + "'; valid actions are " + validActions(), "Unknown breaker action"));
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
     * @return the breaker's new state, or {@code null} (404) if there is no breaker of that name
     * @throws InvalidEndpointRequestException (400) for an unknown action, naming the valid ones
     */
    @WriteOperation
    public @Nullable StateDescriptor act(@Selector String name, @Selector String action) {
        Action parsed = Action.of(action);
        Breaker breaker = registry.find(name).orElse(null);
        if (breaker == null) {
            return null;
        }
        parsed.apply.accept(breaker);
        return new StateDescriptor(breaker.name(), breaker.state().name());
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
}
