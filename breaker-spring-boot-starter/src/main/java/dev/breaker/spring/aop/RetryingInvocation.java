package dev.breaker.spring.aop;

import dev.breaker.CallErrors;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.ProxyMethodInvocation;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One call of a method with a {@link RetryPolicy}, as its {@link CallAdapter} sees it: proceeding makes every
 * attempt, and what it returns or throws is the last attempt's. The adapter asks the breaker for one permit and
 * records one outcome around all of them. Each attempt proceeds from a copy of the invocation, so advice inside
 * the breaker's (a transaction) runs again for each.
 */
final class RetryingInvocation implements MethodInvocation {

    /** How a method's attempts are chained, by what it returns. */
    enum Kind {
        /** A plain value: attempts on the calling thread, which waits in between. */
        BLOCKING,
        /** A {@code CompletionStage}: the next attempt starts on a delayed executor when one fails. */
        STAGE,
        /** A {@code Mono}: each subscription invokes the method, and is made again after a delay. Needs Reactor. */
        MONO,
        /** A {@code Flux}, as a {@code Mono}. */
        FLUX
    }

    private final MethodInvocation invocation;
    private final RetryPolicy policy;
    private final Kind kind;
    private final Predicate<Throwable> retries;

    /** @param retries whether an attempt that failed with an error may be followed by another */
    RetryingInvocation(MethodInvocation invocation, RetryPolicy policy, Kind kind, Predicate<Throwable> retries) {
        this.invocation = invocation;
        this.policy = policy;
        this.kind = kind;
        this.retries = retries;
    }

    /**
     * How the attempts of a method handled by {@code adapter} are chained.
     *
     * @throws InvalidRetryException for a method whose return type has no way to attempt again
     */
    static Kind kindOf(CallAdapter adapter, Method method) {
        if (adapter instanceof BlockingCallAdapter) {
            return Kind.BLOCKING;
        }
        if (adapter instanceof CompletionStageCallAdapter) {
            return Kind.STAGE;
        }
        if (adapter instanceof ReactorCallAdapter) {
            return ReactorAttempts.isFlux(method) ? Kind.FLUX : Kind.MONO;
        }
        throw new InvalidRetryException(method, "@CircuitBreaker(retry = @Retry(...)) on " + method
                + " cannot be applied: retry supports plain values, CompletionStage, Mono and Flux, but "
                + adapter.getClass().getSimpleName() + " handles " + method.getReturnType().getSimpleName()
                + ". Retry inside the method, or remove retry.");
    }

    @Override
    public @Nullable Object proceed() throws Throwable {
        return switch (kind) {
            case BLOCKING -> blocking();
            case STAGE -> new StagedAttempts().start();
            case MONO -> ReactorAttempts.mono(this, policy, retries);
            case FLUX -> ReactorAttempts.flux(this, policy, retries);
        };
    }

    private @Nullable Object blocking() throws Throwable {
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt();
            } catch (Throwable error) {
                if (attempt >= policy.maxAttempts() || !retries.test(error)) {
                    throw error;
                }
                try {
                    TimeUnit.NANOSECONDS.sleep(policy.delayNanos(attempt));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw error;
                }
            }
        }
    }

    /** One attempt: the rest of the interceptor chain and the method, from a copy of the invocation. */
    @Nullable Object attempt() throws Throwable {
        if (invocation instanceof ProxyMethodInvocation proxied) {
            return proxied.invocableClone().proceed();
        }
        throw new IllegalStateException("Cannot attempt " + invocation.getMethod() + " again: its invocation "
                + invocation.getClass().getName() + " cannot be copied");
    }

    /** The attempts of a method that returns a stage: one result, completed by the last attempt. */
    private final class StagedAttempts {

        private final CompletableFuture<Object> result = new CompletableFuture<>();
        private volatile @Nullable CompletionStage<?> current;

        CompletableFuture<Object> start() {
            // A caller who cancels the result cancels the attempt under way, and no other starts.
            result.whenComplete((value, error) -> {
                CompletionStage<?> running = current;
                if (error != null && CallErrors.isCancellation(error) && running != null) {
                    running.toCompletableFuture().cancel(true);
                }
            });
            attempt(1);
            return result;
        }

        private void attempt(int attempt) {
            if (result.isDone()) {
                return;
            }
            CompletionStage<?> stage;
            try {
                stage = (CompletionStage<?>) RetryingInvocation.this.attempt();
            } catch (Throwable error) {
                failed(attempt, error);
                return;
            }
            if (stage == null) {
                result.complete(null);
                return;
            }
            current = stage;
            stage.whenComplete((value, error) -> {
                if (error == null) {
                    result.complete(value);
                } else {
                    failed(attempt, CallErrors.unwrap(error));
                }
            });
        }

        private void failed(int attempt, Throwable error) {
            if (attempt >= policy.maxAttempts() || CallErrors.isCancellation(error) || !retries.test(error)) {
                result.completeExceptionally(error);
                return;
            }
            CompletableFuture.delayedExecutor(policy.delayNanos(attempt), TimeUnit.NANOSECONDS)
                    .execute(() -> attempt(attempt + 1));
        }
    }

    @Override
    public Method getMethod() {
        return invocation.getMethod();
    }

    @Override
    public Object[] getArguments() {
        return invocation.getArguments();
    }

    @Override
    public @Nullable Object getThis() {
        return invocation.getThis();
    }

    @Override
    public AccessibleObject getStaticPart() {
        return invocation.getStaticPart();
    }
}
