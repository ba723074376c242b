package dev.breaker;

import java.time.Duration;
import java.util.Objects;

/**
 * Thresholds that learn what normal is: per time bucket the breaker measures the failure rate and the mean
 * latency of its calls, learns their exponentially weighted mean and variance (half-life {@code halfLife}), and
 * opens when {@code confirm} buckets in a row exceed {@code max(floor, mean + z * stddev)} on either. Learning is
 * frozen while the breaker is not closed and while it deviates, so an outage never becomes the new normal. The
 * static thresholds stay a hard ceiling and alone decide during the warm-up ({@code warmUpBuckets} buckets learned).
 * A bucket with fewer calls than the breaker's minimum calls is neither learned nor judged. Immutable; validated by
 * {@link BreakerConfig.Builder#build()}.
 *
 * @param bucket the length of one bucket, at least 1 s; default 10 s
 * @param halfLife how fast the learned normal follows the traffic, at least one bucket; default 10 min
 * @param z the standard deviations above the mean that count as a deviation, positive; default 3
 * @param confirm the buckets in a row that must deviate, at least 1; default 3
 * @param warmUpBuckets the buckets learned before deviations are judged, at least 1; default 30
 * @param failureRateFloorPercent a failure rate at or below this never deviates, in [0, 100]; default 5
 * @param latencyFloor a mean latency at or below this never deviates; zero learns no latency; default 100 ms
 */
public record AdaptiveBaseline(Duration bucket, Duration halfLife, double z, int confirm, int warmUpBuckets,
                               float failureRateFloorPercent, Duration latencyFloor) {

    public AdaptiveBaseline {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(halfLife, "halfLife");
        Objects.requireNonNull(latencyFloor, "latencyFloor");
    }

    /** 10 s buckets, half-life 10 min, z = 3, 3 buckets to confirm, 30 to warm up, floors 5 % and 100 ms. */
    public static AdaptiveBaseline defaults() {
        return new AdaptiveBaseline(Duration.ofSeconds(10), Duration.ofMinutes(10), 3, 3, 30, 5,
                Duration.ofMillis(100));
    }

    /** The same with other buckets and half-life. */
    public AdaptiveBaseline withBuckets(Duration bucket, Duration halfLife) {
        return new AdaptiveBaseline(bucket, halfLife, z, confirm, warmUpBuckets, failureRateFloorPercent,
                latencyFloor);
    }

    /** The same with another deviation rule. */
    public AdaptiveBaseline withDeviation(double z, int confirm) {
        return new AdaptiveBaseline(bucket, halfLife, z, confirm, warmUpBuckets, failureRateFloorPercent,
                latencyFloor);
    }

    /** The same with another warm-up. */
    public AdaptiveBaseline withWarmUp(int buckets) {
        return new AdaptiveBaseline(bucket, halfLife, z, confirm, buckets, failureRateFloorPercent, latencyFloor);
    }

    /** The same with other floors; a zero latency floor learns no latency. */
    public AdaptiveBaseline withFloors(float failureRatePercent, Duration latency) {
        return new AdaptiveBaseline(bucket, halfLife, z, confirm, warmUpBuckets, failureRatePercent, latency);
    }
}
