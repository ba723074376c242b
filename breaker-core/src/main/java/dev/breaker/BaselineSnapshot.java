package dev.breaker;

import org.jspecify.annotations.Nullable;

/**
 * What a breaker with {@link AdaptiveBaseline} has learned about its dependency's normal.
 *
 * @param learnedBuckets the buckets learned so far
 * @param warmedUp whether deviations are judged yet (the warm-up is over)
 * @param failureRateMean the learned mean failure rate per bucket, in percent
 * @param failureRateStddev its standard deviation
 * @param latencyMeanMillis the learned mean latency per bucket, in milliseconds; NaN when latency is not learned
 * @param latencyStddevMillis its standard deviation
 * @param deviationsInARow the buckets in a row that deviated, up to the last one judged
 * @param lastDeviation the signal of the last deviation seen ({@code failure-rate} or {@code latency}), or null
 */
public record BaselineSnapshot(int learnedBuckets, boolean warmedUp, double failureRateMean, double failureRateStddev,
                               double latencyMeanMillis, double latencyStddevMillis, int deviationsInARow,
                               @Nullable String lastDeviation) {
}
