package dev.breaker.spring.actuate;

import dev.breaker.Breaker;
import dev.breaker.BreakerConfig;
import dev.breaker.BreakerRegistry;
import dev.breaker.CircuitState;
import dev.breaker.FakeTicker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.time.Duration;

import static dev.breaker.spring.actuate.ActuatorClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Timeouts, throttling and learned baselines as the endpoints and the Prometheus scrape show them, over real HTTP:
 * the current timeout, the share throttled, what a baseline learned and the inputs of its decision; nothing of a
 * feature that is off.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = ActuatorTestApp.class,
        properties = {
                "management.endpoints.web.exposure.include=breakers,breakerevents,prometheus",
                "breaker.instances.timed.timeout=1500ms",
                "breaker.instances.timed.timeout-interrupt=true",
                "breaker.instances.learning.timeout=adaptive",
                "breaker.instances.learning.adaptive-timeout.max=3s",
                "breaker.instances.throttled.mode=throttle",
                "breaker.instances.baseline.mode=baseline",
                "breaker.instances.baseline.failure-rate-threshold=90",
                "breaker.instances.baseline.minimum-calls=10",
                "breaker.instances.baseline.baseline.bucket=1s",
                "breaker.instances.baseline.baseline.warm-up-buckets=3",
                "breaker.instances.baseline.baseline.confirm=2",
                "breaker.instances.baseline.baseline.latency-floor=0",
                "breaker.instances.plain.minimum-calls=10"})
class AdaptiveProtectionEndpointsTests {

    @LocalServerPort
    int port;

    @Autowired
    BreakerRegistry registry;

    @Autowired
    FakeTicker ticker;

    ActuatorClient client;

    @BeforeEach
    void setUp() {
        client = new ActuatorClient(port);
    }

    private JsonNode breaker(String name) throws Exception {
        return json(client.get("/actuator/breakers/" + name));
    }

    @Test
    void fixedTimeout_isShownInTheDescriptorItsConfigAndAGauge() throws Exception {
        JsonNode timed = breaker("timed");

        assertThat(timed.get("timeoutMillis").asDouble()).isEqualTo(1500.0);
        assertThat(timed.get("config").get("timeout").asString()).isEqualTo("PT1.5S");
        assertThat(timed.get("config").get("adaptiveTimeout").isNull()).isTrue();
        assertThat(timed.get("config").get("timeoutInterrupt").asBoolean()).isTrue();
        assertThat(scrape()).contains("breaker_timeout_seconds{name=\"timed\"} 1.5");
    }

    @Test
    void adaptiveTimeout_showsItsCurrentLimit_theMaximumWhileTooFewCallsAreKnown() throws Exception {
        JsonNode learning = breaker("learning");

        assertThat(learning.get("timeoutMillis").asDouble()).isEqualTo(3000.0);
        assertThat(learning.get("config").get("timeout").isNull()).isTrue();
        JsonNode adaptive = learning.get("config").get("adaptiveTimeout");
        assertThat(adaptive.get("percentile").asDouble()).isEqualTo(99.0);
        assertThat(adaptive.get("factor").asDouble()).isEqualTo(2.0);
        assertThat(adaptive.get("min").asString()).isEqualTo("PT0.01S");
        assertThat(adaptive.get("max").asString()).isEqualTo("PT3S");
        assertThat(adaptive.get("window").asString()).isEqualTo("PT1M");
        assertThat(adaptive.get("minimumCalls").asInt()).isEqualTo(100);
        assertThat(scrape()).contains("breaker_timeout_seconds{name=\"learning\"} 3.0");
    }

    @Test
    void throttle_showsTheShareItRejects_inTheDescriptorAndAGauge() throws Exception {
        Breaker throttled = registry.find("throttled").orElseThrow();
        throttled.reset();
        for (int i = 0; i < 100; i++) {
            long permit = throttled.acquirePermit();
            if (i < 40) {
                throttled.recordSuccess(permit, 0);
            } else {
                throttled.recordFailure(permit, 0, new IOException("down"));
            }
        }
        ticker.advanceNanos(1);

        JsonNode descriptor = breaker("throttled");

        assertThat(descriptor.get("throttleRejectPercent").asDouble()).as("(100 - 2 x 40) / 101")
                .isCloseTo(19.8, within(0.05));
        assertThat(descriptor.get("config").get("mode").asString()).isEqualTo("throttle");
        JsonNode throttle = descriptor.get("config").get("throttle");
        assertThat(throttle.get("window").asString()).isEqualTo("PT30S");
        assertThat(throttle.get("k").asDouble()).isEqualTo(2.0);
        assertThat(throttle.get("maxRejectPercent").asDouble()).isEqualTo(80.0);
        assertThat(scrape()).containsPattern("breaker_throttle_reject_percent\\{name=\"throttled\"} 19\\.8");
    }

