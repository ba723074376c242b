package dev.breaker.sample.store;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/**
 * The storefront's API: {@code GET /products}, {@code GET /products/{id}} (the catalog entry with stock from the
 * inventory service and price from the pricing service) and {@code GET /products/{id}/reviews} (asynchronous).
 */
@RestController
@RequestMapping("/products")
class ProductController {

    /**
     * A product as the storefront shows it.
     *
     * @param id the product's id
     * @param name its name
     * @param stock units in stock, {@code null} when unknown
     * @param stockSource where the stock figure comes from: {@code live}, {@code cache}, {@code unknown} or
     *     {@code emergency} (the inventory breaker is at the emergency level: no figure on purpose)
     * @param price the price
     * @param currency the price's currency
     */
    record ProductView(String id, String name, @Nullable Integer stock, String stockSource, BigDecimal price,
                       String currency) {
    }

    private final Catalog catalog;
    private final InventoryClient inventory;
    private final PricingClient pricing;
    private final ReviewsClient reviews;

    ProductController(Catalog catalog, InventoryClient inventory, PricingClient pricing, ReviewsClient reviews) {
        this.catalog = catalog;
        this.inventory = inventory;
        this.pricing = pricing;
        this.reviews = reviews;
    }

    @GetMapping
    Collection<Catalog.Entry> products() {
        return catalog.all();
    }

    @GetMapping("/{id}")
    ProductView product(@PathVariable String id) {
        Catalog.Entry entry = entry(id);
        StockLevel stock = inventory.stock(id);
        Price price = pricing.price(id);
        return new ProductView(id, entry.name(), stock.units(), stock.source(), price.amount(), price.currency());
    }

    @GetMapping("/{id}/reviews")
    CompletableFuture<Reviews> reviews(@PathVariable String id) {
        entry(id);
        return reviews.reviews(id);
    }

    private Catalog.Entry entry(String id) {
        return catalog.find(id).orElseThrow(
                () -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No product with id '" + id + "'"));
    }
}
