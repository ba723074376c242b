/**
 * Protection of annotated methods: the advisor, per-method bindings resolved once, fallbacks and return-type adapters.
 */
@NullMarked
package dev.breaker.spring.aop;

import org.jspecify.annotations.NullMarked;
