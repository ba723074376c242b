/**
 * Breakers for outgoing HTTP requests: one per downstream host, for Spring's {@code RestClient} and
 * {@code WebClient}.
 */
@NullMarked
package dev.breaker.spring.http;

import org.jspecify.annotations.NullMarked;
