/**
 * Ahead-of-time processing and native images: the reflection and resource hints the starter needs.
 */
@NullMarked
package dev.breaker.spring.aot;

import org.jspecify.annotations.NullMarked;
