package dev.breaker.spring.aop;

import dev.breaker.CallTimeoutException;
import dev.breaker.Priority;
import dev.breaker.spring.priority.BreakerPriority;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.lang.reflect.Method;
import java.time.Duration;

/**
 * Protects methods that return a Reactor {@link Mono} or {@link Flux}: each subscription asks for a permit and is
 * one call. A Mono's value or completion, or a Flux's completion, is a success; an error signal is a failure. A
 * subscriber that cancels after a value was emitted ({@code take(1)}, {@code next()}, {@code blockFirst()}) got
 * what it asked for: a success. A cancel before any value gives the permit back. Fallbacks may return a publisher
 * of the same kind or a plain value.
 *
 * <p>With a timeout the breaker applies it itself, with Reactor's {@code timeout} on its shared parallel scheduler:
 * a Mono must signal its value or completion within the timeout of being subscribed, a Flux each value (and its
 * completion) within the timeout of the one before. A subscription that times out is recorded as a failure with a
 * {@link CallTimeoutException}, its source is cancelled and the fallback answers. A {@code timeout} the subscriber
 * applies downstream of the method is a cancel, not a failure: it gives the permit back.
 *
 * <p>A priority in the subscriber's context ({@link BreakerPriority}) is the call's priority; it is looked for only
 * once some call uses priorities.
 */
public final class ReactorCallAdapter extends ContainerCallAdapter {

    public ReactorCallAdapter() {
        super(Publisher.class);
    }

    @Override
    public boolean supports(Method method) {
        Class<?> returnType = method.getReturnType();
        return returnType == Mono.class || returnType == Flux.class;
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation, ProtectedCall call) throws Throwable {
        Publisher<?> source;
        try {
            source = (Publisher<?>) invocation.proceed();
        } catch (Exception error) {
            // The method failed before returning a publisher: a subscriber sees it as the call's failure.
            source = Mono.error(error);
        }
        if (source == null) {
            return null;
        }
        @SuppressWarnings("unchecked")
        Publisher<Object> publisher = (Publisher<Object>) source;
        if (invocation.getMethod().getReturnType() == Flux.class) {
            Flux<Object> flux = Flux.from(publisher);
            return Flux.deferContextual(context -> protect(invocation, call, flux, BreakerPriority.of(context)));
        }
        Mono<Object> mono = Mono.from(publisher);
        return Mono.deferContextual(context -> protect(invocation, call, mono, BreakerPriority.of(context)));
    }

    private static Mono<Object> protect(MethodInvocation invocation, ProtectedCall call, Mono<Object> source,
                                        @Nullable Priority carried) {
        long permit = call.acquire(carried);
        if (!ProtectedCall.isPermitted(permit)) {
            return asMono(rejected(invocation, call, permit));
        }
        long limit = call.timeoutNanos();
        SubscribedCall subscription = new SubscribedCall(call, permit, true, limit);
        Mono<Object> timed = limit == 0 ? source
                : source.timeout(Duration.ofNanos(limit), Mono.error(subscription::timeout), Schedulers.parallel());
        return timed
                .doOnNext(subscription::next)
                .doOnSuccess(value -> subscription.complete())
                .doOnCancel(subscription::cancel)
                .onErrorResume(error -> subscription.fail(error)
                        ? asMono(fallBack(invocation, call, error))
                        : Mono.error(error));
    }

    private static Flux<Object> protect(MethodInvocation invocation, ProtectedCall call, Flux<Object> source,
                                        @Nullable Priority carried) {
        long permit = call.acquire(carried);
        if (!ProtectedCall.isPermitted(permit)) {
            return asFlux(rejected(invocation, call, permit));
        }
        long limit = call.timeoutNanos();
        SubscribedCall subscription = new SubscribedCall(call, permit, false, limit);
        Flux<Object> timed = limit == 0 ? source
                : source.timeout(Duration.ofNanos(limit), Flux.error(subscription::timeout), Schedulers.parallel());
        return timed
                .doOnNext(subscription::next)
                .doOnComplete(subscription::complete)
                .doOnCancel(subscription::cancel)
                .onErrorResume(error -> subscription.fail(error)
                        ? asFlux(fallBack(invocation, call, error))
                        : Flux.error(error));
    }

    /** The fallback's answer to a rejection, or the rejection itself as a publisher error. */
    private static Object rejected(MethodInvocation invocation, ProtectedCall call, long rejection) {
        try {
            return call.rejected(invocation, rejection);
        } catch (Throwable error) {
            return Mono.error(error);
        }
    }

    private static Object fallBack(MethodInvocation invocation, ProtectedCall call, Throwable error) {
        try {
            return call.fallBack(invocation, error);
        } catch (Throwable failure) {
            return Mono.error(failure);
        }
    }

    @SuppressWarnings("unchecked")
    private static Mono<Object> asMono(@Nullable Object answer) {
        return answer instanceof Publisher<?> publisher ? Mono.from((Publisher<Object>) publisher)
                : Mono.justOrEmpty(answer);
    }

    @SuppressWarnings("unchecked")
    private static Flux<Object> asFlux(@Nullable Object answer) {
        return answer instanceof Publisher<?> publisher ? Flux.from((Publisher<Object>) publisher)
                : answer == null ? Flux.empty() : Flux.just(answer);
    }
}
