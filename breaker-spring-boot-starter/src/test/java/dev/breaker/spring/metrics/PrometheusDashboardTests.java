package dev.breaker.spring.metrics;

import dev.breaker.Breaker;
import dev.breaker.BreakerRegistry;
import dev.breaker.CircuitState;
import dev.breaker.FakeTicker;
import dev.breaker.Level;
import dev.breaker.Priority;
import dev.breaker.redis.testing.RedisServer;
import dev.breaker.spring.actuate.Outages;
import dev.breaker.spring.annotation.CircuitBreaker;
import dev.breaker.spring.autoconfigure.BreakerConfigCustomizer;
import dev.breaker.spring.metrics.GrafanaDashboard.Target;
import dev.breaker.spring.states.BreakerStates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shipped Grafana dashboard against a real Prometheus (Debian's {@code prometheus}, started by the test on a free
 * loopback port) scraping this application's {@code /actuator/prometheus} as two instances ({@code 127.0.0.1:port}
 * and {@code localhost:port}, as two instances of one application would be): breakers in every state and level, with
 * rejections, slow calls, a timeout, throttling, a concurrency limit, timed calls with a histogram, and cluster
 * coordination on a real redis-server. Every panel's query, with the variables resolved through Prometheus as Grafana
 * resolves them, returns series.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = PrometheusDashboardTests.App.class,
        properties = {
                "spring.autoconfigure.exclude=",
                "spring.application.name=checkout",
                "management.metrics.tags.application=checkout",
                "management.endpoints.web.exposure.include=prometheus",
                "breaker.metrics.call-duration=true",
                "management.metrics.distribution.percentiles-histogram.breaker.call.duration=true",
                "management.metrics.distribution.slo.breaker.call.duration=50ms",
                "management.metrics.distribution.minimum-expected-value.breaker.call.duration=1ms",
                "management.metrics.distribution.maximum-expected-value.breaker.call.duration=1s",
                "breaker.cluster.enabled=true",
                "breaker.cluster.instance-id=web",
                "breaker.cluster.publish-interval=200ms",
                "breaker.instances.shared.cluster.policy=share-open",
                "breaker.instances.metered.sliding-window.size=4",
                "breaker.instances.metered.minimum-calls=4",
                "breaker.instances.metered.slow-call-duration=100ms",
                "breaker.instances.young.minimum-calls=10",
                "breaker.instances.trial.consecutive-failures=1",
                "breaker.instances.trial.half-open-calls=2",
                "breaker.instances.limited.max-concurrent-calls=1",
                "breaker.instances.warned.consecutive-failures=4",
                "breaker.instances.warned.escalation.enabled=true",
                "breaker.instances.upstream.half-open-calls=1",
                "breaker.instances.dependent.depends-on=upstream",
                "breaker.instances.timed.timeout=1s",
                "breaker.instances.throttled.mode=throttle",
                """
                breaker.instances.escalated.consecutive-failures=1
                breaker.instances.escalated.half-open-calls=1
                breaker.instances.escalated.escalation.enabled=true
                breaker.instances.escalated.escalation.emergency-after=1
                """,
                Outages.RAMPED})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusDashboardTests {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    /** How long Prometheus may take to scrape what the test did: a few scrapes, two seconds apart. */
    private static final Duration SCRAPES = Duration.ofSeconds(30);

    /** Grafana's macros, as it sets them for an hour's dashboard: every sample of the test is in the windows. */
    private static final Map<String, String> MACROS = Map.of("__rate_interval", "5m", "__range", "1h",
            "__interval", "15s");

    private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.+), (\\w+)\\)$");

    @LocalServerPort
    int port;

    @Autowired
    BreakerRegistry registry;

    @Autowired
    FakeTicker ticker;

    @Autowired
    Timed timed;

    private final GrafanaDashboard dashboard = GrafanaDashboard.shipped();

    private PrometheusServer prometheus;

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry properties) {
        properties.add("spring.data.redis.host", () -> "127.0.0.1");
        properties.add("spring.data.redis.port", redis::port);
    }

    /**
     * Starts Prometheus once it has something to scrape, then drives the breakers: after its first scrape, so that
     * counters rise between samples as in production (a {@code rate() > 0} sees only what happened after the first).
     */
    @BeforeAll
    void startPrometheus_thenDriveTheBreakers(@TempDir Path prometheusHome) {
        Breaker metered = registry.breaker("metered");
        Outages.open(metered); // the first opening creates the transition counters Prometheus then sees rise
        metered.reset();
        registry.breaker("shared");
        prometheus = PrometheusServer.start(prometheusHome, instances(), "/actuator/prometheus",
                List.of(PrometheusAlertRulesTests.copy(PrometheusAlertRulesTests.RULES, prometheusHome)));
        prometheus.awaitScrape(instances().size(), SCRAPES);

        // open by failure rate, with a slow call, then rejected
        metered.tryAcquire();
        metered.onSuccess(Duration.ofMillis(150).toNanos());
        for (int i = 0; i < 3; i++) {
            metered.tryAcquire();
            metered.onFailure(0, new IOException("down"));
        }
        assertThat(metered.state()).isEqualTo(CircuitState.OPEN);
        assertThat(metered.tryAcquire()).isFalse();
        // under the minimum calls: no rate
        Breaker young = registry.breaker("young");
        young.tryAcquire();
        young.onFailure(0, new IOException("down"));
        registry.breaker("quiet");
        Breaker warned = registry.breaker("warned"); // half its failures in a row: closed, at the warning level
        for (int i = 0; i < 2; i++) {
            warned.tryAcquire();
            warned.onFailure(0, new IOException("down"));
        }
        assertThat(warned.level()).isEqualTo(Level.WARNING);
        // half-open: a trial call in flight
        Breaker trial = registry.breaker("trial");
        Outages.open(trial);
        ticker.advance(trial.rejection(trial.acquirePermit()).retryAfter().orElseThrow()).advanceNanos(1);
        assertThat(Breaker.isTrial(trial.acquirePermit())).isTrue();
        assertThat(trial.state()).isEqualTo(CircuitState.HALF_OPEN);
        Outages.recovering(registry.breaker("ramped"), ticker);
        Breaker escalated = registry.breaker("escalated");
        Outages.open(escalated);
        Outages.trial(escalated, ticker, false);
        assertThat(escalated.level()).isEqualTo(Level.EMERGENCY);
        registry.breaker("forced").forceOpen();
        registry.breaker("disabled").disable();
        // rejected by a concurrency limit, with a priority, and by an open dependency
        Priority.markInUse();
        Breaker limited = registry.breaker("limited");
        assertThat(Breaker.isPermitted(limited.acquirePermit())).isTrue();
        assertThat(Breaker.isPermitted(limited.acquirePermit(Priority.SHEDDABLE))).isFalse();
        registry.breaker("upstream").forceOpen();
        assertThat(registry.breaker("dependent").tryAcquire()).isFalse();
        registry.breaker("throttled");
        for (int i = 0; i < 20; i++) {
            timed.call(i);
        }
    }

    @AfterAll
    void stopPrometheus() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    /** This application, scraped twice under two names: two instances of one application to Prometheus. */
    private List<String> instances() {
        return List.of("127.0.0.1:" + port, "localhost:" + port);
    }

    @Test
    void everyPanelsQuery_returnsSeries_withTheVariablesResolvedThroughPrometheus() {
        Map<String, String> values = resolveVariables(true);
        List<Target> targets = dashboard.targets();

        await("every panel returns series").atMost(SCRAPES).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Map<String, String> empty = new TreeMap<>();
            for (Target target : targets) {
                String query = GrafanaDashboard.substitute(target.expr(), values);
                if (evaluate(target, query).isEmpty()) {
                    empty.put(target.toString(), query);
                }
            }
            assertThat(empty).as("panels whose query returned no series").isEmpty();
        });
        assertThat(targets).hasSizeGreaterThanOrEqualTo(20);
    }

    @Test
    void variables_listTheApplication_itsTwoInstances_andTheirBreakers() {
        await("the variables' values").atMost(SCRAPES).untilAsserted(() -> {
            Map<String, String> all = new HashMap<>(MACROS);
            Map<String, List<String>> listed = new LinkedHashMap<>();
            for (JsonNode variable : dashboard.queryVariables()) {
                listed.put(variable.get("name").asString(), labelValues(variable, all));
                all.put(variable.get("name").asString(), ".*");
            }

            assertThat(listed.get("application")).containsExactly("checkout");
            assertThat(listed.get("instance")).containsExactlyInAnyOrderElementsOf(instances());
            assertThat(listed.get("breaker")).contains("metered", "trial", "ramped", "escalated", "forced",
                    "disabled", "limited", "dependent", "timed", "throttled", "shared");
        });
    }

    @Test
    void theStateTimeline_showsEachBreakerPerInstance_atTheCodeItsValueMappingColoursAsItsState() {
        assertTimelineCodes("State", breaker -> BreakerStates.of(breaker.state()).tag(),
                Set.of("closed", "open", "half_open", "recovering", "forced_open", "disabled"));
    }

    @Test
    void theLevelTimeline_showsEachBreakerPerInstance_atTheCodeItsValueMappingColoursAsItsLevel() {
        assertTimelineCodes("Level", breaker -> BreakerStates.of(breaker.level()).tag(),
                Set.of("normal", "warning", "critical", "emergency"));
    }

    /** The timeline, for one instance, gives each breaker the code of its state (or level); then for both. */
    private void assertTimelineCodes(String title, Function<Breaker, String> shown, Set<String> seen) {
        String expr = dashboard.panel(title).get("targets").get(0).get("expr").asString();
        Map<String, String> tagByCode = new HashMap<>();
        dashboard.codes(title).forEach((tag, code) -> tagByCode.put(code, tag));
        Map<String, String> oneInstance = resolveVariables(true);
        Map<String, String> allInstances = resolveVariables(false);

        await(title + " of every breaker").atMost(SCRAPES).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonNode series = prometheus.query(GrafanaDashboard.substitute(expr, oneInstance));
            Map<String, String> shownByName = new TreeMap<>();
            Map<String, String> expectedByName = new TreeMap<>();
            series.forEach(one -> {
                String name = one.get("metric").get("name").asString();
                shownByName.put(name, tagByCode.get(one.get("value").get(1).asString()));
                expectedByName.put(name, shown.apply(registry.breaker(name)));
            });
            assertThat(shownByName).isEqualTo(expectedByName);
            assertThat(new TreeSet<>(shownByName.values())).containsAll(seen);
            assertThat(prometheus.query(GrafanaDashboard.substitute(expr, allInstances)))
                    .as("one row per breaker and instance").hasSize(series.size() * instances().size());
        });
    }

    @Test
    void rateGauges_underTheMinimumCalls_readNaN_andNoGaugeReadsMinusOne() {
        await().atMost(SCRAPES).untilAsserted(() -> {
            JsonNode young = prometheus.query("breaker_failure_rate_percent{name=\"young\"}");
            assertThat(young).hasSize(instances().size())
                    .allSatisfy(series -> assertThat(series.get("value").get(1).asString()).isEqualTo("NaN"));
            assertThat(prometheus.query("breaker_slow_call_rate_percent{name=\"young\"}"))
                    .allSatisfy(series -> assertThat(series.get("value").get(1).asString()).isEqualTo("NaN"));
            assertThat(prometheus.query("breaker_failure_rate_percent{name=\"metered\"}")).as("once it has a rate")
                    .isNotEmpty().allSatisfy(series -> assertThat(series.get("value").get(1).asString())
                            .isEqualTo("75"));
        });
        assertThat(prometheus.query("{__name__=~\"breaker_.+\",job=\"" + PrometheusServer.JOB + "\"} < 0"))
                .as("no series of a breaker meter below zero").isEmpty();
    }

    @Test
    void theCallDurationTimer_hasTheHistogramBuckets_managementMetricsDistributionAsksFor() {
        String buckets = "breaker_call_duration_seconds_bucket{name=\"timed\",outcome=\"success\","
                + "instance=\"127.0.0.1:" + port + "\"}";
        await().atMost(SCRAPES).untilAsserted(() -> {
            Set<String> bounds = new TreeSet<>();
            prometheus.query(buckets).forEach(series -> bounds.add(series.get("metric").get("le").asString()));
            assertThat(bounds).as("percentiles-histogram's buckets, the SLO and +Inf").hasSizeGreaterThan(10)
                    .contains("0.05", "+Inf");
            assertThat(bounds.stream().filter(bound -> !bound.equals("+Inf")).map(Double::parseDouble))
                    .as("between minimum-expected-value and maximum-expected-value")
                    .allSatisfy(bound -> assertThat(bound).isBetween(0.001, 1.0));
            assertThat(prometheus.query("sum(" + buckets.replace("}", ",le=\"+Inf\"}") + ")").get(0).get("value")
                    .get(1).asString()).isEqualTo("20");
        });
    }

    @Test
    void theExampleAlerts_matchTheRealMeters_andArePendingForTheBreakersInTrouble_onEachInstance() {
        await().atMost(SCRAPES).untilAsserted(() -> {
            Map<String, Set<String>> pending = new TreeMap<>();
            prometheus.query("ALERTS{alertstate=\"pending\"}").forEach(alert -> pending
                    .computeIfAbsent(alert.get("metric").get("alertname").asString(), name -> new TreeSet<>())
                    .add(alert.get("metric").get("name").asString() + " @ "
                            + alert.get("metric").get("instance").asString()));

            assertThat(pending.get("BreakerOpen")).as("open, not forced open, for less than its 5 minutes")
                    .containsExactlyInAnyOrderElementsOf(onEachInstance("metered", "escalated"));
            assertThat(pending.get("BreakerEmergency"))
                    .containsExactlyInAnyOrderElementsOf(onEachInstance("escalated"));
            assertThat(pending.get("BreakerHighRejectionRate")).as("every call rejected")
                    .containsAll(onEachInstance("limited", "dependent"));
        });
    }

    private List<String> onEachInstance(String... breakers) {
        return Stream.of(breakers).flatMap(name -> instances().stream().map(instance -> name + " @ " + instance))
                .toList();
    }

    private JsonNode evaluate(Target target, String query) {
        return target.instant() ? prometheus.query(query)
                : prometheus.queryRange(query, Duration.ofMinutes(5), Duration.ofSeconds(15));
    }

    /**
     * The dashboard's variables resolved in order, each from its {@code label_values} query through Prometheus as
     * Grafana resolves them: the application (the one there is), the first instance listed or all, all breakers;
     * a value as a regular expression, the way Grafana writes it into a query; with Grafana's macros.
     */
    private Map<String, String> resolveVariables(boolean oneInstance) {
        Map<String, String> values = new HashMap<>(MACROS);
        for (JsonNode variable : dashboard.queryVariables()) {
            String name = variable.get("name").asString();
            List<String> listed = labelValues(variable, values);
            assertThat(listed).as("values of $%s", name).isNotEmpty();
            boolean one = name.equals("application") || name.equals("instance") && oneInstance;
            values.put(name, one ? listed.get(0).replaceAll("([.+*?()\\[\\]{}|^$\\\\])", "\\\\\\\\$1") : ".*");
        }
        return values;
    }

    private List<String> labelValues(JsonNode variable, Map<String, String> values) {
        Matcher query = LABEL_VALUES.matcher(variable.get("definition").asString());
        assertThat(query.matches()).as("%s is a label_values query", variable.get("definition")).isTrue();
        return prometheus.labelValues(query.group(2), GrafanaDashboard.substitute(query.group(1), values));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        FakeTicker fakeTicker() {
            return new FakeTicker();
        }

        /** Fake time for the breakers the test takes through an outage; real time for the others. */
        @Bean
        BreakerConfigCustomizer fakeTime(FakeTicker ticker) {
            Set<String> outages = Set.of("trial", "ramped", "escalated");
            return (name, builder) -> {
                if (outages.contains(name)) {
                    builder.ticker(ticker).clock(ticker.clock());
                }
            };
        }

        @Bean
        Timed timed() {
            return new Timed();
        }
    }

    static class Timed {
        @CircuitBreaker(name = "timed")
        public int call(int i) {
            return i;
        }
    }
}
