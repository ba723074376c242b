package dev.breaker.spring.aop;

import java.lang.reflect.Method;

/** A {@code @CircuitBreaker(retry = @Retry(...))} that cannot be applied; stops the application at startup. */
public final class InvalidRetryException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient Method protectedMethod;

    InvalidRetryException(Method protectedMethod, String message) {
        super(message);
        this.protectedMethod = protectedMethod;
    }

    /** The protected method. */
    public Method protectedMethod() {
        return protectedMethod;
    }
}
