package dev.breaker.spring.annotation;

import dev.breaker.Priority;

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
 *
 * <p>{@link #dependsOn()} names breakers this one depends on: while one of them is open the call is rejected
 * without being made. {@link #priority()} gives the method's calls a priority, which decides which calls a
 * recovering or warning breaker sheds first.
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
     * The time a call of this method may take, a duration such as {@code "2s"}, {@code "500ms"} or {@code "PT2S"};
     * empty (the default) for none. A call that takes longer is a failure with a
     * {@link dev.breaker.CallTimeoutException}, answered by the fallback. The breaker's own {@code timeout} property,
     * where set, wins; its {@code timeout-interrupt} applies to this timeout too. Checked at startup.
     */
    String timeout() default "";

    /**
     * Breakers the breaker depends on, added to the ones its properties name ({@code depends-on}); each must be under
     * {@code breaker.instances} or named by a {@code @CircuitBreaker}. While one of them (or one they depend on) is
     * open, calls are rejected without being made (reason {@code DEPENDENCY_OPEN}) and answered by the fallback.
     * Dependencies belong to the breaker, not the method: every annotation of the breaker that names some must name
     * the same; one that names none takes the breaker's. Unknown names and cycles stop the application at startup.
     */
    String[] dependsOn() default {};

    /**
     * The priority of the method's calls, at most one; empty (the default) for the breaker's
     * {@code default-priority}. A {@link Priority} scope around the call, or a request's priority header, wins.
     */
    Priority[] priority() default {};

    /**
     * Attempts of the method inside the breaker, which records the call once and answers from the fallback after
     * the last attempt: {@code retry = @Retry(maxAttempts = 3, backoff = "100ms", multiplier = 2)}. Default: one
     * attempt.
     */
    Retry retry() default @Retry;
}
