package dev.breaker.spring.aop;

import java.lang.reflect.Method;

/** A {@code @CircuitBreaker} names a fallback method that does not exist or does not fit the protected method. */
public final class InvalidFallbackMethodException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient Method protectedMethod;
    private final String fallbackMethod;

    InvalidFallbackMethodException(Method protectedMethod, String fallbackMethod, String message) {
        super(message);
        this.protectedMethod = protectedMethod;
        this.fallbackMethod = fallbackMethod;
    }

    /** The protected method. */
    public Method protectedMethod() {
        return protectedMethod;
    }

    /** The fallback method name it declares. */
    public String fallbackMethod() {
        return fallbackMethod;
    }
}
