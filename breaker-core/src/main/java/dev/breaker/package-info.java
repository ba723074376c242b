/**
 * Breaker's core: circuit breakers as plain Java objects.
 *
 * <p>Start with {@link dev.breaker.Breaker#of(String, dev.breaker.BreakerConfig)} or a
 * {@link dev.breaker.BreakerRegistry}; configure with {@link dev.breaker.BreakerConfig#builder()}.
 */
@NullMarked
package dev.breaker;

import org.jspecify.annotations.NullMarked;
