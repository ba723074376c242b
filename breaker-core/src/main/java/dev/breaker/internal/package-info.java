/**
 * Implementation details of the breaker core: sliding windows and their verdicts. Not a public API; its types
 * may change in any release.
 */
@NullMarked
package dev.breaker.internal;

import org.jspecify.annotations.NullMarked;
