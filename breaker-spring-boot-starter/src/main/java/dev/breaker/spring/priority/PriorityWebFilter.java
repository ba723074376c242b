package dev.breaker.spring.priority;

import dev.breaker.Priority;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Gives the calls a WebFlux request makes the priority of its {@link PriorityHeader}, in the Reactor context
 * ({@link BreakerPriority}), where the {@code @CircuitBreaker} methods the request subscribes to find it.
 */
public final class PriorityWebFilter implements WebFilter {

    private final PriorityHeader header;

    public PriorityWebFilter(PriorityHeader header) {
        this.header = header;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        Priority priority = header.priorityOf(exchange.getRequest().getHeaders().getFirst(header.name()));
        Mono<Void> rest = chain.filter(exchange);
        return priority == null ? rest : rest.contextWrite(BreakerPriority.withPriority(priority));
    }
}
