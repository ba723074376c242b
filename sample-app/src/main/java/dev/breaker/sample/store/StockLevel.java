package dev.breaker.sample.store;

import org.jspecify.annotations.Nullable;

/**
 * How many units of a product are in stock, and where that figure comes from.
 *
 * @param units units in stock; {@code null} when unknown
 * @param source {@value #LIVE} (the inventory service answered), {@value #CACHE} (the last figure it gave, because
 *     it failed or its breaker rejected the call), {@value #UNKNOWN} (it failed before ever answering for this
 *     product) or {@value #EMERGENCY} (its breaker is at the emergency level: the last figure is too old to show)
 */
record StockLevel(@Nullable Integer units, String source) {

    static final String LIVE = "live";
    static final String CACHE = "cache";
    static final String UNKNOWN = "unknown";
    static final String EMERGENCY = "emergency";
}
