package dev.breaker.spring.metrics;

import dev.breaker.spring.metrics.GrafanaDashboard.Target;
import dev.breaker.spring.states.BreakerStates;
import dev.breaker.spring.states.BreakerStates.LevelDescriptor;
import dev.breaker.spring.states.BreakerStates.StateDescriptor;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped Grafana dashboard shows every state and level in a colour of its own, tells applications and instances
 * apart, and asks instant queries where a range query would repeat bars. {@code PrometheusDashboardTests} runs its
 * queries in a real Prometheus scraping the meters.
 */
class GrafanaDashboardTests {

    /** A series selector: {@code breaker_state{application=~"$application",...}}. */
    private static final Pattern SELECTOR = Pattern.compile("\\b(breaker_[a-z_]+)\\{([^}]*)}");

    private final GrafanaDashboard dashboard = GrafanaDashboard.shipped();

    @Test
    void theStateTimeline_mapsEveryStateTheStarterExports_toAColourOfItsOwn() {
        assertCodedAndMapped("State", BreakerStates.states().stream().map(StateDescriptor::tag).toList());
    }

    @Test
    void theLevelTimeline_mapsEveryLevel_toAColourOfItsOwn() {
        assertCodedAndMapped("Level", BreakerStates.levels().stream().map(LevelDescriptor::tag).toList());
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
     * The timeline's query gives each state (or level) a code, and its value mappings show each code as one text in
     * one colour: every value the meters export is there once, none twice, no colour shared.
     */
    private void assertCodedAndMapped(String title, List<String> exported) {
        JsonNode panel = dashboard.panel(title);
        assertThat(panel.get("type").asString()).isEqualTo("state-timeline");
        Map<String, String> codeByValue = dashboard.codes(title);
        JsonNode mappings = panel.get("fieldConfig").get("defaults").get("mappings").get(0).get("options");

        assertThat(codeByValue.keySet()).as("the values the query codes")
                .containsExactlyInAnyOrderElementsOf(exported);
        assertThat(new TreeSet<>(codeByValue.values())).as("one code per value").hasSize(exported.size());
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
}
