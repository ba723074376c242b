package dev.breaker.sample.downstream;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/**
 * The simulated inventory service: {@code GET /downstream/inventory/{productId}} answers the units in stock,
 * {@code GET /downstream/inventory/{productId}/related} the stock of the products bought with it that are in stock.
 */
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

    /** The products bought together with each product. */
    private static final Map<String, List<String>> RELATED = Map.of(
            "1", List.of("2", "3"),
            "2", List.of("1", "3"),
            "3", List.of("1", "2"));

    @GetMapping("/downstream/inventory/{productId}")
    StockLevel stock(@PathVariable String productId) {
        return answer(STOCK, productId);
    }

    /** The products often bought with {@code productId} that are in stock, with their stock levels. */
    @GetMapping("/downstream/inventory/{productId}/related")
    List<StockLevel> related(@PathVariable String productId) {
        return answer(RELATED, productId).stream().map(STOCK::get).filter(level -> level.stock() > 0).toList();
    }
}
