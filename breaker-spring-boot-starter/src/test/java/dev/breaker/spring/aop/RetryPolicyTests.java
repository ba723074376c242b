package dev.breaker.spring.aop;

import dev.breaker.spring.annotation.CircuitBreaker;
import dev.breaker.spring.annotation.Retry;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code @Retry} attributes, checked when the method is resolved, and the waits they make. */
class RetryPolicyTests {

    private static RetryPolicy policyOf(String methodName) throws NoSuchMethodException {
        Method method = Methods.class.getDeclaredMethod(methodName);
        return RetryPolicy.of(method.getAnnotation(CircuitBreaker.class), method);
    }

    private static String problemOf(String methodName) throws NoSuchMethodException {
        Method method = Methods.class.getDeclaredMethod(methodName);
        try {
            RetryPolicy.of(method.getAnnotation(CircuitBreaker.class), method);
        } catch (InvalidRetryException e) {
            assertThat(e.method()).isEqualTo(method);
            return e.getMessage();
        }
        throw new AssertionError(methodName + " was accepted");
    }

    @Test
    void oneAttempt_isNoPolicy() throws Exception {
        assertThat(policyOf("once")).isNull();
        assertThat(policyOf("plain")).isNull();
    }

    @Test
    void waits_growByTheMultiplier_upToTheMaximum() throws Exception {
        RetryPolicy policy = policyOf("growing");

        assertThat(policy.maxAttempts()).isEqualTo(5);
        assertThat(Duration.ofNanos(policy.delayNanos(1))).isEqualTo(Duration.ofMillis(100));
        assertThat(Duration.ofNanos(policy.delayNanos(2))).isEqualTo(Duration.ofMillis(200));
        assertThat(Duration.ofNanos(policy.delayNanos(3))).isEqualTo(Duration.ofMillis(250));
        assertThat(Duration.ofNanos(policy.delayNanos(40))).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void withoutABackoff_theAttemptsFollowEachOther() throws Exception {
        assertThat(policyOf("immediate").delayNanos(2)).isZero();
    }

    @Test
    void invalidAttributes_nameTheMethodAndTheAttribute() throws Exception {
        String where = "@CircuitBreaker(name = \"x\", retry = @Retry(...)) on " + Methods.class.getName();
        assertThat(problemOf("noAttempts")).isEqualTo(where + ".noAttempts: maxAttempts is 0, but it must be at "
                + "least 1 (1 attempts once).");
        assertThat(problemOf("negativeBackoff")).isEqualTo(where + ".negativeBackoff: backoff is '-1s', but it "
                + "must not be negative.");
        assertThat(problemOf("shrinking")).isEqualTo(where + ".shrinking: multiplier is 0.5, but it must be at "
                + "least 1.");
        assertThat(problemOf("capBelowBackoff")).isEqualTo(where + ".capBelowBackoff: maxBackoff is 1s, but it "
                + "must be at least backoff (2s).");
        assertThat(problemOf("waitsWithoutRetrying")).isEqualTo(where + ".waitsWithoutRetrying: sets how to wait "
                + "between attempts, but maxAttempts is 1, which attempts once. Set maxAttempts to the number of "
                + "attempts in all.");
    }

    @Test
    void retryOfAReturnTypeNoAdapterCanAttemptAgain_isRefused() throws Exception {
        Method method = Methods.class.getDeclaredMethod("growing");
        CallAdapter custom = new CallAdapter() {
            @Override
            public boolean supports(Method m) {
                return true;
            }

            @Override
            public boolean acceptsFallbackReturnType(Method m, Class<?> type) {
                return true;
            }

            @Override
            public String acceptedFallbackReturnTypes(Method m) {
                return "anything";
            }

            @Override
            public Object invoke(org.aopalliance.intercept.MethodInvocation invocation, ProtectedCall call) {
                return "custom";
            }
        };

        assertThatThrownBy(() -> RetryingInvocation.kindOf(custom, method)).isInstanceOf(InvalidRetryException.class)
                .hasMessageContaining("retry supports plain values, CompletionStage, Mono and Flux");
    }

    @SuppressWarnings("unused")
    static class Methods {

        @CircuitBreaker(name = "x")
        void plain() {
        }

        @CircuitBreaker(name = "x", retry = @Retry)
        void once() {
        }

        @CircuitBreaker(name = "x", retry = @Retry(maxAttempts = 5, backoff = "100ms", multiplier = 2,
                maxBackoff = "250ms"))
        void growing() {
        }

        @CircuitBreaker(name = "x", retry = @Retry(maxAttempts = 3))
        void immediate() {
        }

        @CircuitBreaker(name = "x", retry = @Retry(maxAttempts = 0))
        void noAttempts() {
        }

        @CircuitBreaker(name = "x", retry = @Retry(maxAttempts = 2, backoff = "-1s"))
        void negativeBackoff() {
        }

        @CircuitBreaker(name = "x", retry = @Retry(maxAttempts = 2, multiplier = 0.5))
        void shrinking() {
        }

        @CircuitBreaker(name = "x", retry = @Retry(maxAttempts = 2, backoff = "2s", maxBackoff = "1s"))
        void capBelowBackoff() {
        }

        @CircuitBreaker(name = "x", retry = @Retry(backoff = "1s"))
        void waitsWithoutRetrying() {
        }
    }
}
