/**
 * JMH benchmarks of Breaker and its peers (Resilience4j, Failsafe, Sentinel), configured equivalently.
 *
 * <p>One class per scenario; its methods are named {@code style_library}, so that a reader, and
 * {@link dev.breaker.benchmarks.report.ReportWriter}, can pair {@code protocol_breaker} with
 * {@code protocol_resilience4j}. Run them with {@code benchmarks/run.sh}.
 */
@NullMarked
package dev.breaker.benchmarks;

import org.jspecify.annotations.NullMarked;
