package dev.breaker.spring.aop;

import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

import java.lang.reflect.Method;

/** Protects methods that return a plain value, a primitive or nothing: the call's outcome is known on return. */
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
}
