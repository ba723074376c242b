package dev.breaker.spring.aop;

import dev.breaker.CallErrors;
import dev.breaker.CallTimeoutException;
import dev.breaker.TimeLimit;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

/**
 * Protects methods that return a {@link CompletionStage} or {@link CompletableFuture}: the outcome is recorded
 * when the stage completes, and a stage cancelled before it completes gives its permit back. Fallbacks may return
 * a stage or a plain value.
 *
 * <p>Without a fallback the caller gets the method's own stage, so whoever completes it decides the outcome: a
 * value the caller puts in ({@code complete}, {@code completeOnTimeout}) is recorded as a success, an error
 * ({@code orTimeout}) as a failure, a cancel gives the permit back. With a fallback the caller gets an answer of
 * its own; completing it before the method's stage completes cancels that stage and ends the call: an error the
 * caller puts in ({@code orTimeout}) is recorded as the call's failure, a value or a cancel gives the permit back.
 *
 * <p>With a timeout the caller always gets an answer of its own. If the method's stage has not completed when the
 * timeout passes (counted from when the method returned it), the call is recorded as a failure with a
 * {@link CallTimeoutException}, the stage is cancelled, and the answer comes from the fallback or fails with the
 * exception. The timeouts of all calls share one scheduler thread (the core's {@link TimeLimit}), on which the
 * timed-out answer is completed, as {@code orTimeout} completes on the JDK's: keep what runs there quick.
 */
public final class CompletionStageCallAdapter extends ContainerCallAdapter {

    /** Runs a task after a delay, cancellably: the core's shared {@link TimeLimit#schedule}, or a test's. */
    @FunctionalInterface
    interface Scheduler {
        Future<?> schedule(long nanos, Runnable task);
    }

    private final Scheduler scheduler;

    public CompletionStageCallAdapter() {
        this(TimeLimit::schedule);
    }

    CompletionStageCallAdapter(Scheduler scheduler) {
        super(CompletionStage.class);
        this.scheduler = scheduler;
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
        long limit = call.timeoutNanos();
        long start = call.startTimer(limit);
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
        if (!call.hasFallback() && limit == 0) {
            stage.whenComplete((result, error) -> end(call, permit, start, result, error));
            return stage;
        }
        return new AnsweredCall(invocation, call, permit, start, limit, stage).answer(scheduler);
    }

    /**
     * Ends the call of {@code permit} with its stage's outcome: records a result or an error, gives the permit back
     * for a cancellation.
     *
     * @return whether the fallback answers: the error is a recorded failure that the fallback takes
     */
    private static boolean end(ProtectedCall call, long permit, long start, @Nullable Object result,
                               @Nullable Throwable error) {
        if (error == null) {
            call.succeeded(permit, start, result);
            return false;
        }
        if (CallErrors.isCancellation(error)) {
            call.release(permit);
            return false;
        }
        return call.failed(permit, start, error);
    }

    /**
     * A call of a method with a fallback or a timeout: the method's stage, and the answer the caller gets.
     * Whichever comes first ends the call's permit, in one atomic step: the stage completing, the caller completing
     * the answer, or the timeout passing; the others find it ended and leave it alone.
     */
    private static final class AnsweredCall {

        private static final VarHandle ENDED;

        static {
            try {
                ENDED = MethodHandles.lookup().findVarHandle(AnsweredCall.class, "ended", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final MethodInvocation invocation;
        private final ProtectedCall call;
        private final long permit;
        private final long start;
        /** The time the stage may take, in nanoseconds; 0 for no limit. */
        private final long limit;
        private final CompletionStage<?> stage;
        private final CompletableFuture<Object> answer = new CompletableFuture<>();
        /** Set, through {@link #ENDED}, by the side that ends the call. */
        private volatile boolean ended;
        /** The timeout's scheduled task, cancelled by the side that ends the call first; null without a timeout. */
        private volatile @Nullable Future<?> timer;

        AnsweredCall(MethodInvocation invocation, ProtectedCall call, long permit, long start, long limit,
                     CompletionStage<?> stage) {
            this.invocation = invocation;
            this.call = call;
            this.permit = permit;
            this.start = start;
            this.limit = limit;
            this.stage = stage;
        }

        /**
         * The answer for the caller, completed from the method's stage unless the caller completes it first or the
         * limit passes first.
         */
        CompletableFuture<Object> answer(Scheduler scheduler) {
            stage.whenComplete(this::stageCompleted);
            answer.whenComplete(this::answerCompleted);
            if (limit > 0 && !ended) {
                Future<?> scheduled = scheduler.schedule(limit, this::timeLimitPassed);
                timer = scheduled;
                if (ended) {
                    // Ended while being scheduled: the side that ended it may have found no timer to cancel.
                    scheduled.cancel(false);
                }
            }
            return answer;
        }

        /** Claims the end of the call, and cancels the timeout; false if another side ended it first. */
        private boolean claim() {
            if (ended || !ENDED.compareAndSet(this, false, true)) {
                return false;
            }
            Future<?> scheduled = timer;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
            return true;
        }

        /** The timeout passed first: records it as a failure, cancels the stage, answers from the fallback. */
        private void timeLimitPassed() {
            if (!claim()) {
                return;
            }
            CallTimeoutException timeout = call.timeoutOf(limit);
            boolean fallBack = call.timedOut(permit, start, timeout);
            cancel(stage);
            if (fallBack) {
                fallBack(timeout);
            } else {
                answer.completeExceptionally(timeout);
            }
        }

        /** Records the method's outcome and answers with it, or from the fallback for a recorded failure. */
        private void stageCompleted(@Nullable Object result, @Nullable Throwable error) {
            if (!claim()) {
                return;
            }
            boolean fallBack = end(call, permit, start, result, error);
            if (error == null) {
                answer.complete(result);
            } else if (fallBack) {
                fallBack(error);
            } else {
                answer.completeExceptionally(error);
            }
        }

        /** The caller completed the answer before the method's stage did: ends the call and cancels the stage. */
        private void answerCompleted(@Nullable Object result, @Nullable Throwable error) {
            if (!claim()) {
                return;
            }
            if (error == null || CallErrors.isCancellation(error)) {
                call.release(permit);
            } else {
                call.failed(permit, start, error);
            }
            cancel(stage);
        }

        private void fallBack(Throwable error) {
            try {
                adapt(call.fallBack(invocation, error)).whenComplete((value, failure) -> {
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
    }

    private static void cancel(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().cancel(true);
        } catch (UnsupportedOperationException cannotCancel) {
            // A stage that cannot be converted cannot be cancelled either; its completion now changes nothing.
        }
    }

    private static CompletableFuture<?> adapt(@Nullable Object fallbackResult) {
        if (fallbackResult instanceof CompletionStage<?> stage) {
            return stage.toCompletableFuture();
        }
        return CompletableFuture.completedFuture(fallbackResult);
    }
}
