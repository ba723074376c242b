package dev.breaker.spring.http;

import dev.breaker.Breaker;
import dev.breaker.spring.aop.SubscribedCall;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

/**
 * Protects each exchange of a {@code WebClient} with the breaker of its host, one permit per subscription: a
 * rejected exchange fails at once with the breaker's {@link dev.breaker.CallNotPermittedException}; the response's
 * status or the error is recorded; an exchange cancelled before its response gives its permit back.
 */
public final class BreakerExchangeFilterFunction implements ExchangeFilterFunction {

    private final HostBreakers hosts;

    public BreakerExchangeFilterFunction(HostBreakers hosts) {
        this.hosts = hosts;
    }

    @Override
    public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
        return Mono.defer(() -> {
            HostBreaker host = hosts.forHost(HostOf.request(request.url()));
            long permit = host.acquire();
            if (!Breaker.isPermitted(permit)) {
                return Mono.error(host.breaker().rejection(permit));
            }
            SubscribedCall call = new SubscribedCall(host, permit, true);
            return next.exchange(request)
                    .doOnNext(response -> call.next(response.statusCode()))
                    .doOnSuccess(response -> call.complete())
                    .doOnCancel(call::cancel)
                    .doOnError(call::fail);
        });
    }
}
