package dev.breaker.spring.metrics;

import dev.breaker.Breaker;
import dev.breaker.BreakerConfig;
import dev.breaker.BreakerRegistry;
import dev.breaker.spring.metrics.GrafanaDashboard.Target;
import dev.breaker.spring.states.BreakerStates;
import dev.breaker.spring.states.BreakerStates.LevelDescriptor;
import dev.breaker.spring.states.BreakerStates.StateDescriptor;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped Grafana dashboard queries only series and label values the meters really produce, shows every state and
 * level in a colour of its own, tells applications and instances apart, and asks instant queries where a range query
 * would repeat bars. {@code PrometheusDashboardTests} runs its queries in a real Prometheus.
 */
class GrafanaDashboardTests {

    private static final Pattern SERIES = Pattern.compile("\\bbreaker_[a-z_]+");
    /** A series selector: {@code breaker_state{application=~"$application",...}}. */
    private static final Pattern SELECTOR = Pattern.compile("\\b(breaker_[a-z_]+)\\{([^}]*)}");
    /** A matcher of a state, level or outcome label: {@code state="recovering"}, {@code state=~"open|forced_open"}. */
    private static final Pattern LABEL = Pattern.compile("\\b(state|level|outcome)=~?\"([^\"]+)\"");
    /** A coded term of a timeline: {@code (breaker_state{...,state="open"} == 1) * 1}. */
    private static final Pattern CODED = Pattern.compile("\\b(state|level)=\"([a-z_]+)\"} == 1\\) \\* (\\d+)");

    private final GrafanaDashboard dashboard = GrafanaDashboard.shipped();

    @Test
    void theStateTimeline_mapsEveryStateTheStarterExports_toAColourOfItsOwn() {
        assertCodedAndMapped("State", "state", BreakerStates.states().stream().map(StateDescriptor::tag).toList());
    }

    @Test
    void theLevelTimeline_mapsEveryLevel_toAColourOfItsOwn() {
        assertCodedAndMapped("Level", "level", BreakerStates.levels().stream().map(LevelDescriptor::tag).toList());
    }

    @Test
    void theClusterTimeline_mapsEveryValueItsExpressionCanTake() {
        JsonNode mappings = dashboard.panel("Cluster state per breaker (breaker.cluster.enabled)")
                .get("fieldConfig").get("defaults").get("mappings").get(0).get("options");

        // following * 2 + lease held, both 0 or 1
        assertThat(mappings.propertyNames()).containsExactlyInAnyOrder("0", "1", "2", "3");
        assertDistinct(mappings, "color");
        assertDistinct(mappings, "text");
    }

    /**
     * The timeline's query gives each value of {@code label} a code, and its value mappings show each code as one
     * text in one colour: every value the meters export is there once, none twice, no colour shared.
     */
    private void assertCodedAndMapped(String title, String label, List<String> exported) {
        JsonNode panel = dashboard.panel(title);
        assertThat(panel.get("type").asString()).isEqualTo("state-timeline");
        Map<String, String> codeByValue = new TreeMap<>();
        Matcher matcher = CODED.matcher(panel.get("targets").get(0).get("expr").asString());
        while (matcher.find()) {
            assertThat(matcher.group(1)).isEqualTo(label);
            assertThat(codeByValue.put(matcher.group(2), matcher.group(3))).as("%s coded once", matcher.group(2))
                    .isNull();
        }
        JsonNode mappings = panel.get("fieldConfig").get("defaults").get("mappings").get(0).get("options");

        assertThat(codeByValue.keySet()).as("the %s values the query codes", label)
                .containsExactlyInAnyOrderElementsOf(exported);
        assertThat(new TreeSet<>(codeByValue.values())).as("one code per %s", label).hasSize(exported.size());
        assertThat(mappings.propertyNames()).as("a mapping per code")
                .containsExactlyInAnyOrderElementsOf(codeByValue.values());
        assertDistinct(mappings, "color");
        assertDistinct(mappings, "text");
    }

    private static void assertDistinct(JsonNode mappings, String field) {
        List<String> values = mappings.valueStream().map(mapping -> mapping.get(field).asString()).toList();
        assertThat(values).as("the mappings' %s", field).doesNotContainNull().doesNotHaveDuplicates();
    }

