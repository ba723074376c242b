package dev.breaker.sample.store;

import java.math.BigDecimal;

/**
 * A product's price, as the pricing service answers it.
 *
 * @param productId the product
 * @param amount the amount
 * @param currency the ISO 4217 currency code
 */
record Price(String productId, BigDecimal amount, String currency) {
}
