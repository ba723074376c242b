package dev.breaker.spring.aop;

import dev.breaker.CallTimeoutException;
import dev.breaker.TimeLimit;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

import java.lang.reflect.Method;

/**
 * Protects methods that return a plain value, a primitive or nothing: the call's outcome is known on return. A call
 * that took longer than its timeout is a failure when it returns: its value (or error) is dropped and the fallback
 * answers, or the {@link CallTimeoutException} is thrown. With {@code timeout-interrupt} the calling
 * thread is interrupted when the timeout passes, and the interrupt is cleared once the call has returned.
 */
public final class BlockingCallAdapter implements CallAdapter {

    @Override
    public boolean supports(Method method) {
        return true;
    }

    @Override
    public boolean acceptsFallbackReturnType(Method method, Class<?> fallbackReturnType) {
        Class<?> returnType = method.getReturnType();
        if (returnType == void.class) {
            return fallbackReturnType == void.class;
        }
        return fallbackReturnType != void.class && ClassUtils.isAssignable(returnType, fallbackReturnType);
    }

    @Override
    public String acceptedFallbackReturnTypes(Method method) {
        return method.getReturnType().getSimpleName();
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation, ProtectedCall call) throws Throwable {
        long permit = call.acquire();
        if (!ProtectedCall.isPermitted(permit)) {
            return call.rejected(invocation, permit);
        }
        long limit = call.timeoutNanos();
        if (limit > 0) {
            return invokeTimed(invocation, call, permit, limit);
        }
        long start = call.startTimer();
        Object result;
        try {
            result = invocation.proceed();
        } catch (Throwable error) {
            if (call.failed(permit, start, error)) {
                return call.fallBack(invocation, error);
            }
            throw error;
        }
        call.succeeded(permit, start, result);
        return result;
    }

    /** A call that may take {@code limit} nanoseconds; its interruption, if armed, ends before anything else. */
    private static @Nullable Object invokeTimed(MethodInvocation invocation, ProtectedCall call, long permit,
                                                long limit) throws Throwable {
        long start = call.startTimer(limit);
        TimeLimit.Interruption interruption = call.interruptAfter(limit);
        Object result;
        try {
            result = invocation.proceed();
        } catch (Throwable error) {
            boolean interrupted = ended(interruption);
            // An error of a call that outlived its limit is most likely the interruption's doing: a timeout.
            if (!(error instanceof Error) && (interrupted || call.outlived(start, limit))) {
                return timedOut(invocation, call, permit, start, limit);
            }
            if (call.failed(permit, start, error)) {
                return call.fallBack(invocation, error);
            }
            throw error;
        }
        boolean interrupted = ended(interruption);
        if (interrupted || call.outlived(start, limit)) {
            return timedOut(invocation, call, permit, start, limit);
        }
        call.succeeded(permit, start, result);
        return result;
    }

    /** Ends the call's interruption, if armed: whether it interrupted the call (the limit passed). */
    private static boolean ended(TimeLimit.@Nullable Interruption interruption) {
        return interruption != null && interruption.end();
    }

    private static @Nullable Object timedOut(MethodInvocation invocation, ProtectedCall call, long permit, long start,
                                             long limit) throws Throwable {
        CallTimeoutException timeout = call.timeoutOf(limit);
        if (call.timedOut(permit, start, timeout)) {
            return call.fallBack(invocation, timeout);
        }
        throw timeout;
    }
}
