package dev.breaker.spring.aop;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * The attempts of a method that returns a {@code Mono} or {@code Flux}: each subscription invokes the method and
 * subscribes to what it returns; a failed one is made again after the policy's wait. Apart from
 * {@link RetryingInvocation} so that Reactor is loaded only for such methods.
 */
final class ReactorAttempts {

    private ReactorAttempts() {
    }

    static boolean isFlux(Method method) {
        return method.getReturnType() == Flux.class;
    }

    static Object mono(RetryingInvocation attempts, RetryPolicy policy, Predicate<Throwable> retries) {
        return Mono.from(Flux.defer(() -> publisher(attempts))).retryWhen(spec(policy, retries));
    }

    static Object flux(RetryingInvocation attempts, RetryPolicy policy, Predicate<Throwable> retries) {
        return Flux.defer(() -> publisher(attempts)).retryWhen(spec(policy, retries));
    }

    @SuppressWarnings("unchecked")
    private static Publisher<Object> publisher(RetryingInvocation attempts) {
        Object published;
        try {
            published = attempts.attempt();
        } catch (Throwable error) {
            return Mono.error(error);
        }
        return published == null ? Mono.empty() : (Publisher<Object>) published;
    }

    private static Retry spec(RetryPolicy policy, Predicate<Throwable> retries) {
        return Retry.from(signals -> signals.concatMap(signal -> {
            int failedAttempts = (int) Math.min(Integer.MAX_VALUE, signal.totalRetries() + 1);
            if (failedAttempts >= policy.maxAttempts() || !retries.test(signal.failure())) {
                return Mono.error(signal.failure());
            }
            return Mono.delay(Duration.ofNanos(policy.delayNanos(failedAttempts)));
        }));
    }
}
