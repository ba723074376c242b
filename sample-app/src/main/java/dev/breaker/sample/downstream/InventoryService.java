package dev.breaker.sample.downstream;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/** The simulated inventory service: {@code GET /downstream/inventory/{productId}} answers the units in stock. */
@RestController
class InventoryService extends SimulatedDownstream {

    /**
     * A stock level.
     *
     * @param productId the product
     * @param stock units in stock
     */
    record StockLevel(String productId, int stock) {
    }

    private static final Map<String, StockLevel> STOCK = Map.of(
            "1", new StockLevel("1", 42),
            "2", new StockLevel("2", 7),
            "3", new StockLevel("3", 0));

    InventoryService(Chaos chaos) {
        super(chaos, Dependency.INVENTORY);
    }

    @GetMapping("/downstream/inventory/{productId}")
    StockLevel stock(@PathVariable String productId) {
        return answer(STOCK, productId);
    }
}
