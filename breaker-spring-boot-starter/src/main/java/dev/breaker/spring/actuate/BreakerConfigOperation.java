package dev.breaker.spring.actuate;

import dev.breaker.Breaker;
import dev.breaker.spring.reconfigure.BreakerRefresher;
import dev.breaker.spring.reconfigure.InvalidBreakerOptionsException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.InvocationContext;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvoker;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvokerAdvisor;
import org.springframework.boot.actuate.endpoint.invoke.OperationParameter;
import org.springframework.boot.actuate.endpoint.invoke.OperationParameters;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import java.security.Principal;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code POST /actuator/breakers/{name}/config}: sets options of one breaker while the application runs, keeping
 * its state (see {@link BreakerRefresher#override}). The JSON body holds the options in property form, relative to
 * the breaker: {@code {"failure-rate-threshold": 20, "sliding-window.size": 50}}; {@code null} takes back an option
 * set earlier. Answers the breaker as {@code GET} describes it; 400 listing each invalid option with its reason,
 * and then nothing changed; 404 for an unknown breaker. Like the endpoint's other writes, it exists only with
 * {@code management.endpoint.breakers.access=unrestricted}.
 */
/*
 * Implementation notes: the options are the keys of the body, and Actuator passes the keys of a body as the
 * arguments of the same names, which an operation cannot declare for every option. The endpoint's write operation
 * already answers {name}/{action}, so this advisor takes its invocations whose action is "config", with all their
 * arguments, and leaves the others to the operation. The advisor sees only operations Actuator kept, so with
 * read-only access there is nothing to take.
 */
public final class BreakerConfigOperation implements OperationInvokerAdvisor {

    /** The action segment of the path. */
    public static final String ACTION = "config";

    private static final EndpointId ENDPOINT = EndpointId.of(BreakersEndpoint.ID);

    private final BreakerRefresher refresher;
    private final BreakersEndpoint endpoint;

    /** @param endpoint the endpoint whose writes this takes, which describes the breaker in the answer */
    public BreakerConfigOperation(BreakerRefresher refresher, BreakersEndpoint endpoint) {
        this.refresher = refresher;
        this.endpoint = endpoint;
    }

    @Override
    public OperationInvoker apply(EndpointId endpointId, OperationType operationType, OperationParameters parameters,
                                  OperationInvoker invoker) {
        if (!endpointId.equals(ENDPOINT) || operationType != OperationType.WRITE) {
            return invoker;
        }
        Set<String> declared = parameters.stream().map(OperationParameter::getName).collect(Collectors.toSet());
        return context -> ACTION.equals(context.getArguments().get("action"))
                ? configure(context, declared) : invoker.invoke(context);
    }

    private WebEndpointResponse<OperationResponseBody> configure(InvocationContext context, Set<String> declared) {
        String name = String.valueOf(context.getArguments().get("name"));
        Map<String, @Nullable String> options = new LinkedHashMap<>();
        context.getArguments().forEach((key, value) -> {
            if (!declared.contains(key)) {
                options.put(key, asString(value));
            }
        });
        if (options.isEmpty()) {
            return new WebEndpointResponse<>(new BreakersEndpoint.ErrorDescriptor("Give the options to change as a "
                    + "JSON body in property form, such as {\"failure-rate-threshold\": 20, \"sliding-window.size\": "
                    + "50}"), WebEndpointResponse.STATUS_BAD_REQUEST);
        }
        Principal principal = context.resolveArgument(Principal.class);
        String source = principal == null ? "endpoint" : "endpoint:" + principal.getName();
        try {
            Breaker breaker = refresher.override(name, options, source);
            return new WebEndpointResponse<>(endpoint.describe(breaker));
        } catch (NoSuchElementException e) {
            return new WebEndpointResponse<>(new BreakersEndpoint.ErrorDescriptor(e.getMessage()),
                    WebEndpointResponse.STATUS_NOT_FOUND);
        } catch (InvalidBreakerOptionsException e) {
            return new WebEndpointResponse<>(new InvalidOptionsDescriptor("Invalid options for breaker '" + name
                    + "'; nothing changed", e.problems()), WebEndpointResponse.STATUS_BAD_REQUEST);
        }
    }

    private static @Nullable String asString(@Nullable Object value) {
        if (value instanceof Collection<?> values) {
            return values.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return value == null ? null : value.toString();
    }

    /**
     * Why options were refused.
     *
     * @param error what was wrong
     * @param problems each refused option: as given, its full property key, its value and the rule it breaks
     */
    public record InvalidOptionsDescriptor(String error, List<InvalidBreakerOptionsException.Problem> problems)
            implements OperationResponseBody {
    }
}
