package dev.breaker.sample.downstream;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.util.Map;

/** The simulated pricing service: {@code GET /downstream/pricing/{productId}} answers the current price. */
@RestController
class PricingService extends SimulatedDownstream {

    /**
     * A price.
     *
     * @param productId the product
     * @param amount the amount
     * @param currency the ISO 4217 currency code
     */
    record Price(String productId, BigDecimal amount, String currency) {
    }

    private static final Map<String, Price> PRICES = Map.of(
            "1", new Price("1", new BigDecimal("12.50"), "EUR"),
            "2", new Price("2", new BigDecimal("39.90"), "EUR"),
            "3", new Price("3", new BigDecimal("129.00"), "EUR"));

    PricingService(Chaos chaos) {
        super(chaos, Dependency.PRICING);
    }

    @GetMapping("/downstream/pricing/{productId}")
    Price price(@PathVariable String productId) {
        return answer(PRICES, productId);
    }
}
