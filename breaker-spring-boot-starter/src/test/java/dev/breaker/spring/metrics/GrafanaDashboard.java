package dev.breaker.spring.metrics;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

/** The Grafana dashboard the starter ships, read as Grafana reads it: panels, their queries, its variables. */
record GrafanaDashboard(JsonNode json) {

    static final String RESOURCE = "/META-INF/breaker/grafana-dashboard.json";

    /** A coded term of a timeline's query: {@code (breaker_state{...,state="open"} == 1) * 1}. */
    private static final Pattern CODED = Pattern.compile("\\b(?:state|level)=\"([a-z_]+)\"} == 1\\) \\* (\\d+)");

    /** One query of a panel. */
    record Target(String panel, String panelType, String refId, String expr, boolean instant) {
        @Override
        public String toString() {
            return "'" + panel + "' " + refId;
        }
    }

    static GrafanaDashboard shipped() {
        try (InputStream in = GrafanaDashboard.class.getResourceAsStream(RESOURCE)) {
            return new GrafanaDashboard(JsonMapper.builder().build().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<JsonNode> panels() {
        return StreamSupport.stream(json.get("panels").spliterator(), false).toList();
    }

    JsonNode panel(String title) {
        return panels().stream().filter(panel -> panel.get("title").asString().equals(title)).findFirst()
                .orElseThrow(() -> new AssertionError("The dashboard has no panel '" + title + "'"));
    }

    /**
     * The code that the query of the timeline {@code title} gives each state or level (its tag), which the panel's
     * value mappings show as a text and a colour.
     */
    Map<String, String> codes(String title) {
        Map<String, String> codes = new TreeMap<>();
        Matcher matcher = CODED.matcher(panel(title).get("targets").get(0).get("expr").asString());
        while (matcher.find()) {
            if (codes.put(matcher.group(1), matcher.group(2)) != null) {
                throw new AssertionError("'" + title + "' codes " + matcher.group(1) + " twice");
            }
        }
        return codes;
    }

    List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        panels().forEach(panel -> panel.get("targets").forEach(target -> targets.add(new Target(
                panel.get("title").asString(), panel.get("type").asString(), target.get("refId").asString(),
                target.get("expr").asString(), target.path("instant").asBoolean(false)))));
        return targets;
    }

    /** The query variables, in the order Grafana resolves them. */
    List<JsonNode> queryVariables() {
        return StreamSupport.stream(json.get("templating").get("list").spliterator(), false)
                .filter(variable -> variable.get("type").asString().equals("query")).toList();
    }

    /** {@code expr} as Grafana sends it, with the variables and interval macros set to {@code values}. */
    static String substitute(String expr, Map<String, String> values) {
        String substituted = expr;
        for (Map.Entry<String, String> value : values.entrySet()) {
            substituted = substituted.replace("$" + value.getKey(), value.getValue());
        }
        if (substituted.contains("$")) {
            throw new AssertionError("A variable left in " + substituted + ": give it a value");
        }
        return substituted;
    }
}
