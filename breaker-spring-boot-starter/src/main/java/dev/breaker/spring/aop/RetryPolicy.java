package dev.breaker.spring.aop;

import dev.breaker.spring.annotation.CircuitBreaker;
import dev.breaker.spring.annotation.Retry;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.ClassUtils;

import java.lang.reflect.Method;
import java.time.Duration;

/**
 * The attempts a {@link Retry} asks for, checked once when the method is resolved: how many, and how long to wait
 * after each failed one.
 *
 * @param maxAttempts attempts in all, at least 2
 * @param backoffNanos the wait after the first failed attempt
 * @param multiplier the factor each further wait grows by, at least 1
 * @param maxBackoffNanos the longest wait
 */
record RetryPolicy(int maxAttempts, long backoffNanos, double multiplier, long maxBackoffNanos) {

    /**
     * The policy of {@code annotation} on {@code method}, or {@code null} if it attempts once.
     *
     * @throws InvalidRetryException naming the method and the attribute that is wrong
     */
    static @Nullable RetryPolicy of(CircuitBreaker annotation, Method method) {
        Retry retry = annotation.retry();
        String where = "@CircuitBreaker(name = \"" + annotation.name() + "\", retry = @Retry(...)) on "
                + ClassUtils.getQualifiedMethodName(method);
        if (retry.maxAttempts() < 1) {
            throw new InvalidRetryException(method, where + ": maxAttempts is " + retry.maxAttempts()
                    + ", but it must be at least 1 (1 attempts once).");
        }
        Duration backoff = duration(method, where, "backoff", retry.backoff());
        Duration maxBackoff = retry.maxBackoff().isBlank() ? null
                : duration(method, where, "maxBackoff", retry.maxBackoff());
        if (retry.multiplier() < 1 || Double.isNaN(retry.multiplier())) {
            throw new InvalidRetryException(method, where + ": multiplier is " + retry.multiplier()
                    + ", but it must be at least 1.");
        }
        if (maxBackoff != null && maxBackoff.compareTo(backoff) < 0) {
            throw new InvalidRetryException(method, where + ": maxBackoff is " + retry.maxBackoff()
                    + ", but it must be at least backoff (" + retry.backoff() + ").");
        }
        if (retry.maxAttempts() == 1) {
            if (!backoff.isZero() || maxBackoff != null || retry.multiplier() != 1) {
                throw new InvalidRetryException(method, where + ": sets how to wait between attempts, but "
                        + "maxAttempts is 1, which attempts once. Set maxAttempts to the number of attempts in all.");
            }
            return null;
        }
        return new RetryPolicy(retry.maxAttempts(), backoff.toNanos(), retry.multiplier(),
                maxBackoff == null ? Long.MAX_VALUE : maxBackoff.toNanos());
    }

    private static Duration duration(Method method, String where, String attribute, String value) {
        Duration duration;
        try {
            duration = DurationStyle.detectAndParse(value.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidRetryException(method, where + ": " + attribute + " is '" + value
                    + "', but it must be a duration such as 100ms, 2s or PT0.1S.");
        }
        if (duration.isNegative()) {
            throw new InvalidRetryException(method, where + ": " + attribute + " is '" + value
                    + "', but it must not be negative.");
        }
        return duration;
    }

    /** Nanoseconds to wait after failed attempt number {@code attempt} (1 for the first) before the next. */
    long delayNanos(int attempt) {
        double delay = backoffNanos * Math.pow(multiplier, attempt - 1);
        return delay >= maxBackoffNanos ? maxBackoffNanos : (long) delay;
    }
}
