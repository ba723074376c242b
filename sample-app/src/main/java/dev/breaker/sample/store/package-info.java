/**
 * The storefront: {@code /products/**}, and the HTTP clients of the downstream services, each behind its breaker.
 */
@NullMarked
package dev.breaker.sample.store;

import org.jspecify.annotations.NullMarked;
