package dev.breaker.spring.aop;

import dev.breaker.CallErrors;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ReflectionUtils;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Comparator;
import java.util.List;

/**
 * The fallback of a protected method: one or more methods of the same name, tried most specific exception type
 * first; a method without an exception parameter takes any error.
 */
final class FallbackMethod {

    private record Candidate(Method method, @Nullable Class<?> errorType) {
    }

    private final List<Candidate> candidates;

    FallbackMethod(List<Method> methods, int protectedParameterCount) {
        this.candidates = methods.stream()
                .map(m -> new Candidate(m, m.getParameterCount() > protectedParameterCount
                        ? m.getParameterTypes()[protectedParameterCount] : null))
                .sorted(Comparator.comparingInt(FallbackMethod::specificity).reversed())
                .toList();
        candidates.forEach(c -> ReflectionUtils.makeAccessible(c.method()));
    }

    /** Deeper exception types are more specific; a fallback without one takes anything and comes last. */
    private static int specificity(Candidate candidate) {
        int depth = 0;
        for (Class<?> type = candidate.errorType(); type != null; type = type.getSuperclass()) {
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
        Object[] actual = arguments;
        if (candidate.errorType() != null) {
            actual = new Object[arguments.length + 1];
            System.arraycopy(arguments, 0, actual, 0, arguments.length);
            actual[arguments.length] = cause;
        }
        try {
            return candidate.method().invoke(target, actual);
        } catch (InvocationTargetException e) {
            throw e.getTargetException();
        }
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
