/**
 * The recent history of every breaker: a bounded ring of samples per breaker, taken by one background task, that
 * the dashboard draws and that survives a reload of the page.
 */
@NullMarked
package dev.breaker.spring.history;

import org.jspecify.annotations.NullMarked;
