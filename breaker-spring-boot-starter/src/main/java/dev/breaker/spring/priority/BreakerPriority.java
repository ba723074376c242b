package dev.breaker.spring.priority;

import dev.breaker.Priority;
import org.jspecify.annotations.Nullable;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

import java.util.Objects;
import java.util.function.Function;

/**
 * The priority of reactive calls, carried in the Reactor context: what a {@link Priority} scope is for blocking code.
 * {@code mono.contextWrite(BreakerPriority.withPriority(Priority.SHEDDABLE))} gives the calls of every
 * {@code @CircuitBreaker} method subscribed to upstream of it that priority; it wins over the method's annotation.
 */
public final class BreakerPriority {

    /** The key of the priority in the Reactor context. */
    public static final String CONTEXT_KEY = "dev.breaker.priority";

    private BreakerPriority() {
    }

    /** A context update, for {@code contextWrite}, that gives the calls subscribed upstream {@code priority}. */
    public static Function<Context, Context> withPriority(Priority priority) {
        Objects.requireNonNull(priority, "priority");
        Priority.markInUse();
        return context -> context.put(CONTEXT_KEY, priority);
    }

    /** The priority {@code context} carries, or {@code null}; never looks while no call uses priorities. */
    public static @Nullable Priority of(ContextView context) {
        if (!Priority.inUse()) {
            return null;
        }
        Object priority = context.getOrDefault(CONTEXT_KEY, null);
        return priority instanceof Priority carried ? carried : null;
    }
}
