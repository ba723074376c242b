/**
 * The priority of calls outside the core's scopes: in the Reactor context, from a web request's header, and on
 * outgoing HTTP calls.
 */
@NullMarked
package dev.breaker.spring.priority;

import org.jspecify.annotations.NullMarked;
