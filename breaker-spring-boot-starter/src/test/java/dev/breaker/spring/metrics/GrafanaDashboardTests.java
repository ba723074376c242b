package dev.breaker.spring.metrics;

import dev.breaker.Breaker;
import dev.breaker.BreakerConfig;
import dev.breaker.BreakerRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped Grafana dashboard queries only series the meters really produce. */
class GrafanaDashboardTests {

    private static final Pattern SERIES = Pattern.compile("\\bbreaker_[a-z_]+");

    @Test
    void everySeriesTheDashboardQueries_isScrapedFromTheBinder() throws Exception {
        JsonNode dashboard;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/breaker/grafana-dashboard.json")) {
            dashboard = JsonMapper.builder().build().readTree(in);
        }
        List<String> expressions = new ArrayList<>();
        dashboard.get("panels").forEach(panel -> panel.get("targets")
                .forEach(target -> expressions.add(target.get("expr").asString())));
        expressions.add(dashboard.get("templating").get("list").get(1).get("definition").asString());
        Set<String> queried = new TreeSet<>();
        expressions.forEach(expression -> {
            Matcher matcher = SERIES.matcher(expression);
            while (matcher.find()) {
                queried.add(matcher.group());
            }
        });

        String scrape = scrapeOfABusyBreaker();

        assertThat(queried).hasSizeGreaterThanOrEqualTo(8).allSatisfy(series ->
                assertThat(scrape).as("series %s", series).containsPattern("(?m)^" + series + "\\{"));
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