    @Test
    void baseline_showsWhatItLearned_andItsDecisionsInputs_inTheThresholdEvent() throws Exception {
        Breaker baseline = registry.find("baseline").orElseThrow();
        for (int bucket = 0; bucket < 5; bucket++) {
            bucketOfCalls(baseline, 1);
        }
        JsonNode learned = breaker("baseline").get("baseline");
        assertThat(learned.get("learnedBuckets").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(learned.get("warmedUp").asBoolean()).isTrue();
        assertThat(learned.get("failureRateMean").asDouble()).isCloseTo(1.0, within(0.01));
        assertThat(learned.get("failureRateStddev").asDouble()).isCloseTo(0.0, within(0.01));
        assertThat(learned.get("latencyMeanMillis").isNull()).as("latency-floor 0 learns no latency").isTrue();
        assertThat(learned.get("deviationsInARow").asInt()).isZero();
        assertThat(learned.get("lastDeviation").isNull()).isTrue();

        bucketOfCalls(baseline, 50);
        assertThat(breaker("baseline").get("baseline").get("deviationsInARow").asInt()).isZero();
        bucketOfCalls(baseline, 50);
        JsonNode deviating = breaker("baseline").get("baseline");
        assertThat(deviating.get("deviationsInARow").asInt()).as("the first 50 %% bucket, judged").isEqualTo(1);
        assertThat(deviating.get("lastDeviation").asString()).isEqualTo("failure-rate");
        bucketOfCalls(baseline, 50);

        assertThat(baseline.state()).isEqualTo(CircuitState.OPEN);
        JsonNode event = json(client.get("/actuator/breakerevents/baseline?type=THRESHOLD_EXCEEDED")).get("events")
                .get(0);
        assertThat(event.get("reason").asString()).isEqualTo("BASELINE_EXCEEDED");
        JsonNode inputs = event.get("baseline");
        assertThat(inputs.get("signal").asString()).isEqualTo("failure-rate");
        assertThat(inputs.get("value").asDouble()).isEqualTo(50.0);
        assertThat(inputs.get("mean").asDouble()).isCloseTo(1.0, within(0.01));
        assertThat(inputs.get("stddev").asDouble()).isCloseTo(0.0, within(0.01));
        assertThat(inputs.get("z").asDouble()).isEqualTo(3.0);
        JsonNode config = breaker("baseline").get("config");
        assertThat(config.get("mode").asString()).isEqualTo("baseline");
        assertThat(config.get("baseline").get("bucket").asString()).isEqualTo("PT1S");
        assertThat(config.get("baseline").get("confirm").asInt()).isEqualTo(2);
        assertThat(config.get("baseline").get("latencyFloor").asString()).isEqualTo("PT0S");
    }

    @Test
    void featuresThatAreOff_showNullsAndNoSeries() throws Exception {
        JsonNode plain = breaker("plain");

        assertThat(plain.get("timeoutMillis").isNull()).isTrue();
        assertThat(plain.get("throttleRejectPercent").isNull()).isTrue();
        assertThat(plain.get("baseline").isNull()).isTrue();
        assertThat(plain.get("config").get("mode").asString()).isEqualTo("static");
        assertThat(plain.get("config").get("throttle").isNull()).isTrue();
        assertThat(plain.get("config").get("baseline").isNull()).isTrue();
        assertThat(plain.get("config").get("timeoutInterrupt").asBoolean()).isFalse();
        assertThat(scrape()).doesNotContain("breaker_timeout_seconds{name=\"plain\"}")
                .doesNotContain("breaker_throttle_reject_percent{name=\"plain\"}");
    }

    @Test
    void reconfiguredBreaker_gainsAndLosesTheGaugesOfItsFeatures() throws Exception {
        Breaker breaker = registry.breaker("reconfigured");
        BreakerConfig before = breaker.config();
        assertThat(scrape()).doesNotContain("breaker_timeout_seconds{name=\"reconfigured\"}");

        breaker.reconfigure(before.toBuilder().timeout(Duration.ofSeconds(2)).build(), "test");
        assertThat(scrape()).contains("breaker_timeout_seconds{name=\"reconfigured\"} 2.0");

        breaker.reconfigure(before, "test");
        assertThat(scrape()).doesNotContain("breaker_timeout_seconds{name=\"reconfigured\"}");
    }

    /** One bucket of the baseline's 1 s: 100 calls 10 ms apart, {@code failures} of them failing. */
    private void bucketOfCalls(Breaker breaker, int failures) {
        long bucket = Duration.ofSeconds(1).toNanos();
        long intoBucket = Math.floorMod(ticker.read(), bucket);
        if (intoBucket != 0) {
            ticker.advanceNanos(bucket - intoBucket);
        }
        for (int i = 0; i < 100; i++) {
            if (i > 0) {
                ticker.advance(Duration.ofMillis(10));
            }
            long permit = breaker.acquirePermit();
            if (!Breaker.isPermitted(permit)) {
                continue;
            }
            if (i < failures) {
                breaker.recordFailure(permit, 0, new IOException("down"));
            } else {
                breaker.recordSuccess(permit, 0);
            }
        }
    }

    private String scrape() throws Exception {
        return client.get("/actuator/prometheus").body();
    }
}
