package dev.breaker.spring.metrics;

import dev.breaker.Breaker;
import dev.breaker.BreakerRegistry;
import dev.breaker.FakeTicker;
import dev.breaker.Priority;
import dev.breaker.RejectionReason;
import dev.breaker.spring.actuate.ActuatorTestApp;
import dev.breaker.spring.actuate.Outages;
import dev.breaker.spring.annotation.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The meters as Prometheus scrapes them, after a known sequence of calls. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = BreakerMeterBinderTests.App.class,
        properties = {
                "management.endpoints.web.exposure.include=prometheus",
                "breaker.metrics.tags.region=eu",
                "breaker.metrics.call-duration=true",
                "breaker.instances.metered.sliding-window.size=4",
                "breaker.instances.metered.minimum-calls=4",
                "breaker.instances.metered.slow-call-duration=100ms",
                "breaker.instances.metered.ignore-exceptions=java.lang.IllegalArgumentException",
                "breaker.instances.limited.max-concurrent-calls=1",
                "breaker.instances.upstream.half-open-calls=1",
                "breaker.instances.dependent.depends-on=upstream",
                Outages.RAMPED})
class BreakerMeterBinderTests {

    @LocalServerPort
    int port;

    @Autowired
    BreakerRegistry registry;

    @Autowired
    FakeTicker ticker;

    @Autowired
    Timed timed;

    @Test
    void meters_reflectAKnownSequence() throws Exception {
        Breaker metered = registry.find("metered").orElseThrow();
        metered.tryAcquire();
        metered.onSuccess(Duration.ofMillis(150).toNanos());
        metered.tryAcquire();
        metered.onFailure(0, new IOException());
        metered.tryAcquire();
        metered.onFailure(0, new IllegalArgumentException());
        metered.tryAcquire();
        metered.onSuccess(0);
        metered.tryAcquire();
        metered.onFailure(0, new IOException());
        assertThat(metered.tryAcquire()).isFalse();
        assertThat(metered.tryAcquire()).isFalse();

        String scrape = scrape();

        assertThat(scrape)
                .contains("breaker_state{name=\"metered\",region=\"eu\",state=\"open\"} 1.0")
                .contains("breaker_state{name=\"metered\",region=\"eu\",state=\"closed\"} 0.0")
                .contains("breaker_calls_total{name=\"metered\",outcome=\"success\",region=\"eu\"} 2.0")
                .contains("breaker_calls_total{name=\"metered\",outcome=\"failure\",region=\"eu\"} 2.0")
                .contains("breaker_calls_total{name=\"metered\",outcome=\"ignored\",region=\"eu\"} 1.0")
                .contains("breaker_calls_total{name=\"metered\",outcome=\"not_permitted\",region=\"eu\"} 2.0")
                .contains("breaker_slow_calls_total{name=\"metered\",region=\"eu\"} 1.0")
                .contains("breaker_failure_rate_percent{name=\"metered\",region=\"eu\"} 50.0")
                .contains("breaker_slow_call_rate_percent{name=\"metered\",region=\"eu\"} 25.0")
                .contains("breaker_transitions_total{from=\"closed\",name=\"metered\",region=\"eu\",to=\"open\"} 1.0")
                .contains("breaker_prolonged_open_total{name=\"metered\",region=\"eu\"} 0.0");
    }

    @Test
    void rejections_byReasonAndByPriority_andCallsInFlightUnderAConcurrencyLimit() throws Exception {
        Priority.markInUse();
        Breaker limited = registry.find("limited").orElseThrow();
        long held = limited.acquirePermit();
        assertThat(Breaker.isPermitted(limited.acquirePermit(Priority.SHEDDABLE))).isFalse();
        Breaker dependent = registry.find("dependent").orElseThrow();
        registry.find("upstream").orElseThrow().forceOpen();
        assertThat(dependent.tryAcquire()).isFalse();

        String scrape = scrape();

        assertThat(scrape.lines())
                .contains("breaker_calls_not_permitted_total{name=\"limited\",reason=\"concurrency_limit\","
                        + "region=\"eu\"} 1.0")
                .contains("breaker_calls_not_permitted_by_priority_total{name=\"limited\",priority=\"sheddable\","
                        + "region=\"eu\"} 1.0")
                .contains("breaker_calls_in_flight{name=\"limited\",region=\"eu\"} 1.0")
                .contains("breaker_calls_not_permitted_total{name=\"dependent\",reason=\"dependency_open\","
                        + "region=\"eu\"} 1.0")
                .contains("breaker_calls_not_permitted_total{name=\"dependent\",reason=\"open\",region=\"eu\"} 0.0")
                .contains("breaker_calls_not_permitted_by_priority_total{name=\"dependent\",priority=\"critical\","
                        + "region=\"eu\"} 1.0")
                .contains("breaker_calls_total{name=\"dependent\",outcome=\"not_permitted\",region=\"eu\"} 1.0");
        assertThat(scrape.lines().filter(line -> line.startsWith("breaker_calls_not_permitted_total{")
                && line.contains("\"dependent\""))).as("one series per reason")
                .hasSize(RejectionReason.values().length);
        assertThat(scrape).as("a gauge only where a concurrency limit is set")
                .doesNotContain("breaker_calls_in_flight{name=\"dependent\"");
        limited.release(held);
        assertThat(scrape()).contains("breaker_calls_in_flight{name=\"limited\",region=\"eu\"} 0.0");
    }

