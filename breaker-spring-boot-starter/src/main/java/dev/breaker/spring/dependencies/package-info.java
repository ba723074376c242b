/**
 * Breakers that depend on other breakers: the checks that stop the application at startup when a dependency is
 * unknown, declared inconsistently or part of a cycle.
 */
@NullMarked
package dev.breaker.spring.dependencies;

import org.jspecify.annotations.NullMarked;
