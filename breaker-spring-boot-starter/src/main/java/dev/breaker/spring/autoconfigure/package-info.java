/**
 * Auto-configuration of breakers from {@code breaker.*} properties.
 */
@NullMarked
package dev.breaker.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
