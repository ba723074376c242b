package dev.breaker.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Attempts of a {@link CircuitBreaker} method made inside the breaker: the breaker admits the call once, the
 * method is attempted up to {@link #maxAttempts()} times with a growing wait in between, and the breaker records
 * the call's outcome once, the last attempt's (its duration spans every attempt and wait). The fallback answers
 * after the last attempt failed. Only errors the breaker records as failures are retried: ignored errors, errors
 * it does not record, and {@link Error}s end the call at once.
 *
 * <p>Plain methods wait on the calling thread (an interrupt ends the waiting and the call with the last error);
 * {@code CompletionStage} methods attempt again on a delayed executor; {@code Mono} and {@code Flux} methods are
 * invoked again and subscribed to again after a delay (a {@code Flux} from its start).
 */
@Target({})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Retry {

    /** Attempts in all, the first included; 1, the default, attempts once. */
    int maxAttempts() default 1;

    /** The wait before the second attempt, a duration such as {@code 100ms} or {@code PT0.1S}; default none. */
    String backoff() default "0ms";

    /** The factor each further wait grows by, at least 1: {@code 2} waits 100ms, 200ms, 400ms... Default 1. */
    double multiplier() default 1;

    /** The longest wait the multiplier can reach, a duration; empty (the default) for no limit. */
    String maxBackoff() default "";
}
