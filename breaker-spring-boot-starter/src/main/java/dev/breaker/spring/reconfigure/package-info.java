/**
 * Live reconfiguration: changed {@code breaker.*} properties, endpoint writes and Spring Cloud refreshes applied to
 * running breakers, which keep their state, window and totals where the change allows.
 */
@NullMarked
package dev.breaker.spring.reconfigure;

import org.jspecify.annotations.NullMarked;
