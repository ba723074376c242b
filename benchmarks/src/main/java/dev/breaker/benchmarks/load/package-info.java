/**
 * A bounded HTTP load run against the packaged sample application, outside JMH: {@code benchmarks/load-reviews.sh}
 * runs it.
 */
@NullMarked
package dev.breaker.benchmarks.load;

import org.jspecify.annotations.NullMarked;
