package dev.breaker;

import java.time.Duration;
import java.util.Objects;

/**
 * Client-side adaptive throttling, as Google's SRE book describes it: over the last {@code window} the breaker
 * counts the requests it was asked for and the ones the dependency accepted (succeeded), and rejects calls with
 * the share {@code P = min(maxReject, max(0, (requests - k * accepts) / (requests + 1)))}. Load is shed smoothly as
 * the dependency degrades instead of all at once; the rate thresholds no longer open the breaker (failures in a
 * row still do, if configured). Rejections are deterministic (a credit accumulator) and fall on the least important
 * priorities first: a priority is admitted with share {@code (1 - P) ^ e}, e as in a recovery ramp. Immutable;
 * validated by {@link BreakerConfig.Builder#build()}.
 *
 * @param window how far back requests and accepts count, at least 1 s; default 30 s
 * @param k how many requests per accept are tolerated before shedding, at least 1; default 2
 * @param maxRejectPercent the most that is ever shed, in percent, in (0, 100]; default 80
 */
public record AdaptiveThrottle(Duration window, double k, float maxRejectPercent) {

    public AdaptiveThrottle {
        Objects.requireNonNull(window, "window");
    }

    /** 30 s, k = 2, at most 80 % shed. */
    public static AdaptiveThrottle defaults() {
        return new AdaptiveThrottle(Duration.ofSeconds(30), 2, 80);
    }

    /** The same with another tolerance {@code k}. */
    public AdaptiveThrottle withK(double k) {
        return new AdaptiveThrottle(window, k, maxRejectPercent);
    }

    /** The same with another window. */
    public AdaptiveThrottle withWindow(Duration window) {
        return new AdaptiveThrottle(window, k, maxRejectPercent);
    }

    /** The same with another ceiling on the share shed, in percent. */
    public AdaptiveThrottle withMaxReject(float percent) {
        return new AdaptiveThrottle(window, k, percent);
    }
}
