package dev.breaker;

import java.time.Duration;
import java.util.Objects;

/**
 * A timeout that follows a high percentile of recent successful call durations: {@code percentile} of the last
 * {@code window}, times {@code factor}, bounded by {@code min} and {@code max}. While the window holds fewer than
 * {@code minimumCalls} successes, {@code max} applies. Immutable; validated by {@link BreakerConfig.Builder#build()}.
 *
 * @param percentile the percentile of successful durations, in (0, 100); default 99
 * @param factor what the percentile is multiplied by, at least 1; default 2
 * @param min the shortest timeout, positive; default 10 ms
 * @param max the longest timeout, and the timeout while too few calls are known; default 10 s
 * @param window how far back durations count, at least 1 s; default 60 s
 * @param minimumCalls the successes the window needs before the percentile is used, at least 1; default 100
 */
public record AdaptiveTimeout(double percentile, double factor, Duration min, Duration max, Duration window,
                              int minimumCalls) {

    public AdaptiveTimeout {
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        Objects.requireNonNull(window, "window");
    }

    /** p99 times 2, between 10 ms and 10 s, over the last minute, once 100 successes are known. */
    public static AdaptiveTimeout defaults() {
        return new AdaptiveTimeout(99, 2, Duration.ofMillis(10), Duration.ofSeconds(10), Duration.ofSeconds(60), 100);
    }

    /** The same with another percentile and factor. */
    public AdaptiveTimeout withPercentile(double percentile, double factor) {
        return new AdaptiveTimeout(percentile, factor, min, max, window, minimumCalls);
    }

    /** The same with other bounds. */
    public AdaptiveTimeout withBounds(Duration min, Duration max) {
        return new AdaptiveTimeout(percentile, factor, min, max, window, minimumCalls);
    }

    /** The same over another window, needing another number of successes. */
    public AdaptiveTimeout withWindow(Duration window, int minimumCalls) {
        return new AdaptiveTimeout(percentile, factor, min, max, window, minimumCalls);
    }
}
