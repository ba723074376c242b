package dev.breaker.spring.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad configuration stops the context with the full property key, the value, the rule and how to fix it. */
class BreakerConfigFactoryTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(BreakerAutoConfiguration.class));

    private void assertStartupFailure(String expectedMessage, String... properties) {
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            Throwable root = NestedExceptionUtils.getRootCause(context.getStartupFailure());
            assertThat(root).isInstanceOf(InvalidBreakerPropertyException.class).hasMessage(expectedMessage);
        });
    }

    @Test
    void outOfRangeNumber_namesTheKeyOfTheLevelThatSetIt() {
        assertStartupFailure("breaker.instances.inventory.failure-rate-threshold is '150.0', but it must be in "
                        + "(0, 100]. Set breaker.instances.inventory.failure-rate-threshold to a value that is in (0, 100].",
                "breaker.instances.inventory.failure-rate-threshold=150");
        assertStartupFailure("breaker.defaults.half-open-calls is '0', but it must be in [1, 1048576]. "
                        + "Set breaker.defaults.half-open-calls to a value that is in [1, 1048576].",
                "breaker.defaults.half-open-calls=0");
        assertStartupFailure("breaker.configs.slow.minimum-calls is '-3', but it must be at least 1. "
                        + "Set breaker.configs.slow.minimum-calls to a value that is at least 1.",
                "breaker.configs.slow.minimum-calls=-3");
    }

    @Test
    void invalidValueInheritedFromTheDefaults_isReportedAtTheDefaults() {
        assertStartupFailure("breaker.defaults.wait-in-open is 'PT0S', but it must be at least 1ms. "
                        + "Set breaker.defaults.wait-in-open to a value that is at least 1ms.",
                "breaker.defaults.wait-in-open=0s", "breaker.instances.inventory.half-open-calls=2");
    }

    @Test
    void unknownBaseConfig() {
        assertStartupFailure("breaker.instances.inventory.base-config is 'slow-backnd', but it names no config under "
                        + "breaker.configs (known: [slow-backend]). Set breaker.instances.inventory.base-config to "
                        + "one of [slow-backend], or define breaker.configs.slow-backnd.",
                "breaker.configs.slow-backend.minimum-calls=5", "breaker.instances.inventory.base-config=slow-backnd");
    }

    @Test
    void exceptionClassThatDoesNotExist() {
        assertStartupFailure("breaker.instances.inventory.ignore-exceptions[1] is 'com.example.NotFoundExcepton', "
                        + "but it names no class on the class path. Check the spelling of "
                        + "breaker.instances.inventory.ignore-exceptions[1] (a fully qualified class name such as "
                        + "java.io.IOException) and that the jar declaring it is a dependency.",
                "breaker.instances.inventory.ignore-exceptions=java.io.IOException,com.example.NotFoundExcepton");
    }

    @Test
    void classThatIsNoException() {
        assertStartupFailure("breaker.defaults.record-exceptions[0] is 'java.lang.String', but it is not a "
                        + "java.lang.Throwable. Set breaker.defaults.record-exceptions[0] to an exception class.",
                "breaker.defaults.record-exceptions=java.lang.String");
    }

    @Test
    void unknownWindowType() {
        assertStartupFailure("breaker.instances.inventory.sliding-window.type is 'sliding', but it must be 'count' "
                        + "or 'time'. Set breaker.instances.inventory.sliding-window.type to 'count' (the last N calls) "
                        + "or 'time' (the calls of the last period).",
                "breaker.instances.inventory.sliding-window.type=sliding");
    }

    @Test
    void windowSizeOfTheWrongKind() {
        assertStartupFailure("breaker.instances.inventory.sliding-window.size is '60s', but it must be a whole number "
                        + "of calls for a count window. Set breaker.instances.inventory.sliding-window.size to a number "
                        + "of calls such as 100, or the window's type to 'time'.",
                "breaker.instances.inventory.sliding-window.size=60s");
        assertStartupFailure("breaker.instances.inventory.sliding-window.size is 'lots', but it must be a duration "
                        + "such as 60s for a time window. Set breaker.instances.inventory.sliding-window.size to a "
                        + "duration such as 60s, or the window's type to 'count'.",
                "breaker.instances.inventory.sliding-window.type=time",
                "breaker.instances.inventory.sliding-window.size=lots");
    }

    @Test
    void windowSizeOutOfRange() {
        assertStartupFailure("breaker.instances.inventory.sliding-window.size is 'PT0.5S', but it must be at least 1s. "
                        + "Set breaker.instances.inventory.sliding-window.size to a value that is at least 1s.",
                "breaker.instances.inventory.sliding-window.type=time",
                "breaker.instances.inventory.sliding-window.size=500ms");
    }

    @Test
    void countSizeFromTheDefaults_isNotReusedForATimeWindow() {
        runner.withPropertyValues("breaker.defaults.sliding-window.type=count",
                "breaker.defaults.sliding-window.size=50", "breaker.instances.inventory.sliding-window.type=time")
                .run(context -> assertThat(context.getBean(BreakerConfigFactory.class).configFor("inventory")
                        .timeWindowSize()).hasSeconds(60));
    }

    @Test
    void backoffMultiplierWithoutMaximum() {
        assertStartupFailure("breaker.instances.inventory.wait-in-open-multiplier is '2.0', but it needs "
                        + "max-wait-in-open, the longest wait the backoff may reach. Set max-wait-in-open beside "
                        + "breaker.instances.inventory.wait-in-open-multiplier.",
                "breaker.instances.inventory.wait-in-open-multiplier=2");
    }

    @Test
    void unknownProperty_isRejectedByTheBinder() {
        runner.withPropertyValues("breaker.instances.inventory.failur-rate-threshold=50").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("failur-rate-threshold");
        });
    }

    @Test
    void customizerSettingAnInvalidValue_isNamed() {
        runner.withBean(BreakerConfigCustomizer.class,
                        () -> BreakerConfigCustomizer.forBreaker("inventory", b -> b.halfOpenCalls(0)))
                .withPropertyValues("breaker.instances.inventory.minimum-calls=5")
                .run(context -> assertThat(NestedExceptionUtils.getRootCause(context.getStartupFailure()))
                        .hasMessageStartingWith("BreakerConfigCustomizer option halfOpenCalls of breaker 'inventory'"
                                + " is '0', but it must be in [1, 1048576]."));
    }

    @Test
    void failureAnalyzer_describesTheProblemAndTheFix() {
        runner.withPropertyValues("breaker.instances.inventory.failure-rate-threshold=150").run(context -> {
            FailureAnalysis analysis = new InvalidBreakerPropertyFailureAnalyzer().analyze(context.getStartupFailure());

            assertThat(analysis.getDescription()).isEqualTo("""
                    Invalid breaker configuration:

                        Property: breaker.instances.inventory.failure-rate-threshold
                        Value: 150.0
                        Reason: it must be in (0, 100]""");
            assertThat(analysis.getAction()).isEqualTo("Set breaker.instances.inventory.failure-rate-threshold to a "
                    + "value that is in (0, 100].");
        });
    }
}
