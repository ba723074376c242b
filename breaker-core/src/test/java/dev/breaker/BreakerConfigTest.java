package dev.breaker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BreakerConfigTest {

    @Test
    void defaults_suitATypicalHttpDependency() {
        BreakerConfig config = BreakerConfig.ofDefaults();

        assertThat(config.failureRateThreshold()).isEqualTo(50f);
        assertThat(config.slowCallRateThreshold()).isEqualTo(100f);
        assertThat(config.slowCallDuration()).isEmpty();
        assertThat(config.windowType()).isEqualTo(WindowType.COUNT);
        assertThat(config.countWindowSize()).isEqualTo(100);
        assertThat(config.timeWindowSize()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.timeWindowBuckets()).isEqualTo(10);
        assertThat(config.minimumCalls()).isEqualTo(20);
        assertThat(config.consecutiveFailures()).isZero();
        assertThat(config.waitInOpen()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.waitInOpenMultiplier()).isEqualTo(1.0);
        assertThat(config.maxWaitInOpen()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.halfOpenCalls()).isEqualTo(3);
        assertThat(config.maxWaitInHalfOpen()).isZero();
        assertThat(config.recordExceptions()).isEmpty();
        assertThat(config.ignoreExceptions()).isEmpty();
        assertThat(config.failurePredicate()).isEmpty();
        assertThat(config.failureResultPredicate()).isEmpty();
        assertThat(config.prolongedOpenAlert()).isEmpty();
        assertThat(config.writableStackTrace()).isFalse();
        assertThat(config.ticker()).isSameAs(Ticker.system());
    }

    @Test
    void build_rejectsEachInvalidValue_namingOptionRuleAndValue() {
        assertInvalid(b -> b.failureRateThreshold(150), "failureRateThreshold must be in (0, 100], was 150.0");
        assertInvalid(b -> b.failureRateThreshold(0), "failureRateThreshold must be in (0, 100], was 0.0");
        assertInvalid(b -> b.slowCallRateThreshold(-1), "slowCallRateThreshold must be in (0, 100], was -1.0");
        assertInvalid(b -> b.slowCallDuration(Duration.ZERO), "slowCallDuration must be positive, was PT0S");
        assertInvalid(b -> b.countWindow(0), "countWindow must be in [1, 1048576], was 0");
        assertInvalid(b -> b.timeWindow(Duration.ofMillis(500)), "timeWindow must be at least 1s, was PT0.5S");
        assertInvalid(b -> b.timeWindow(Duration.ofSeconds(1), 20),
                "timeWindowBuckets must be at least 1 and leave buckets of at least 100ms in a window of PT1S,"
                        + " was 20");
        assertInvalid(b -> b.minimumCalls(0), "minimumCalls must be at least 1, was 0");
        assertInvalid(b -> b.consecutiveFailures(-1), "consecutiveFailures must be 0 (off) or more, was -1");
        assertInvalid(b -> b.waitInOpen(Duration.ZERO), "waitInOpen must be at least 1ms, was PT0S");
        assertInvalid(b -> b.waitInOpenBackoff(0.5, Duration.ofMinutes(5)),
                "waitInOpenMultiplier must be at least 1.0, was 0.5");
        assertInvalid(b -> b.waitInOpenBackoff(2, Duration.ofSeconds(10)),
                "maxWaitInOpen must be at least waitInOpen (PT1M), was PT10S");
        assertInvalid(b -> b.halfOpenCalls(0), "halfOpenCalls must be in [1, 1048576], was 0");
        assertInvalid(b -> b.maxWaitInHalfOpen(Duration.ofSeconds(-1)),
                "maxWaitInHalfOpen must be zero (off) or positive, was PT-1S");
        assertInvalid(b -> b.prolongedOpenAlert(Duration.ZERO), "prolongedOpenAlert must be positive, was PT0S");
    }

    @Test
    void build_invalidValue_exceptionCarriesOptionRuleAndValue() {
        assertThatThrownBy(() -> BreakerConfig.builder().halfOpenCalls(-2).build())
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(e.option()).isEqualTo("halfOpenCalls");
                    assertThat(e.rule()).isEqualTo("must be in [1, 1048576]");
                    assertThat(e.value()).isEqualTo(-2);
                });
    }

    @Test
    void builder_copiesOnBuild_soLaterChangesDoNotLeakIntoBuiltConfigs() {
        BreakerConfig.Builder builder = BreakerConfig.builder().halfOpenCalls(5);
        BreakerConfig first = builder.build();
        builder.halfOpenCalls(7);

        assertThat(first.halfOpenCalls()).isEqualTo(5);
        assertThat(builder.build().halfOpenCalls()).isEqualTo(7);
    }

    @Test
    void toBuilder_startsFromTheConfigsValues() {
        BreakerConfig base = BreakerConfig.builder().timeWindow(Duration.ofSeconds(30), 30).consecutiveFailures(4)
                .ignoreExceptions(IllegalStateException.class).build();

        BreakerConfig derived = base.toBuilder().minimumCalls(7).build();

        assertThat(derived.windowType()).isEqualTo(WindowType.TIME);
        assertThat(derived.timeWindowSize()).isEqualTo(Duration.ofSeconds(30));
        assertThat(derived.timeWindowBuckets()).isEqualTo(30);
        assertThat(derived.consecutiveFailures()).isEqualTo(4);
        assertThat(derived.ignoreExceptions()).containsExactly(IllegalStateException.class);
        assertThat(derived.minimumCalls()).isEqualTo(7);
        assertThat(base.minimumCalls()).isEqualTo(20);
    }

    @Test
    void countWindow_andTimeWindow_lastOneWins() {
        assertThat(BreakerConfig.builder().timeWindow(Duration.ofSeconds(5)).countWindow(10).build().windowType())
                .isEqualTo(WindowType.COUNT);
        assertThat(BreakerConfig.builder().countWindow(10).timeWindow(Duration.ofSeconds(5)).build().windowType())
                .isEqualTo(WindowType.TIME);
    }

    @Test
    void classify_byDefault_recordsEveryErrorAsFailure() {
        BreakerConfig config = BreakerConfig.ofDefaults();

        assertThat(config.classify(new IOException())).isEqualTo(ErrorClassification.FAILURE);
        assertThat(config.classify(new OutOfMemoryError())).isEqualTo(ErrorClassification.FAILURE);
    }

    @Test
    void classify_ignoredWinsOverRecorded_andSubclassesMatch() {
        BreakerConfig config = BreakerConfig.builder().recordExceptions(RuntimeException.class)
                .ignoreExceptions(IllegalArgumentException.class).build();

        assertThat(config.classify(new NumberFormatException())).isEqualTo(ErrorClassification.IGNORED);
        assertThat(config.classify(new IllegalStateException())).isEqualTo(ErrorClassification.FAILURE);
        assertThat(config.classify(new IOException())).isEqualTo(ErrorClassification.SUCCESS);
    }

    @Test
    void classify_failurePredicate_addsToRecordedTypes() {
        BreakerConfig config = BreakerConfig.builder().recordExceptions(IOException.class)
                .failurePredicate(e -> e.getMessage() != null && e.getMessage().contains("503")).build();

        assertThat(config.classify(new IOException())).isEqualTo(ErrorClassification.FAILURE);
        assertThat(config.classify(new IllegalStateException("HTTP 503"))).isEqualTo(ErrorClassification.FAILURE);
        assertThat(config.classify(new IllegalStateException("HTTP 404"))).isEqualTo(ErrorClassification.SUCCESS);
    }

    @Test
    void classify_judgesCompletionExceptionsByTheirCause() {
        BreakerConfig config = BreakerConfig.builder().ignoreExceptions(UncheckedIOException.class).build();

        assertThat(config.classify(new CompletionException(new UncheckedIOException(new IOException()))))
                .isEqualTo(ErrorClassification.IGNORED);
    }

    @Test
    void isFailureResult_appliesThePredicateToNonNullResults() {
        BreakerConfig config = BreakerConfig.builder().failureResultPredicate(r -> r.equals("busy")).build();

        assertThat(config.isFailureResult("busy")).isTrue();
        assertThat(config.isFailureResult("ok")).isFalse();
        assertThat(config.isFailureResult(null)).isFalse();
        assertThat(BreakerConfig.ofDefaults().isFailureResult("busy")).isFalse();
    }

    @Test
    void waitInOpenNanos_growsByTheMultiplier_upToTheMaximum() {
        BreakerConfig config = BreakerConfig.builder().waitInOpen(Duration.ofSeconds(10))
                .waitInOpenBackoff(2.0, Duration.ofSeconds(50)).build();

        assertThat(config.waitInOpenNanos(0, 7)).isEqualTo(Duration.ofSeconds(10).toNanos());
        assertThat(config.waitInOpenNanos(1, 7)).isEqualTo(Duration.ofSeconds(20).toNanos());
        assertThat(config.waitInOpenNanos(2, 7)).isEqualTo(Duration.ofSeconds(40).toNanos());
        assertThat(config.waitInOpenNanos(3, 7)).isEqualTo(Duration.ofSeconds(50).toNanos());
        assertThat(config.waitInOpenNanos(400, 7)).isEqualTo(Duration.ofSeconds(50).toNanos());
    }

    @Test
    void waitInOpenNanos_withJitter_spreadsDeterministicallyWithinTheFraction() {
        BreakerConfig config = BreakerConfig.builder().waitInOpen(Duration.ofSeconds(10))
                .escalation(Escalation.defaults().withJitter(0.2)).build();
        long base = Duration.ofSeconds(10).toNanos();
        java.util.Set<Long> distinct = new java.util.HashSet<>();
        for (long seed = 0; seed < 1_000; seed++) {
            long wait = config.waitInOpenNanos(0, seed);
            assertThat(wait).isBetween((long) (base * 0.8), (long) (base * 1.2));
            assertThat(config.waitInOpenNanos(0, seed)).as("the same for the same seed").isEqualTo(wait);
            distinct.add(wait);
        }
        assertThat(distinct).as("spread").hasSizeGreaterThan(900);
    }

    private static void assertInvalid(UnaryOperator<BreakerConfig.Builder> change, String message) {
        Executable build = () -> change.apply(BreakerConfig.builder()).build();
        assertThatThrownBy(build::execute).isInstanceOf(InvalidConfigException.class).hasMessage(message);
    }
}
