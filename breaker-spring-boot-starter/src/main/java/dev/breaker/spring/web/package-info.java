/**
 * Web integration: rejected calls that reach the web layer become HTTP 503 problem details.
 */
@NullMarked
package dev.breaker.spring.web;

import org.jspecify.annotations.NullMarked;
