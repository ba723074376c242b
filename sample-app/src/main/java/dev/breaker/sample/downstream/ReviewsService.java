package dev.breaker.sample.downstream;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/** The simulated reviews service: {@code GET /downstream/reviews/{productId}} answers a product's reviews. */
@RestController
class ReviewsService extends SimulatedDownstream {

    /**
     * A review.
     *
     * @param rating 1 to 5 stars
     * @param text what the customer wrote
     */
    record Review(int rating, String text) {
    }

    private static final Map<String, List<Review>> REVIEWS = Map.of(
            "1", List.of(new Review(5, "Keeps the crema."), new Review(4, "Smaller than it looks.")),
            "2", List.of(new Review(5, "Strong coffee, no fuss.")),
            "3", List.of());

    ReviewsService(Chaos chaos) {
        super(chaos, Dependency.REVIEWS);
    }

    @GetMapping("/downstream/reviews/{productId}")
    List<Review> reviews(@PathVariable String productId) {
        return answer(REVIEWS, productId);
    }
}
