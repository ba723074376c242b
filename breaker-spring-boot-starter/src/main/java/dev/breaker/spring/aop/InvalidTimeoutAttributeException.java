package dev.breaker.spring.aop;

import dev.breaker.Breaker;
import dev.breaker.spring.annotation.CircuitBreaker;
import org.springframework.boot.convert.DurationStyle;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code timeout} of a {@code @CircuitBreaker} is not a positive duration, or a call would time out before
 * its breaker calls it slow.
 */
public final class InvalidTimeoutAttributeException extends InvalidAnnotatedMethodException {

    private static final long serialVersionUID = 1L;

    private InvalidTimeoutAttributeException(Method method, String message, String action) {
        super(method, message, action);
    }

    /**
     * The timeout {@code annotation} sets for calls of {@code method} on {@code targetClass}, in nanoseconds; 0 for
     * none.
     *
     * @throws InvalidTimeoutAttributeException naming the method, what is wrong and what to do
     */
    static long nanos(Method method, Class<?> targetClass, CircuitBreaker annotation, Breaker breaker) {
        String value = annotation.timeout().trim();
        if (value.isEmpty()) {
            return 0;
        }
        String annotated = "@CircuitBreaker(name = \"" + annotation.name() + "\", timeout = \"" + annotation.timeout()
                + "\") on " + UninterceptableMethodException.describe(method, targetClass);
        if (value.toLowerCase(Locale.ROOT).equals("adaptive")) {
            throw new InvalidTimeoutAttributeException(method, annotated + ": an adaptive timeout learns from all "
                    + "the calls of its breaker, so it is set on the breaker, not on a method.",
                    "Set breaker.instances." + annotation.name() + ".timeout=adaptive, and remove timeout from the "
                            + "annotation.");
        }
        Duration timeout;
        try {
            timeout = DurationStyle.detectAndParse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidTimeoutAttributeException(method, annotated + ": the timeout is not a duration.",
                    "Set timeout to a duration such as \"2s\", \"500ms\" or \"PT2S\", or leave it out for none.");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new InvalidTimeoutAttributeException(method, annotated + ": the timeout must be positive.",
                    "Set timeout to a positive duration such as \"2s\", or leave it out for none.");
        }
        Optional<Duration> slow = breaker.config().slowCallDuration();
        boolean ownTimeout = breaker.config().timeout().isPresent() || breaker.config().adaptiveTimeout().isPresent();
        if (!ownTimeout && slow.isPresent() && slow.get().compareTo(timeout) >= 0) {
            throw new InvalidTimeoutAttributeException(method, annotated + ": the timeout must be longer than the "
                    + "slow-call duration of breaker '" + annotation.name() + "' (" + slow.get() + "), or calls "
                    + "time out before they are slow.", "Set a timeout longer than " + slow.get()
                    + ", or a shorter slow-call-duration for breaker '" + annotation.name() + "'.");
        }
        return timeout.toNanos();
    }
}
