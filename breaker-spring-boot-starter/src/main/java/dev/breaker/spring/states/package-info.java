/**
 * How the starter's integrations show each breaker state and level, in one place.
 */
@NullMarked
package dev.breaker.spring.states;

import org.jspecify.annotations.NullMarked;
