/**
 * Spring Cloud CircuitBreaker on Breaker: {@code CircuitBreakerFactory} and {@code ReactiveCircuitBreakerFactory}
 * whose circuit breakers are the registry's breakers, configured like any other.
 */
@NullMarked
package dev.breaker.cloud;

import org.jspecify.annotations.NullMarked;
