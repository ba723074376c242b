package dev.breaker.spring.aop;

import dev.breaker.CallErrors;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Protects methods that return a {@link CompletionStage} or {@link CompletableFuture}: the outcome is recorded
 * when the stage completes, and a stage cancelled before it completes gives its permit back. Fallbacks may return
 * a stage or a plain value.
 */
public final class CompletionStageCallAdapter extends ContainerCallAdapter {

    public CompletionStageCallAdapter() {
        super(CompletionStage.class);
    }

    @Override
    public boolean supports(Method method) {
        Class<?> returnType = method.getReturnType();
        return returnType == CompletionStage.class || returnType == CompletableFuture.class;
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation, ProtectedCall call) throws Throwable {
        long permit = call.acquire();
        if (!ProtectedCall.isPermitted(permit)) {
            try {
                return adapt(call.rejected(invocation, permit));
            } catch (Exception rejection) {
                return CompletableFuture.failedFuture(rejection);
            }
        }
        long start = call.startTimer();
        CompletionStage<?> stage;
        try {
            stage = (CompletionStage<?>) invocation.proceed();
        } catch (Throwable error) {
            if (call.failed(permit, start, error)) {
                return adapt(call.fallBack(invocation, error));
            }
            throw error;
        }
        if (stage == null) {
            call.succeeded(permit, start, null);
            return null;
        }
        if (!call.hasFallback()) {
            stage.whenComplete((result, error) -> settle(invocation, call, permit, start, result, error, null));
            return stage;
        }
        CompletableFuture<Object> answer = new CompletableFuture<>();
        stage.whenComplete((result, error) -> settle(invocation, call, permit, start, result, error, answer));
        answer.whenComplete((result, error) -> {
            if (answer.isCancelled()) {
                stage.toCompletableFuture().cancel(true);
            }
        });
        return answer;
    }

    /**
     * Records the stage's outcome and, when the method has a fallback, completes {@code answer}: with the result,
     * from the fallback for a recorded failure, or with the error.
     */
    private static void settle(MethodInvocation invocation, ProtectedCall call, long permit, long start,
                               @Nullable Object result, @Nullable Throwable error,
                               @Nullable CompletableFuture<Object> answer) {
        if (error == null) {
            call.succeeded(permit, start, result);
            if (answer != null) {
                answer.complete(result);
            }
            return;
        }
        boolean fallBack;
        if (CallErrors.isCancellation(error)) {
            call.release(permit);
            fallBack = false;
        } else {
            fallBack = call.failed(permit, start, error);
        }
        if (answer == null) {
            return;
        }
        if (fallBack) {
            fallBackInto(answer, invocation, call, error);
        } else {
            answer.completeExceptionally(error);
        }
    }

    private static void fallBackInto(CompletableFuture<Object> answer, MethodInvocation invocation, ProtectedCall call,
                                     Throwable error) {
        try {
            CompletableFuture<?> fallback = adapt(call.fallBack(invocation, error));
            fallback.whenComplete((value, failure) -> {
                if (failure == null) {
                    answer.complete(value);
                } else {
                    answer.completeExceptionally(failure);
                }
            });
        } catch (Throwable failure) {
            answer.completeExceptionally(failure);
        }
    }

    private static CompletableFuture<?> adapt(@Nullable Object fallbackResult) {
        if (fallbackResult instanceof CompletionStage<?> stage) {
            return stage.toCompletableFuture();
        }
        return CompletableFuture.completedFuture(fallbackResult);
    }
}
