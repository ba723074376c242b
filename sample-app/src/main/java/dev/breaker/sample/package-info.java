/**
 * A small storefront that calls two downstream services (inventory, pricing) and a third, asynchronously
 * (reviews), through breakers; the downstreams are simulated in the same application with chaos controls.
 */
@NullMarked
package dev.breaker.sample;

import org.jspecify.annotations.NullMarked;
