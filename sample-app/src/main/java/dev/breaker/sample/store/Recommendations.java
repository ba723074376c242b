package dev.breaker.sample.store;

import java.util.List;

/**
 * The products recommended with a product: those bought with it that are in stock.
 *
 * @param productId the product
 * @param products the recommended products, empty when unavailable
 * @param source {@value #LIVE} (the inventory service answered) or {@value #SHED} (the call was not made or failed:
 *     recommendations are the first thing a busy or recovering inventory breaker lets go)
 */
record Recommendations(String productId, List<Product> products, String source) {

    static final String LIVE = "live";
    static final String SHED = "shed";

    /**
     * One recommended product.
     *
     * @param id its id
     * @param name its name
     * @param stock units in stock
     */
    record Product(String id, String name, int stock) {
    }
}
