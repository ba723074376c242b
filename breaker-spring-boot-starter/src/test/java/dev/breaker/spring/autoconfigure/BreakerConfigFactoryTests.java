package dev.breaker.spring.autoconfigure;

import dev.breaker.WindowType;
import dev.breaker.spring.autoconfigure.BreakerProperties.BreakerCluster.Policy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.StandardEnvironment;

import java.time.Duration;

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
    void unknownWindowType_isReportedBySpringBoot_withTheValidTypes() {
        runner.withPropertyValues("breaker.instances.inventory.sliding-window.type=sliding").run(context -> {
            assertThat(context).hasFailed();
            // Spring Boot's binder refuses it; its failure analysis names the key, the file and line, and the values.
            assertThat(context.getStartupFailure())
                    .hasStackTraceContaining(
                            "Failed to bind properties under 'breaker.instances.inventory.sliding-window.type'")
                    .hasRootCauseInstanceOf(IllegalArgumentException.class);
        });
    }

    @Test
    void windowTypeAndClusterPolicy_takeTheirUsualSpellings() {
        runner.withPropertyValues("breaker.instances.inventory.sliding-window.type=Time",
                "breaker.instances.inventory.sliding-window.size=30s",
                "breaker.instances.inventory.cluster.policy=share-open").run(context -> {
            assertThat(context).hasNotFailed();
            BreakerProperties.Options inventory = context.getBean(BreakerProperties.class).getInstances()
                    .get("inventory");
            assertThat(inventory.getSlidingWindow().getType()).isEqualTo(WindowType.TIME);
            assertThat(inventory.getCluster().getPolicy()).isEqualTo(Policy.SHARE_OPEN);
            assertThat(context.getBean(BreakerConfigFactory.class).configFor("inventory").timeWindowSize())
                    .isEqualTo(Duration.ofSeconds(30));
        });
    }

    @Test
    void waitInOpenMultiplierOfOne_theCoreDefaultWrittenOut_needsNoMaximum() {
        runner.withPropertyValues("breaker.defaults.wait-in-open-multiplier=1").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(BreakerConfigFactory.class).defaults().waitInOpenMultiplier()).isEqualTo(1.0);
        });
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

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            recovery.ramp=-1s               | recovery.ramp is 'PT-1S', but it must be positive
            recovery.min-share=0            | recovery.min-share is '0.0', but it must be in (0, 100]
            recovery.min-share=150          | recovery.min-share is '150.0', but it must be in (0, 100]
            recovery.aggression=0           | recovery.aggression is '0.0', but it must be positive
            recovery.step=0                 | recovery.step is '0.0', but it must be in (0, 100]
            recovery.successes-per-step=0   | recovery.successes-per-step is '0', but it must be at least 1
            escalation.warning-at=0         | escalation.warning-at is '0.0', but it must be in (0, 100]
            escalation.warning-at=101       | escalation.warning-at is '101.0', but it must be in (0, 100]
            escalation.emergency-after=0    | escalation.emergency-after is '0', but it must be at least 1
            escalation.stable-period=0s     | escalation.stable-period is 'PT0S', but it must be positive
            escalation.jitter=1             | escalation.jitter is '1.0', but it must be in [0, 1)
            escalation.jitter=-0.1          | escalation.jitter is '-0.1', but it must be in [0, 1)
            """)
    void recoveryAndEscalationValues_outOfRange_nameTheFullKey(String setting, String expected) {
        String key = "breaker.instances.inventory." + setting.substring(0, setting.indexOf('='));
        String rule = expected.substring(expected.indexOf("must be"));
        assertStartupFailure("breaker.instances.inventory." + expected + ". Set " + key + " to a value that "
                        + rule.replaceFirst("^must be", "is") + ".",
                "breaker.instances.inventory." + setting,
                "breaker.instances.inventory.recovery.ramp=" + (setting.startsWith("recovery.ramp") ? "-1s" : "30s"),
                "breaker.instances.inventory.escalation.enabled=true");
    }

    @Test
    void recoveryValueInATemplate_isReportedAtTheTemplate() {
        assertStartupFailure("breaker.configs.gentle.recovery.min-share is '150.0', but it must be in (0, 100]. "
                        + "Set breaker.configs.gentle.recovery.min-share to a value that is in (0, 100].",
                "breaker.configs.gentle.recovery.ramp=1m", "breaker.configs.gentle.recovery.min-share=150");
    }

    @Test
    void warningClearAboveWarning_namesBothKeys() {
        assertStartupFailure("breaker.instances.inventory.escalation.warning-clear-at is '60.0', but it must be in "
                        + "[0, breaker.defaults.escalation.warning-at (50.0)]. Set "
                        + "breaker.instances.inventory.escalation.warning-clear-at to a value that is in "
                        + "[0, breaker.defaults.escalation.warning-at (50.0)].",
                "breaker.defaults.escalation.warning-at=50", "breaker.instances.inventory.escalation.enabled=true",
                "breaker.instances.inventory.escalation.warning-clear-at=60");
    }

    @Test
    void warningBelowTheDefaultClearMark_namesWhereToSetTheClearMark() {
        assertStartupFailure("breaker.instances.inventory.escalation.warning-clear-at is '25.0', but it must be in "
                        + "[0, breaker.instances.inventory.escalation.warning-at (20.0)]. Set "
                        + "breaker.instances.inventory.escalation.warning-clear-at to a value that is in "
                        + "[0, breaker.instances.inventory.escalation.warning-at (20.0)].",
                "breaker.instances.inventory.escalation.enabled=true",
                "breaker.instances.inventory.escalation.warning-at=20");
    }

    @Test
    void ruleNamingAnotherOption_namesItsProperty() {
        assertStartupFailure("breaker.instances.inventory.max-wait-in-open is 'PT5S', but it must be at least "
                        + "breaker.defaults.wait-in-open (PT10S). Set breaker.instances.inventory.max-wait-in-open "
                        + "to a value that is at least breaker.defaults.wait-in-open (PT10S).",
                "breaker.defaults.wait-in-open=10s", "breaker.instances.inventory.wait-in-open-multiplier=2",
                "breaker.instances.inventory.max-wait-in-open=5s");
    }

    @Test
    void recoveryOptionOnAnInstanceWithoutARamp_saysWhatTurnsItOn() {
        assertStartupFailure("breaker.instances.inventory.recovery.min-share is '20.0', but it applies only to a "
                        + "gradual recovery, which recovery.ramp turns on. Set "
                        + "breaker.instances.inventory.recovery.ramp to how long the ramp takes, such as 30s, or "
                        + "remove breaker.instances.inventory.recovery.min-share.",
                "breaker.instances.inventory.recovery.min-share=20");
        assertStartupFailure("breaker.instances.inventory.recovery.mode is 'SUCCESS_STEPS', but it applies only to "
                        + "a gradual recovery, which recovery.ramp turns on. Set "
                        + "breaker.instances.inventory.recovery.ramp to how long the ramp takes, such as 30s, or "
                        + "remove breaker.instances.inventory.recovery.mode.",
                "breaker.defaults.recovery.ramp=30s", "breaker.instances.inventory.recovery.ramp=0",
                "breaker.instances.inventory.recovery.mode=success-steps");
    }

    @Test
    void escalationOptionOnAnInstanceWithoutEnabled_saysWhatTurnsItOn() {
        assertStartupFailure("breaker.instances.inventory.escalation.emergency-after is '2', but it applies only to "
                        + "escalation, which escalation.enabled turns on. Set "
                        + "breaker.instances.inventory.escalation.enabled to true, or remove "
                        + "breaker.instances.inventory.escalation.emergency-after.",
                "breaker.instances.inventory.escalation.emergency-after=2");
    }

    @Test
    void rateLimitBurstOnAnInstanceWithoutARateLimit_saysWhatTurnsItOn() {
        assertStartupFailure("breaker.instances.inventory.rate-limit-burst is '5', but it applies only to a rate "
                        + "limit, which max-calls-per-second turns on. Set "
                        + "breaker.instances.inventory.max-calls-per-second to the calls per second to admit, or "
                        + "remove breaker.instances.inventory.rate-limit-burst.",
                "breaker.instances.inventory.rate-limit-burst=5");
    }

    @Test
    void shedOnWarningOnAnInstanceThatDoesNotEscalate_saysWhatTurnsEscalationOn() {
        assertStartupFailure("breaker.instances.inventory.shed-on-warning is 'true', but it applies only to a "
                        + "breaker that escalates, which escalation.enabled turns on. Set "
                        + "breaker.instances.inventory.escalation.enabled to true, or remove "
                        + "breaker.instances.inventory.shed-on-warning.",
                "breaker.instances.inventory.shed-on-warning=true");
    }

    @Test
    void admissionValuesOutOfRange_nameTheFullKey() {
        assertStartupFailure("breaker.instances.inventory.max-concurrent-calls is '-1', but it must be 0 (off) or "
                        + "more. Set breaker.instances.inventory.max-concurrent-calls to a value that is 0 (off) or "
                        + "more.",
                "breaker.instances.inventory.max-concurrent-calls=-1");
        assertStartupFailure("breaker.defaults.reserved-for-critical is '100.0', but it must be in [0, 100). "
                        + "Set breaker.defaults.reserved-for-critical to a value that is in [0, 100).",
                "breaker.defaults.reserved-for-critical=100");
    }

    @Test
    void blankDependency_namesItsIndex() {
        assertStartupFailure("breaker.instances.checkout.depends-on[1] is '', but it must name a breaker. Set "
                        + "breaker.instances.checkout.depends-on[1] to the name of a breaker under breaker.instances "
                        + "or of a @CircuitBreaker, or remove it.",
                "breaker.instances.payments.half-open-calls=1",
                "breaker.instances.checkout.depends-on[0]=payments", "breaker.instances.checkout.depends-on[1]= ");
    }

    @Test
    void unknownRecoveryMode_isRejectedByTheBinder_namingTheKey() {
        runner.withPropertyValues("breaker.instances.inventory.recovery.ramp=30s",
                "breaker.instances.inventory.recovery.mode=fast").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .hasStackTraceContaining("breaker.instances.inventory.recovery.mode")
                    .hasStackTraceContaining("fast");
        });
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
            FailureAnalysis analysis = new InvalidBreakerPropertyFailureAnalyzer(new StandardEnvironment())
                    .analyze(context.getStartupFailure());

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
