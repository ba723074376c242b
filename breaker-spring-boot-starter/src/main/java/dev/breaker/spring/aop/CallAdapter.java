package dev.breaker.spring.aop;

import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import java.lang.reflect.Method;

/**
 * Protects calls of methods with a particular kind of return type: plain values, {@code CompletionStage}s,
 * Reactor publishers. Declare a bean to support another kind; adapters are asked in order and the first that
 * {@linkplain #supports supports} a method handles it.
 */
public interface CallAdapter {

    /** Whether this adapter handles {@code method}, judged by its return type. */
    boolean supports(Method method);

    /** Whether a fallback returning {@code fallbackReturnType} can answer for {@code method}. */
    boolean acceptsFallbackReturnType(Method method, Class<?> fallbackReturnType);

    /** The fallback return types accepted for {@code method}, for error messages: {@code "int"}. */
    String acceptedFallbackReturnTypes(Method method);

    /**
     * Calls {@code invocation} under {@code call}'s breaker: asks permission, records the outcome, answers
     * rejected and failed calls from the fallback where one applies.
     */
    @Nullable Object invoke(MethodInvocation invocation, ProtectedCall call) throws Throwable;
}
