/**
 * The {@link dev.breaker.spring.annotation.CircuitBreaker} annotation.
 */
@NullMarked
package dev.breaker.spring.annotation;

import org.jspecify.annotations.NullMarked;
