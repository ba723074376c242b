package dev.breaker.spring.aop;

import dev.breaker.CallErrors;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ReflectionUtils;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Comparator;
import java.util.List;

/**
 * The fallback of a protected method: one or more methods of the same name, tried most specific exception type
 * first; a method without an exception parameter takes any error.
 */
final class FallbackMethod {

    /*
     * Implementation notes.
     *
     * Each candidate is called through a method handle of one shape, (target, the protected call's arguments,
     * error) -> result, made once here: the arguments array Spring already holds is spread into the call, the
     * error is passed or dropped, a static method ignores the target. So answering a call allocates nothing of its
     * own (Method.invoke needed an array of the arguments plus the error per call: measured 24 B for one
     * fallback(Throwable)), and the fallback's own exceptions arrive unwrapped.
     */

    private record Candidate(MethodHandle handle, @Nullable Class<?> errorType) {
    }

    private static final MethodType SHAPE = MethodType.methodType(Object.class, Object.class, Object[].class,
            Throwable.class);

    private final List<Candidate> candidates;

    FallbackMethod(List<Method> methods, int protectedParameterCount) {
        this.candidates = methods.stream()
                .sorted(Comparator.comparingInt((Method m) -> specificity(errorType(m, protectedParameterCount)))
                        .reversed())
                .map(m -> new Candidate(handle(m, protectedParameterCount), errorType(m, protectedParameterCount)))
                .toList();
    }

    private static @Nullable Class<?> errorType(Method method, int protectedParameterCount) {
        return method.getParameterCount() > protectedParameterCount
                ? method.getParameterTypes()[protectedParameterCount] : null;
    }

    /** {@code method} as a handle of {@link #SHAPE}. */
    private static MethodHandle handle(Method method, int protectedParameterCount) {
        ReflectionUtils.makeAccessible(method);
        MethodHandle handle;
        try {
            handle = MethodHandles.lookup().unreflect(method);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Fallback method " + method + " cannot be called: " + e.getMessage(), e);
        }
        if (Modifier.isStatic(method.getModifiers())) {
            handle = MethodHandles.dropArguments(handle, 0, Object.class);
        }
        if (method.getParameterCount() == protectedParameterCount) {
            handle = MethodHandles.dropArguments(handle, handle.type().parameterCount(), Throwable.class);
        }
        MethodType generic = MethodType.genericMethodType(protectedParameterCount + 1)
                .appendParameterTypes(Throwable.class);
        return handle.asType(generic).asSpreader(1, Object[].class, protectedParameterCount).asType(SHAPE);
    }

    /** Deeper exception types are more specific; a fallback without one takes anything and comes last. */
    private static int specificity(@Nullable Class<?> errorType) {
        int depth = 0;
        for (Class<?> type = errorType; type != null; type = type.getSuperclass()) {
            depth++;
        }
        return depth;
    }

    /** Whether some candidate takes {@code error}. */
    boolean handles(Throwable error) {
        Throwable cause = CallErrors.unwrap(error);
        return cause instanceof Exception && candidateFor(cause) != null;
    }

    /**
     * Calls the most specific candidate that takes {@code error} on {@code target} with {@code arguments}, and the
     * error if it declares an exception parameter.
     */
    @Nullable Object invoke(@Nullable Object target, @Nullable Object[] arguments, Throwable error)
            throws Throwable {
        Throwable cause = CallErrors.unwrap(error);
        Candidate candidate = candidateFor(cause);
        if (candidate == null) {
            throw error;
        }
        return (Object) candidate.handle().invokeExact(target, arguments, cause);
    }

    private @Nullable Candidate candidateFor(Throwable error) {
        for (Candidate candidate : candidates) {
            if (candidate.errorType() == null || candidate.errorType().isInstance(error)) {
                return candidate;
            }
        }
        return null;
    }
}
