package dev.breaker.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Protects a method with the breaker called {@link #name()}: calls are let through, timed and recorded while it is
 * closed, and rejected while it is open. On a type, protects every public instance method of the type.
 *
 * <p>A breaker named under {@code breaker.instances} takes its options from there; any other name gets a breaker
 * with the {@code breaker.defaults}. Protection applies to calls through the Spring proxy: a call from one method
 * of the bean to another ({@code this.other()}) is not protected. A method no proxy can intercept (private,
 * static, or final on a class-based proxy) stops the application at startup.
 *
 * <p>A {@link #fallbackMethod()} answers calls that are rejected or fail with a recorded failure. It is a method of
 * the same class (any visibility, also inherited) with the protected method's parameters, optionally followed by
 * one {@link Throwable} parameter, returning a type assignable to the protected method's. With several such
 * methods, the one whose exception parameter most specifically matches the error wins. An exception the
 * breaker's configuration ignores propagates without fallback. Fallbacks are checked when the application starts.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface CircuitBreaker {

    /** The breaker's name. */
    String name();

    /** The name of the fallback method; empty (the default) for none. */
    String fallbackMethod() default "";

    /**
     * Attempts of the method inside the breaker, which records the call once and answers from the fallback after
     * the last attempt: {@code retry = @Retry(maxAttempts = 3, backoff = "100ms", multiplier = 2)}. Default: one
     * attempt.
     */
    Retry retry() default @Retry;
}
