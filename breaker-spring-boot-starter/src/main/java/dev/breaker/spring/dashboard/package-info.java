/**
 * The live dashboard page: one self-contained HTML page that reads and drives the {@code breakers} endpoint.
 */
@NullMarked
package dev.breaker.spring.dashboard;

import org.jspecify.annotations.NullMarked;
