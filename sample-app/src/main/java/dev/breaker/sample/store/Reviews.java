package dev.breaker.sample.store;

import java.util.List;

/**
 * A product's reviews.
 *
 * @param productId the product
 * @param reviews the reviews, empty when unavailable
 * @param source {@value #LIVE} (the reviews service answered) or {@value #FALLBACK} (it failed, or its breaker is
 *     open, and the page goes without reviews)
 */
record Reviews(String productId, List<Review> reviews, String source) {

    static final String LIVE = "live";
    static final String FALLBACK = "fallback";

    /**
     * One review.
     *
     * @param rating 1 to 5 stars
     * @param text what the customer wrote
     */
    record Review(int rating, String text) {
    }
}
