/**
 * Alerts: breakers that stay open, and the recent alerts of every breaker with their severity; the last transition
 * of every breaker, explained.
 */
@NullMarked
package dev.breaker.spring.alerts;

import org.jspecify.annotations.NullMarked;
