/**
 * The simulated downstream services (inventory, pricing, reviews) under {@code /downstream/**}, and the chaos
 * controls at {@code /chaos} that make them fail or slow down.
 */
@NullMarked
package dev.breaker.sample.downstream;

import org.jspecify.annotations.NullMarked;
