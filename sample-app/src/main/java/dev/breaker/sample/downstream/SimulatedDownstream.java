package dev.breaker.sample.downstream;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

import java.util.Map;

/** What the simulated services share: the chaos strike before each answer, and the 404 for unknown products. */
abstract class SimulatedDownstream {

    private final Chaos chaos;
    private final Dependency dependency;

    SimulatedDownstream(Chaos chaos, Dependency dependency) {
        this.chaos = chaos;
        this.dependency = dependency;
    }

    /**
     * The record of {@code productId} in {@code data}, after the chaos settings had their say.
     *
     * @throws ResponseStatusException 503 when chaos fails the call, 404 for an unknown product
     */
    <T> T answer(Map<String, T> data, String productId) {
        if (chaos.strike(dependency)) {
            throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE,
                    "Chaos: " + dependency.id() + " failed this call on purpose");
        }
        T value = data.get(productId);
        if (value == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND,
                    "The " + dependency.id() + " service knows no product '" + productId + "'");
        }
        return value;
    }
}
