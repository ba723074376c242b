package dev.breaker.spring.aop;

import java.lang.reflect.Method;

/** A {@code @CircuitBreaker(retry = @Retry(...))} that cannot be applied; stops the application at startup. */
public final class InvalidRetryException extends InvalidAnnotatedMethodException {

    private static final long serialVersionUID = 1L;

    InvalidRetryException(Method protectedMethod, String message) {
        super(protectedMethod, message, "Correct the retry attribute of the @CircuitBreaker on "
                + protectedMethod.getDeclaringClass().getName() + "." + protectedMethod.getName()
                + " as described, or remove it.");
    }
}