    @Test
    void recoveringBreaker_showsItsStateLevelAndAdmittedShare() throws Exception {
        Outages.recovering(registry.find("ramped").orElseThrow(), ticker);
        ticker.advance(Duration.ofSeconds(30));

        assertThat(scrape().lines())
                .contains("breaker_state{name=\"ramped\",region=\"eu\",state=\"recovering\"} 1.0")
                .contains("breaker_state{name=\"ramped\",region=\"eu\",state=\"open\"} 0.0")
                .contains("breaker_state{name=\"ramped\",region=\"eu\",state=\"closed\"} 0.0")
                .contains("breaker_level{level=\"critical\",name=\"ramped\",region=\"eu\"} 1.0")
                .contains("breaker_level{level=\"normal\",name=\"ramped\",region=\"eu\"} 0.0")
                .contains("breaker_admitted_share_percent{name=\"ramped\",region=\"eu\"} 30.0")
                .contains("breaker_transitions_total{from=\"half_open\",name=\"ramped\",region=\"eu\","
                        + "to=\"recovering\"} 1.0");
    }

    @Test
    void emergency_isOneSeriesOfTheLevelGauge_andNothingIsAdmitted() throws Exception {
        Breaker ramped = registry.find("ramped").orElseThrow();
        Outages.open(ramped);
        Outages.trial(ramped, ticker, false);

        String scrape = scrape();

        assertThat(scrape.lines())
                .contains("breaker_level{level=\"emergency\",name=\"ramped\",region=\"eu\"} 1.0")
                .contains("breaker_level{level=\"critical\",name=\"ramped\",region=\"eu\"} 0.0")
                .contains("breaker_admitted_share_percent{name=\"ramped\",region=\"eu\"} 0.0");
        assertThat(scrape.lines().filter(line -> line.startsWith("breaker_level{") && line.contains("\"ramped\"")))
                .as("one series per level").hasSize(4);
        assertThat(scrape).contains("# TYPE breaker_level gauge", "# TYPE breaker_admitted_share_percent gauge");
    }

    @Test
    void closedBreaker_admitsTheWholeTraffic_atTheNormalLevel() throws Exception {
        registry.breaker("quiet");

        assertThat(scrape().lines())
                .contains("breaker_state{name=\"quiet\",region=\"eu\",state=\"recovering\"} 0.0")
                .contains("breaker_level{level=\"normal\",name=\"quiet\",region=\"eu\"} 1.0")
                .contains("breaker_admitted_share_percent{name=\"quiet\",region=\"eu\"} 100.0");
    }

    @Test
    void rateGauges_underTheMinimumCalls_haveNoValue_notAMinusOneSentinel() throws Exception {
        Breaker young = registry.breaker("young");
        young.tryAcquire();
        young.onFailure(0, new IOException());
        assertThat(young.metrics().failureRate()).as("the core's own figure below the minimum calls").isEqualTo(-1);

        assertThat(scrape().lines())
                .contains("breaker_failure_rate_percent{name=\"young\",region=\"eu\"} NaN")
                .contains("breaker_slow_call_rate_percent{name=\"young\",region=\"eu\"} NaN")
                .noneMatch(line -> line.startsWith("breaker_") && line.endsWith(" -1.0"));
    }

    @Test
    void callDurationTimer_recordsAnnotatedCalls() throws Exception {
        timed.call();
        timed.call();

        assertThat(scrape())
                .contains("breaker_call_duration_seconds_count{name=\"timed\",outcome=\"success\",region=\"eu\"} 2");
    }

    @Test
    void breakersCreatedLater_areBoundToo() throws Exception {
        registry.breaker("late");

        assertThat(scrape()).contains("breaker_state{name=\"late\",region=\"eu\",state=\"closed\"} 1.0");
    }

    @Test
    void removedBreakers_loseTheirMeters() throws Exception {
        registry.breaker("gone");
        registry.remove("gone");

        assertThat(scrape()).doesNotContain("name=\"gone\"");
    }

    private String scrape() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    @Configuration(proxyBeanMethods = false)
    @Import(ActuatorTestApp.class)
    static class App {

        @Bean
        Timed timed() {
            return new Timed();
        }
    }

    static class Timed {
        @CircuitBreaker(name = "timed")
        public String call() {
            return "ok";
        }
    }
}
