package dev.breaker.sample.downstream;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulated payments service: {@code POST /downstream/payments/{productId}} authorizes the payment of one
 * product and answers the authorization.
 */
@RestController
class PaymentsService extends SimulatedDownstream {

    /**
     * An authorized payment.
     *
     * @param productId the product paid for
     * @param authorization the authorization's id
     */
    record Authorization(String productId, String authorization) {
    }

    private static final Map<String, String> PRODUCTS = Map.of("1", "1", "2", "2", "3", "3");

    private final AtomicLong authorizations = new AtomicLong();

    PaymentsService(Chaos chaos) {
        super(chaos, Dependency.PAYMENTS);
    }

    @PostMapping("/downstream/payments/{productId}")
    Authorization authorize(@PathVariable String productId) {
        String product = answer(PRODUCTS, productId);
        return new Authorization(product, "AUTH-" + authorizations.incrementAndGet());
    }
}
