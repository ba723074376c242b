package dev.breaker.cloud;

import dev.breaker.Breaker;
import dev.breaker.spring.aop.BreakerCallOutcomes;
import dev.breaker.spring.aop.SubscribedCall;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreaker;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Spring Cloud's {@link ReactiveCircuitBreakerFactory} on Breaker, as {@link BreakerCircuitBreakerFactory}: each
 * subscription is one call, with one permit, recorded as for an annotated method that returns the publisher.
 */
public final class BreakerReactiveCircuitBreakerFactory
        extends ReactiveCircuitBreakerFactory<BreakerCloudConfig, BreakerCloudConfig.Builder> {

    private final CloudBreakers breakers;

    BreakerReactiveCircuitBreakerFactory(CloudBreakers breakers) {
        this.breakers = breakers;
    }

    @Override
    public ReactiveCircuitBreaker create(String id) {
        return new BreakerReactiveCircuitBreaker(new BreakerCallOutcomes(breakers.breaker(id)));
    }

    @Override
    protected BreakerCloudConfig.Builder configBuilder(String id) {
        return new BreakerCloudConfig.Builder();
    }

    /** Adjusts the configuration of the breakers called {@code ids}, now and when they are made. */
    @Override
    public void configure(Consumer<BreakerCloudConfig.Builder> consumer, String... ids) {
        breakers.configure(consumer, ids);
    }

    /** Adjusts the configuration of every breaker asked for through a factory that has none of its own. */
    @Override
    public void configureDefault(Function<String, BreakerCloudConfig> defaultConfiguration) {
        breakers.configureDefault(defaultConfiguration);
    }

    /**
     * One breaker as Spring Cloud's {@link ReactiveCircuitBreaker}: a rejected subscription, and one that fails with
     * an error the breaker records as a failure, are answered by the fallback; other errors propagate.
     */
    private record BreakerReactiveCircuitBreaker(BreakerCallOutcomes outcomes) implements ReactiveCircuitBreaker {

        @Override
        public <T> Mono<T> run(Mono<T> toRun, Function<Throwable, Mono<T>> fallback) {
            return Mono.defer(() -> {
                Breaker breaker = outcomes.breaker();
                long permit = breaker.acquirePermit();
                if (!Breaker.isPermitted(permit)) {
                    return fallback.apply(breaker.rejection(permit));
                }
                SubscribedCall call = new SubscribedCall(outcomes, permit, true);
                return toRun.doOnNext(call::next)
                        .doOnSuccess(value -> call.complete())
                        .doOnCancel(call::cancel)
                        .onErrorResume(error -> call.fail(error) ? fallback.apply(error) : Mono.error(error));
            });
        }

        @Override
        public <T> Flux<T> run(Flux<T> toRun, Function<Throwable, Flux<T>> fallback) {
            return Flux.defer(() -> {
                Breaker breaker = outcomes.breaker();
                long permit = breaker.acquirePermit();
                if (!Breaker.isPermitted(permit)) {
                    return fallback.apply(breaker.rejection(permit));
                }
                SubscribedCall call = new SubscribedCall(outcomes, permit, false);
                return toRun.doOnNext(call::next)
                        .doOnComplete(call::complete)
                        .doOnCancel(call::cancel)
                        .onErrorResume(error -> call.fail(error) ? fallback.apply(error) : Flux.error(error));
            });
        }
    }
}
