package dev.breaker.sample.downstream;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The chaos controls: {@code GET /chaos} reads every dependency's settings; {@code PUT /chaos/{dependency}} with
 * {@code {"failureRate": 0.0-1.0, "latencyMs": 0-30000}} replaces one (a field left out is 0);
 * {@code DELETE /chaos} clears them all. Writes need the admin user (see the security configuration). A bad
 * dependency, field or value answers 400 with a problem detail that says what is wrong.
 */
@RestController
@RequestMapping(path = "/chaos", produces = MediaType.APPLICATION_JSON_VALUE)
class ChaosController {

    private static final Set<String> FIELDS = Set.of("failureRate", "latencyMs");

    private final Chaos chaos;

    ChaosController(Chaos chaos) {
        this.chaos = chaos;
    }

    @GetMapping
    Map<String, Chaos.Settings> settings() {
        Map<String, Chaos.Settings> settings = new LinkedHashMap<>();
        chaos.settings().forEach((dependency, value) -> settings.put(dependency.id(), value));
        return settings;
    }

    @PutMapping(path = "/{dependency}", consumes = MediaType.APPLICATION_JSON_VALUE)
    Chaos.Settings set(@PathVariable String dependency, @RequestBody Map<String, Object> body) {
        Dependency target = Dependency.of(dependency);
        if (target == null) {
            throw badRequest("Unknown dependency '" + dependency + "'; known dependencies are " + Dependency.ids());
        }
        for (String field : body.keySet()) {
            if (!FIELDS.contains(field)) {
                throw badRequest("Unknown field '" + field + "'; fields are failureRate (0.0-1.0) and latencyMs (0-"
                        + Chaos.MAX_LATENCY_MS + ")");
            }
        }
        Chaos.Settings settings;
        try {
            settings = new Chaos.Settings(number(body, "failureRate").doubleValue(),
                    wholeNumber(body, "latencyMs"));
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        }
        chaos.set(target, settings);
        return settings;
    }

    @DeleteMapping
    Map<String, Chaos.Settings> reset() {
        chaos.reset();
        return settings();
    }

    private static Number number(Map<String, Object> body, String field) {
        Object value = body.getOrDefault(field, 0);
        if (!(value instanceof Number number)) {
            throw badRequest(field + " must be a number, was " + describe(value));
        }
        return number;
    }

    private static long wholeNumber(Map<String, Object> body, String field) {
        Number number = number(body, field);
        double value = number.doubleValue();
        if (value != Math.rint(value)) {
            throw badRequest(field + " must be a whole number of milliseconds, was " + number);
        }
        if (value < 0 || value > Chaos.MAX_LATENCY_MS) {
            throw badRequest(field + " must be in [0, " + Chaos.MAX_LATENCY_MS + "], was " + number);
        }
        return number.longValue();
    }

    private static String describe(Object value) {
        return value instanceof String text ? "\"" + text + "\"" : String.valueOf(value);
    }

    private static ResponseStatusException badRequest(String message) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, message);
    }
}
