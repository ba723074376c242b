/**
 * The starter's background tasks: one daemon thread each, off the call path.
 */
@NullMarked
package dev.breaker.spring.scheduling;

import org.jspecify.annotations.NullMarked;
