package dev.breaker.sample.store;

import dev.breaker.spring.annotation.CircuitBreaker;
import org.springframework.stereotype.Component;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Places orders, behind the {@code checkout} breaker, which depends on {@code payments}: every checkout authorizes
 * its payment first. While the payments breaker is open a checkout could only fail, so the checkout breaker rejects
 * it without trying (reason DEPENDENCY_OPEN, with the payments breaker's Retry-After), and comes back by itself as
 * soon as payments does. Without the dependency the checkout breaker would count the payments outage as its own
 * failures, open too, and stay open after payments came back. No fallback: the shop answers 503.
 */
@Component
class Checkout {

    /**
     * A placed order.
     *
     * @param orderId the order's id
     * @param productId the product ordered
     * @param authorization the payment's authorization
     */
    record Order(String orderId, String productId, String authorization) {
    }

    private final PaymentsClient payments;
    private final AtomicLong orders = new AtomicLong();

    Checkout(PaymentsClient payments) {
        this.payments = payments;
    }

    @CircuitBreaker(name = "checkout", dependsOn = "payments")
    public Order place(String productId) {
        PaymentsClient.Authorization authorization = payments.authorize(productId);
        return new Order("ORDER-" + orders.incrementAndGet(), productId, authorization.authorization());
    }
}
