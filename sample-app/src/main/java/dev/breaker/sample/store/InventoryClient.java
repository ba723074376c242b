package dev.breaker.sample.store;

import dev.breaker.CallNotPermittedException;
import dev.breaker.Level;
import dev.breaker.Priority;
import dev.breaker.spring.annotation.CircuitBreaker;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Asks the inventory service for stock levels, behind the {@code inventory} breaker (failure rate over the last
 * calls, gradual recovery, escalation). When the service fails or the breaker rejects the call, the last stock level
 * it gave for the product answers instead: a storefront can show a slightly stale figure, and should not stop selling
 * because inventory is down. But once the breaker is at the {@link Level#EMERGENCY} level (recoveries failed again
 * and again, or the outage outlasted its alert), that figure may be hours old: rejected calls then answer that the
 * stock is not known, on purpose.
 */
@Component
class InventoryClient {

    private static final Logger logger = LoggerFactory.getLogger(InventoryClient.class);

    /** The inventory service's answer. */
    record InventoryAnswer(String productId, int stock) {
    }

    private static final ParameterizedTypeReference<List<InventoryAnswer>> RELATED =
            new ParameterizedTypeReference<>() {
            };

    private final RestClient http;
    private final Downstreams downstreams;
    private final ConcurrentMap<String, Integer> lastKnownStock = new ConcurrentHashMap<>();

    InventoryClient(RestClient http, Downstreams downstreams) {
        this.http = http;
        this.downstreams = downstreams;
    }

    @CircuitBreaker(name = "inventory", fallbackMethod = "cachedStock")
    public StockLevel stock(String productId) {
        InventoryAnswer answer = Objects.requireNonNull(http.get()
                .uri(downstreams.url("/downstream/inventory/{productId}"), productId)
                .retrieve()
                .body(InventoryAnswer.class), "The inventory service answered no body");
        lastKnownStock.put(productId, answer.stock());
        return new StockLevel(answer.stock(), StockLevel.LIVE);
    }

    /** The fallback of {@link #stock} for a call that failed: the last stock level the service gave. */
    StockLevel cachedStock(String productId, Throwable error) {
        logger.debug("Inventory unavailable for product {}, answering from the cache: {}", productId, error.toString());
        return lastKnown(productId);
    }

    /**
     * The fallback of {@link #stock} for a call the breaker rejected (the most specific fallback wins): by the
     * breaker's level, the last stock level the service gave, or in an emergency an explicit "not known".
     */
    StockLevel cachedStock(String productId, CallNotPermittedException rejected) {
        if (rejected.level() == Level.EMERGENCY) {
            return new StockLevel(null, StockLevel.EMERGENCY);
        }
        return lastKnown(productId);
    }

    /**
     * The stock of the products bought with {@code productId} that are in stock, for recommendations: through the
     * same inventory breaker, but SHEDDABLE, so that while the breaker recovers (or warns) these calls are the first
     * it lets go, and the stock calls of product pages get the share it admits.
     */
    @CircuitBreaker(name = "inventory", priority = Priority.SHEDDABLE, fallbackMethod = "noRelatedStock")
    public List<InventoryAnswer> relatedStock(String productId) {
        return Objects.requireNonNull(http.get()
                .uri(downstreams.url("/downstream/inventory/{productId}/related"), productId)
                .retrieve()
                .body(RELATED), "The inventory service answered no body");
    }

    /** The fallback of {@link #relatedStock}: no recommendations. */
    @Nullable List<InventoryAnswer> noRelatedStock(String productId, Throwable error) {
        return null;
    }

    private StockLevel lastKnown(String productId) {
        Integer units = lastKnownStock.get(productId);
        return units == null ? new StockLevel(null, StockLevel.UNKNOWN) : new StockLevel(units, StockLevel.CACHE);
    }
}
