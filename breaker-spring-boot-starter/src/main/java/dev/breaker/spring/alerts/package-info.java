/**
 * Alerts on breakers that stay open.
 */
@NullMarked
package dev.breaker.spring.alerts;

import org.jspecify.annotations.NullMarked;
