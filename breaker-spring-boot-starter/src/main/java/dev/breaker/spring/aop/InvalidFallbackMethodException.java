package dev.breaker.spring.aop;

import java.lang.reflect.Method;

/** A {@code @CircuitBreaker} names a fallback method that does not exist or does not fit the protected method. */
public final class InvalidFallbackMethodException extends InvalidAnnotatedMethodException {

    private static final long serialVersionUID = 1L;

    private final String fallbackMethod;

    InvalidFallbackMethodException(Method protectedMethod, String fallbackMethod, String message) {
        super(protectedMethod, message, "Declare a method '" + fallbackMethod + "' with one of the accepted "
                + "signatures in " + protectedMethod.getDeclaringClass().getName() + ", or correct fallbackMethod in "
                + "its @CircuitBreaker.");
        this.fallbackMethod = fallbackMethod;
    }

    /** The fallback method name it declares. */
    public String fallbackMethod() {
        return fallbackMethod;
    }
}
