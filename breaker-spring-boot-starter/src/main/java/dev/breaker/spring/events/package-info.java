/**
 * Breaker events as Spring application events and log lines.
 */
@NullMarked
package dev.breaker.spring.events;

import org.jspecify.annotations.NullMarked;
