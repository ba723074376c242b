package dev.breaker.spring.priority;

import dev.breaker.Priority;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

/**
 * Sends the priority a {@code WebClient} call carries on in the {@link PriorityHeader}, unless the request names one
 * itself: the priority in the subscriber's Reactor context (such as a request's, set by {@link PriorityWebFilter}),
 * else the {@link Priority} scope of the subscribing thread.
 */
public final class PriorityExchangeFilter implements ExchangeFilterFunction {

    private final String headerName;

    public PriorityExchangeFilter(String headerName) {
        this.headerName = headerName;
    }

    @Override
    public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
        return Mono.deferContextual(context -> {
            Priority carried = BreakerPriority.of(context);
            Priority priority = carried != null ? carried : Priority.current();
            if (priority == null || request.headers().containsHeader(headerName)) {
                return next.exchange(request);
            }
            return next.exchange(ClientRequest.from(request)
                    .header(headerName, PriorityHeader.valueOf(priority)).build());
        });
    }
}
