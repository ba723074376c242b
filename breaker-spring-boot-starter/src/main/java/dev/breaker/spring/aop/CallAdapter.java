package dev.breaker.spring.aop;

import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import java.lang.reflect.Method;

/**
 * Protects calls of methods with a particular kind of return type: plain values, {@code CompletionStage}s,
 * Reactor publishers. Declare a bean to support another kind; adapters are asked in bean order (the built-in
 * {@link BlockingCallAdapter}, which takes any method, always last) and the first that {@linkplain #supports
 * supports} a method handles every call of it.
 *
 * <p>To write one: extend {@link ContainerCallAdapter} for a type that holds a value to come (it checks fallback
 * return types), or implement this interface. {@link #invoke} makes each call through the {@link ProtectedCall}
 * it is given, following the protocol described there: one permit per call, ended exactly once, also when the
 * caller abandons the call, and the call's timeout applied where the type allows it. The built-in adapters are
 * final; reuse them by delegation, not inheritance.
 */
public interface CallAdapter {

    /** Whether this adapter handles {@code method}, judged by its return type. Asked once per method. */
    boolean supports(Method method);

    /** Whether a fallback returning {@code fallbackReturnType} can answer for {@code method}. Asked at startup. */
    boolean acceptsFallbackReturnType(Method method, Class<?> fallbackReturnType);

    /** The fallback return types accepted for {@code method}, for error messages: {@code "int"}. */
    String acceptedFallbackReturnTypes(Method method);

    /**
     * Calls {@code invocation} under {@code call}'s breaker: asks permission, records the outcome, answers
     * rejected and failed calls from the fallback where one applies. Called for every call, on the caller's
     * thread; keep it free of locks and, for plain values, of allocation.
     */
    @Nullable Object invoke(MethodInvocation invocation, ProtectedCall call) throws Throwable;
}
