/**
 * Actuator endpoints and the health contributor for breakers.
 */
@NullMarked
package dev.breaker.spring.actuate;

import org.jspecify.annotations.NullMarked;
