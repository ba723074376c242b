package dev.breaker.spring.aop;

import java.lang.reflect.Method;

/**
 * A {@code @CircuitBreaker} method that cannot be protected as annotated (a method no proxy intercepts, a missing or
 * unfit fallback, an invalid timeout or retry); stops the application at startup with a message naming the method and
 * what is wrong, and an action saying what to do.
 */
public abstract class InvalidAnnotatedMethodException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient Method method;
    private final String action;

    InvalidAnnotatedMethodException(Method method, String message, String action) {
        super(message);
        this.method = method;
        this.action = action;
    }

    /** The annotated method. */
    public Method method() {
        return method;
    }

    /** What to do about it. */
    public String action() {
        return action;
    }
}
