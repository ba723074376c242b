package dev.breaker.spring.autoconfigure;

import dev.breaker.AdaptiveBaseline;
import dev.breaker.AdaptiveThrottle;
import dev.breaker.AdaptiveTimeout;
import dev.breaker.BreakerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.io.ByteArrayResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The timeout and mode properties ({@code timeout}, {@code timeout-interrupt}, {@code adaptive-timeout.*},
 * {@code mode}, {@code throttle.*}, {@code baseline.*}): how they bind, including from YAML, what core configuration
 * they make, and the full key of a bad value.
 */
class AdaptivePropertiesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(BreakerAutoConfiguration.class));

    private void assertConfig(Consumer<BreakerConfig> assertion, String... properties) {
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasNotFailed();
            assertion.accept(context.getBean(BreakerConfigFactory.class).configFor("reviews"));
        });
    }

    private void assertStartupFailure(String expectedMessage, String... properties) {
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            Throwable root = NestedExceptionUtils.getRootCause(context.getStartupFailure());
            assertThat(root).isInstanceOf(InvalidBreakerPropertyException.class).hasMessage(expectedMessage);
        });
    }

    // --- timeouts ----------------------------------------------------------------------------------------------

    @Test
    void fixedTimeout_andInterrupt() {
        assertConfig(config -> {
            assertThat(config.timeout()).contains(Duration.ofMillis(1500));
            assertThat(config.adaptiveTimeout()).isEmpty();
            assertThat(config.timeoutInterrupt()).isTrue();
        }, "breaker.instances.reviews.timeout=1500ms", "breaker.instances.reviews.timeout-interrupt=true");
        assertConfig(config -> {
            assertThat(config.timeout()).isEmpty();
            assertThat(config.timeoutInterrupt()).isFalse();
        });
    }

    @Test
    void zeroTimeoutOnAnInstance_turnsOffTheTimeoutOfTheDefaults() {
        assertConfig(config -> assertThat(config.timeout()).isEmpty(),
                "breaker.defaults.timeout=2s", "breaker.instances.reviews.timeout=0");
        assertConfig(config -> assertThat(config.timeout()).contains(Duration.ofSeconds(2)),
                "breaker.defaults.timeout=2s", "breaker.instances.reviews.minimum-calls=5");
    }

    @Test
    void adaptiveTimeout_takesEachOptionFromTheFirstLevelThatSetsIt_andTheCoreDefaultsForTheRest() {
        assertConfig(config -> {
            AdaptiveTimeout defaults = AdaptiveTimeout.defaults();
            assertThat(config.timeout()).isEmpty();
            assertThat(config.adaptiveTimeout()).contains(new AdaptiveTimeout(95, 3, Duration.ofMillis(50),
                    Duration.ofSeconds(4), defaults.window(), defaults.minimumCalls()));
        }, "breaker.configs.learned.adaptive-timeout.max=4s", "breaker.configs.learned.adaptive-timeout.factor=3",
                "breaker.instances.reviews.base-config=learned", "breaker.instances.reviews.timeout=ADAPTIVE",
                "breaker.instances.reviews.adaptive-timeout.percentile=95",
                "breaker.instances.reviews.adaptive-timeout.min=50ms");
    }

    /** A key that is both a value ({@code timeout: 2s}) and a parent would not bind: the options sit beside it. */
    @Test
    void timeoutAndItsAdaptiveOptions_bindFromYaml() {
        yaml("""
                breaker:
                  defaults:
                    timeout: 2s
                    timeout-interrupt: true
                  instances:
                    reviews:
                      timeout: adaptive
                      adaptive-timeout:
                        percentile: 99.9
                        max: 3s
                        window: 30s
                        minimum-calls: 20
                    pricing:
                      minimum-calls: 5
                """).run(context -> {
            BreakerConfigFactory factory = context.getBean(BreakerConfigFactory.class);
            AdaptiveTimeout defaults = AdaptiveTimeout.defaults();
            assertThat(factory.configFor("reviews").adaptiveTimeout()).contains(new AdaptiveTimeout(99.9,
                    defaults.factor(), defaults.min(), Duration.ofSeconds(3), Duration.ofSeconds(30), 20));
            assertThat(factory.configFor("reviews").timeoutInterrupt()).isTrue();
            assertThat(factory.configFor("pricing").timeout()).contains(Duration.ofSeconds(2));
        });
    }

    @Test
    void timeoutThatIsNoDuration() {
        assertStartupFailure("breaker.instances.reviews.timeout is '2 seconds', but it must be a duration such as "
                        + "2s, or 'adaptive'. Set breaker.instances.reviews.timeout to a duration such as 2s, to "
                        + "'adaptive' (a timeout that follows recent call durations), or to 0 for none.",
                "breaker.instances.reviews.timeout=2 seconds");
    }

    @Test
    void negativeTimeout() {
        assertStartupFailure("breaker.defaults.timeout is 'PT-1S', but it must be positive. Set "
                + "breaker.defaults.timeout to a value that is positive.", "breaker.defaults.timeout=-1s");
    }

    @Test
    void slowCallDurationNotShorterThanTheTimeout_namesBothKeys() {
        assertStartupFailure("breaker.instances.reviews.slow-call-duration is 'PT2S', but it must be shorter than "
                        + "the breaker.defaults.timeout (PT2S): a call times out before it is slow. Set "
                        + "breaker.instances.reviews.slow-call-duration to a value that is shorter than the "
                        + "breaker.defaults.timeout (PT2S): a call times out before it is slow.",
                "breaker.defaults.timeout=2s", "breaker.instances.reviews.slow-call-duration=2s");
        assertStartupFailure("breaker.instances.reviews.slow-call-duration is 'PT10S', but it must be shorter than "
                        + "breaker.instances.reviews.adaptive-timeout.max (PT10S). Set "
                        + "breaker.instances.reviews.slow-call-duration to a value that is shorter than "
                        + "breaker.instances.reviews.adaptive-timeout.max (PT10S).",
                "breaker.instances.reviews.timeout=adaptive", "breaker.instances.reviews.slow-call-duration=10s");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            adaptive-timeout.percentile=100  | adaptive-timeout.percentile is '100.0', but it must be in (0, 100)
            adaptive-timeout.factor=0.5      | adaptive-timeout.factor is '0.5', but it must be at least 1
            adaptive-timeout.min=0s          | adaptive-timeout.min is 'PT0S', but it must be positive
            adaptive-timeout.window=500ms    | adaptive-timeout.window is 'PT0.5S', but it must be at least 1s
            adaptive-timeout.minimum-calls=0 | adaptive-timeout.minimum-calls is '0', but it must be at least 1
            """)
    void adaptiveTimeoutValues_outOfRange_nameTheFullKey(String setting, String expected) {
        String key = "breaker.instances.reviews." + setting.substring(0, setting.indexOf('='));
        String rule = expected.substring(expected.indexOf("must be"));
        assertStartupFailure("breaker.instances.reviews." + expected + ". Set " + key + " to a value that "
                        + rule.replaceFirst("^must be", "is") + ".",
                "breaker.instances.reviews." + setting, "breaker.instances.reviews.timeout=adaptive");
    }

    @Test
    void adaptiveMaximumBelowTheMinimumOfTheDefaults_namesWhereEachWasSet() {
        assertStartupFailure("breaker.instances.reviews.adaptive-timeout.max is 'PT0.1S', but it must be at least "
                        + "breaker.defaults.adaptive-timeout.min (PT0.2S). Set "
                        + "breaker.instances.reviews.adaptive-timeout.max to a value that is at least "
                        + "breaker.defaults.adaptive-timeout.min (PT0.2S).",
                "breaker.defaults.adaptive-timeout.min=200ms", "breaker.instances.reviews.timeout=adaptive",
                "breaker.instances.reviews.adaptive-timeout.max=100ms");
    }

    @Test
    void adaptiveTimeoutOptionOnAnInstanceWithoutAnAdaptiveTimeout_saysWhatTurnsItOn() {
        assertStartupFailure("breaker.instances.reviews.adaptive-timeout.max is 'PT5S', but it applies only to an "
                        + "adaptive timeout, which timeout turns on. Set breaker.instances.reviews.timeout to "
                        + "adaptive, or remove breaker.instances.reviews.adaptive-timeout.max.",
                "breaker.instances.reviews.timeout=1s", "breaker.instances.reviews.adaptive-timeout.max=5s");
    }

    // --- modes -------------------------------------------------------------------------------------------------

    @Test
    void modeThrottle_inKebabCase_withItsOptions() {
        assertConfig(config -> {
            assertThat(config.adaptiveThrottle()).contains(new AdaptiveThrottle(Duration.ofSeconds(10), 1.5f, 50));
            assertThat(config.adaptiveBaseline()).isEmpty();
        }, "breaker.instances.reviews.mode=throttle", "breaker.instances.reviews.throttle.window=10s",
                "breaker.instances.reviews.throttle.k=1.5", "breaker.defaults.throttle.max-reject=50");
        assertConfig(config -> assertThat(config.adaptiveThrottle()).contains(AdaptiveThrottle.defaults()),
                "breaker.defaults.mode=THROTTLE");
    }

    @Test
    void modeBaseline_withItsOptions_andTheCoreDefaultsForTheRest() {
        assertConfig(config -> assertThat(config.adaptiveBaseline()).contains(new AdaptiveBaseline(
                Duration.ofSeconds(5), Duration.ofMinutes(30), 2.5, 2, 12, 1, Duration.ZERO)),
                "breaker.instances.reviews.mode=baseline", "breaker.instances.reviews.baseline.bucket=5s",
                "breaker.instances.reviews.baseline.half-life=30m", "breaker.instances.reviews.baseline.z=2.5",
                "breaker.instances.reviews.baseline.confirm=2", "breaker.instances.reviews.baseline.warm-up-buckets=12",
                "breaker.instances.reviews.baseline.failure-rate-floor=1",
                "breaker.instances.reviews.baseline.latency-floor=0");
        assertConfig(config -> assertThat(config.adaptiveBaseline()).contains(AdaptiveBaseline.defaults()),
                "breaker.instances.reviews.mode=baseline");
    }

    @Test
    void modeStaticOnAnInstance_turnsOffTheModeOfTheDefaults_whoseOptionsMayStay() {
        assertConfig(config -> {
            assertThat(config.adaptiveThrottle()).isEmpty();
            assertThat(config.adaptiveBaseline()).isEmpty();
        }, "breaker.defaults.mode=throttle", "breaker.defaults.throttle.k=3", "breaker.instances.reviews.mode=static");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            throttle.window=500ms         | throttle.window is 'PT0.5S', but it must be at least 1s
            throttle.k=0.5                | throttle.k is '0.5', but it must be at least 1
            throttle.max-reject=0         | throttle.max-reject is '0.0', but it must be in (0, 100]
            baseline.bucket=100ms         | baseline.bucket is 'PT0.1S', but it must be at least 1s
            baseline.z=0                  | baseline.z is '0.0', but it must be positive
            baseline.confirm=0            | baseline.confirm is '0', but it must be at least 1
            baseline.warm-up-buckets=0    | baseline.warm-up-buckets is '0', but it must be at least 1
            baseline.failure-rate-floor=101 | baseline.failure-rate-floor is '101.0', but it must be in [0, 100]
            baseline.latency-floor=-1s    | baseline.latency-floor is 'PT-1S', but it must be zero or positive
            """)
    void modeValues_outOfRange_nameTheFullKey(String setting, String expected) {
        String key = "breaker.instances.reviews." + setting.substring(0, setting.indexOf('='));
        String rule = expected.substring(expected.indexOf("must be"));
        assertStartupFailure("breaker.instances.reviews." + expected + ". Set " + key + " to a value that "
                        + rule.replaceFirst("^must be", "is") + ".",
                "breaker.instances.reviews." + setting,
                "breaker.instances.reviews.mode=" + setting.substring(0, setting.indexOf('.')));
    }

    @Test
    void halfLifeShorterThanTheBucket_namesTheBucketsKey() {
        assertStartupFailure("breaker.instances.reviews.baseline.half-life is 'PT10S', but it must be at least "
                        + "breaker.instances.reviews.baseline.bucket (PT30S). Set "
                        + "breaker.instances.reviews.baseline.half-life to a value that is at least "
                        + "breaker.instances.reviews.baseline.bucket (PT30S).",
                "breaker.instances.reviews.mode=baseline", "breaker.instances.reviews.baseline.bucket=30s",
                "breaker.instances.reviews.baseline.half-life=10s");
    }

    @Test
    void modeOptionOnAnInstanceOfAnotherMode_saysWhatTurnsItOn() {
        assertStartupFailure("breaker.instances.reviews.throttle.k is '3.0', but it applies only to adaptive "
                        + "throttling, which mode turns on. Set breaker.instances.reviews.mode to throttle, or remove "
                        + "breaker.instances.reviews.throttle.k.",
                "breaker.instances.reviews.throttle.k=3");
        assertStartupFailure("breaker.instances.reviews.baseline.z is '2.0', but it applies only to a learned "
                        + "baseline, which mode turns on. Set breaker.instances.reviews.mode to baseline, or remove "
                        + "breaker.instances.reviews.baseline.z.",
                "breaker.instances.reviews.mode=throttle", "breaker.instances.reviews.baseline.z=2");
    }

    @Test
    void unknownMode_isRejectedByTheBinder_namingTheKey() {
        runner.withPropertyValues("breaker.instances.reviews.mode=learning").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("breaker.instances.reviews.mode")
                    .hasStackTraceContaining("learning");
        });
    }

    private ApplicationContextRunner yaml(String yaml) {
        return runner.withInitializer(context -> {
            try {
                new YamlPropertySourceLoader().load("test.yml",
                        new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8))).forEach(
                        source -> context.getEnvironment().getPropertySources().addFirst(source));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
