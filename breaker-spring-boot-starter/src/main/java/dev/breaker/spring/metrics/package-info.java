/**
 * Micrometer meters for breakers, read from the breakers own counters.
 */
@NullMarked
package dev.breaker.spring.metrics;

import org.jspecify.annotations.NullMarked;