    @Test
    void variables_chooseTheApplication_thenItsInstances_thenTheirBreakers() {
        List<JsonNode> variables = dashboard.queryVariables();

        assertThat(variables).extracting(variable -> variable.get("name").asString())
                .containsExactly("application", "instance", "breaker");
        assertThat(variables).allSatisfy(variable -> {
            assertThat(variable.get("multi").asBoolean()).isTrue();
            assertThat(variable.get("includeAll").asBoolean()).isTrue();
            // an application without the tag has no application label, which ".*" matches and "All" must too
            assertThat(variable.get("allValue").asString()).isEqualTo(".*");
        });
        assertThat(variables.get(1).get("definition").asString()).contains("application=~\"$application\"")
                .endsWith(", instance)");
        assertThat(variables.get(2).get("definition").asString())
                .contains("application=~\"$application\"", "instance=~\"$instance\"").endsWith(", name)");
    }

    @Test
    void everyQuery_filtersByApplicationAndInstance_andPerBreakerSeriesByBreaker() {
        List<String> selectors = new ArrayList<>();
        dashboard.targets().forEach(target -> {
            Matcher matcher = SELECTOR.matcher(target.expr());
            while (matcher.find()) {
                selectors.add(matcher.group());
                assertThat(matcher.group(2)).as("%s in %s", matcher.group(1), target)
                        .contains("application=~\"$application\"", "instance=~\"$instance\"");
                if (!Set.of("breaker_cluster_instances", "breaker_cluster_connected").contains(matcher.group(1))) {
                    assertThat(matcher.group(2)).as("%s in %s", matcher.group(1), target)
                            .contains("name=~\"$breaker\"");
                }
            }
        });
        assertThat(selectors).hasSizeGreaterThan(dashboard.targets().size());
    }

    @Test
    void statsAndBarCharts_askInstantQueries_andOnlyTheyAskForTheWholeRange() {
        assertThat(dashboard.targets()).allSatisfy(target -> {
            boolean onePoint = target.panelType().equals("stat") || target.panelType().equals("barchart");
            assertThat(target.instant()).as("%s is instant", target).isEqualTo(onePoint);
            if (target.expr().contains("$__range")) {
                assertThat(target.instant()).as("%s over $__range is instant, or it repeats per step", target)
                        .isTrue();
            }
        });
        assertThat(dashboard.targets()).extracting(Target::panelType).contains("stat", "barchart",
                "state-timeline", "timeseries");
    }

    @Test
    void everyStateLevelAndOutcomeTheDashboardQueries_isALabelValueOfTheScrape() {
        Set<String> queried = new TreeSet<>();
        dashboard.targets().forEach(target -> {
            Matcher matcher = LABEL.matcher(target.expr());
            while (matcher.find()) {
                for (String value : matcher.group(2).split("\\|")) {
                    queried.add(matcher.group(1) + "=\"" + value + "\"");
                }
            }
        });

        String scrape = scrapeOfABusyBreaker();

        assertThat(queried).contains("state=\"recovering\"", "level=\"emergency\"")
                .allSatisfy(label -> assertThat(scrape).as("label %s", label).contains(label));
    }

    @Test
    void everyNonClusterSeriesTheDashboardQueries_isScrapedFromTheBinder() {
        List<String> expressions = new ArrayList<>(dashboard.targets().stream().map(Target::expr).toList());
        dashboard.queryVariables().forEach(variable -> expressions.add(variable.get("definition").asString()));
        Set<String> queried = new TreeSet<>();
        expressions.forEach(expression -> {
            Matcher matcher = SERIES.matcher(expression);
            while (matcher.find()) {
                queried.add(matcher.group());
            }
        });
        queried.removeIf(series -> series.startsWith("breaker_cluster_"));
        queried.removeAll(Set.of("breaker_timeout_seconds", "breaker_throttle_reject_percent",
                "breaker_calls_in_flight", "breaker_call_duration_seconds_bucket"));

        String scrape = scrapeOfABusyBreaker();

        assertThat(queried).hasSizeGreaterThanOrEqualTo(10).contains("breaker_level", "breaker_admitted_share_percent")
                .allSatisfy(series -> assertThat(scrape).as("series %s", series)
                        .containsPattern("(?m)^" + series + "\\{"));
    }

    private static String scrapeOfABusyBreaker() {
        BreakerRegistry registry = BreakerRegistry.of(BreakerConfig.builder().consecutiveFailures(1)
                .slowCallDuration(Duration.ofMillis(1)).build());
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new BreakerMeterBinder(registry, Tags.empty()).bindTo(meters);
        Breaker breaker = registry.breaker("inventory");
        new MicrometerCallTimers(() -> meters, Tags.empty()).forBreaker(breaker).record(1_000, true);
        breaker.tryAcquire();
        breaker.onFailure(Duration.ofMillis(5).toNanos(), new IllegalStateException());
        return meters.scrape();
    }
}
