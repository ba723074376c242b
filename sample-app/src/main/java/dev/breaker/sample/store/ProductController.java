package dev.breaker.sample.store;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The storefront's API: {@code GET /products}, {@code GET /products/{id}} (the catalog entry with stock from the
 * inventory service and price from the pricing service), {@code GET /products/{id}/reviews} (asynchronous),
 * {@code GET /products/{id}/recommendations} (sheddable calls to inventory) and {@code POST /products/{id}/checkout}
 * (which needs payments).
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
    private final Checkout checkout;

    ProductController(Catalog catalog, InventoryClient inventory, PricingClient pricing, ReviewsClient reviews,
                      Checkout checkout) {
        this.catalog = catalog;
        this.inventory = inventory;
        this.pricing = pricing;
        this.reviews = reviews;
        this.checkout = checkout;
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

    /** The products bought with this one that are in stock; {@code "source":"shed"} when inventory was not asked. */
    @GetMapping("/{id}/recommendations")
    Recommendations recommendations(@PathVariable String id) {
        entry(id);
        List<InventoryClient.InventoryAnswer> related = inventory.relatedStock(id);
        if (related == null) {
            return new Recommendations(id, List.of(), Recommendations.SHED);
        }
        return new Recommendations(id, related.stream().map(stock -> new Recommendations.Product(stock.productId(),
                entry(stock.productId()).name(), stock.stock())).toList(), Recommendations.LIVE);
    }

    /** Places an order for the product: 201 with the order, or 503 while payments (or checkout) is unavailable. */
    @PostMapping("/{id}/checkout")
    @ResponseStatus(HttpStatus.CREATED)
    Checkout.Order checkout(@PathVariable String id) {
        entry(id);
        return checkout.place(id);
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
