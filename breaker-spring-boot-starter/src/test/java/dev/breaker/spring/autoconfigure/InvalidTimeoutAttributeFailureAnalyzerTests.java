package dev.breaker.spring.autoconfigure;

import dev.breaker.spring.annotation.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** A bad {@code @CircuitBreaker(timeout = ...)} stops the application, naming the method and what to do. */
class InvalidTimeoutAttributeFailureAnalyzerTests {

    private static final String CLIENT = InvalidTimeoutAttributeFailureAnalyzerTests.class.getName() + "$";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, BreakerAutoConfiguration.class));

    private void assertAnalysis(Class<?> bean, String description, String action, String... properties) {
        runner.withBean(bean).withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();

            FailureAnalysis analysis = new InvalidAnnotatedMethodFailureAnalyzer()
                    .analyze(context.getStartupFailure());

            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).isEqualTo(description);
            assertThat(analysis.getAction()).isEqualTo(action);
        });
    }

    @Test
    void timeoutThatIsNoDuration() {
        assertAnalysis(NoDuration.class, "@CircuitBreaker(name = \"reviews\", timeout = \"2 seconds\") on " + CLIENT
                        + "NoDuration.reviews(String): the timeout is not a duration.",
                "Set timeout to a duration such as \"2s\", \"500ms\" or \"PT2S\", or leave it out for none.");
    }

    @Test
    void adaptiveTimeoutOnAMethod() {
        assertAnalysis(Adaptive.class, "@CircuitBreaker(name = \"reviews\", timeout = \"adaptive\") on " + CLIENT
                        + "Adaptive.reviews(String): an adaptive timeout learns from all the calls of its breaker, so "
                        + "it is set on the breaker, not on a method.",
                "Set breaker.instances.reviews.timeout=adaptive, and remove timeout from the annotation.");
    }

    @Test
    void zeroTimeout() {
        assertAnalysis(Zero.class, "@CircuitBreaker(name = \"reviews\", timeout = \"0s\") on " + CLIENT
                        + "Zero.reviews(String): the timeout must be positive.",
                "Set timeout to a positive duration such as \"2s\", or leave it out for none.");
    }

    @Test
    void timeoutNotLongerThanTheSlowCallDuration() {
        assertAnalysis(OneSecond.class,
                "@CircuitBreaker(name = \"reviews\", timeout = \"1s\") on " + CLIENT + "OneSecond.reviews(String): the "
                        + "timeout must be longer than the slow-call duration of breaker 'reviews' (PT2S), or calls "
                        + "time out before they are slow.",
                "Set a timeout longer than PT2S, or a shorter slow-call-duration for breaker 'reviews'.",
                "breaker.instances.reviews.slow-call-duration=2s");
    }

    @Test
    void slowCallDurationLongerThanTheAnnotations_isFineWhenTheBreakersOwnTimeoutWins() {
        runner.withBean(OneSecond.class).withPropertyValues("breaker.instances.reviews.slow-call-duration=2s",
                "breaker.instances.reviews.timeout=3s").run(context -> assertThat(context).hasNotFailed());
    }

    static class NoDuration {
        @CircuitBreaker(name = "reviews", timeout = "2 seconds")
        public String reviews(String id) {
            return id;
        }
    }

    static class Adaptive {
        @CircuitBreaker(name = "reviews", timeout = "adaptive")
        public String reviews(String id) {
            return id;
        }
    }

    static class Zero {
        @CircuitBreaker(name = "reviews", timeout = "0s")
        public String reviews(String id) {
            return id;
        }
    }

    static class OneSecond {
        @CircuitBreaker(name = "reviews", timeout = "1s")
        public String reviews(String id) {
            return id;
        }
    }
}
