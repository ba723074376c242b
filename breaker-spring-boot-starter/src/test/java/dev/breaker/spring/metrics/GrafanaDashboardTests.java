package dev.breaker.spring.metrics;

import dev.breaker.Breaker;
import dev.breaker.BreakerConfig;
import dev.breaker.BreakerRegistry;
import dev.breaker.spring.states.BreakerStates;
import dev.breaker.spring.states.BreakerStates.LevelDescriptor;
import dev.breaker.spring.states.BreakerStates.StateDescriptor;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped Grafana dashboard queries only series and label values the meters really produce, and colours each. */
class GrafanaDashboardTests {

    private static final Pattern SERIES = Pattern.compile("\\bbreaker_[a-z_]+");
    /** A matcher of a state, level or outcome label: {@code state="recovering"}, {@code state=~"open|forced_open"}. */
    private static final Pattern LABEL = Pattern.compile("\\b(state|level|outcome)=~?\"([^\"]+)\"");
    /** A series colour override of a timeline: {@code /: recovering$/}, {@code /: (open|forced_open)$/}. */
    private static final Pattern COLOURED = Pattern.compile("^/: \\(?([a-z_|]+)\\)?\\$/$");

    private static JsonNode dashboard() throws Exception {
        try (InputStream in = GrafanaDashboardTests.class
                .getResourceAsStream("/META-INF/breaker/grafana-dashboard.json")) {
            return JsonMapper.builder().build().readTree(in);
        }
    }

    private static List<String> expressions(JsonNode dashboard) {
        List<String> expressions = new ArrayList<>();
        dashboard.get("panels").forEach(panel -> panel.get("targets")
                .forEach(target -> expressions.add(target.get("expr").asString())));
        return expressions;
    }

    @Test
    void everyStateLevelAndOutcomeTheDashboardQueries_isALabelValueOfTheScrape() throws Exception {
        Set<String> queried = new TreeSet<>();
        expressions(dashboard()).forEach(expression -> {
            Matcher matcher = LABEL.matcher(expression);
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
    void theStateAndLevelTimelines_colourEveryStateAndLevel() throws Exception {
        Map<String, Set<String>> colouredByPanel = new HashMap<>();
        dashboard().get("panels").forEach(panel -> panel.get("fieldConfig").get("overrides").forEach(override -> {
            Matcher matcher = COLOURED.matcher(override.get("matcher").get("options").asString());
            if (matcher.matches()) {
                colouredByPanel.computeIfAbsent(panel.get("title").asString(), title -> new TreeSet<>())
                        .addAll(List.of(matcher.group(1).split("\\|")));
            }
        }));

        assertThat(colouredByPanel.get("State")).containsExactlyInAnyOrderElementsOf(
                BreakerStates.states().stream().map(StateDescriptor::tag).toList());
        assertThat(colouredByPanel.get("Level")).containsExactlyInAnyOrderElementsOf(
                BreakerStates.levels().stream().map(LevelDescriptor::tag).toList());
    }

    @Test
    void everySeriesTheDashboardQueries_isScrapedFromTheBinder() throws Exception {
        JsonNode dashboard = dashboard();
        List<String> expressions = expressions(dashboard);
        expressions.add(dashboard.get("templating").get("list").get(1).get("definition").asString());
        Set<String> queried = new TreeSet<>();
        expressions.forEach(expression -> {
            Matcher matcher = SERIES.matcher(expression);
            while (matcher.find()) {
                queried.add(matcher.group());
            }
        });

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
