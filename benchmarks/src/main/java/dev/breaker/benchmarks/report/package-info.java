/** Turns JMH's JSON results into the Markdown report. */
@NullMarked
package dev.breaker.benchmarks.report;

import org.jspecify.annotations.NullMarked;
