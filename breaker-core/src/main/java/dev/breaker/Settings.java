package dev.breaker;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.Objects;

/**
 * What a breaker works out from its configuration, replaced as a whole when the breaker is reconfigured, so that a
 * call reads one consistent set. Runtime objects whose configuration did not change (the limiters, what the
 * adaptive modes have learned) carry over into the next settings.
 */
final class Settings {

    final BreakerConfig config;
    final long slowCallNanos;
    final boolean durationNeeded;
    final @Nullable Admission admission;
    final @Nullable AdaptiveTimeouts adaptiveTimeouts;
    final long fixedTimeoutNanos;
    final @Nullable Throttle throttle;
    final @Nullable BaselineDetector baseline;
    /** Whether successes feed something besides the window: the adaptive timeout or throttle. */
    final boolean observesSuccesses;
    /** Whether calls have a timeout, fixed or adaptive. */
    final boolean timed;
    /** Whether results are judged by a predicate. */
    final boolean judgesResults;

    private Settings(BreakerConfig config, @Nullable Admission admission, @Nullable AdaptiveTimeouts adaptiveTimeouts,
                     @Nullable Throttle throttle, @Nullable BaselineDetector baseline) {
        this.config = config;
        this.slowCallNanos = config.slowCallNanos;
        this.durationNeeded = config.needsDuration();
        this.admission = admission;
        this.adaptiveTimeouts = adaptiveTimeouts;
        this.fixedTimeoutNanos = config.timeout().map(Duration::toNanos).orElse(0L);
        this.throttle = throttle;
        this.baseline = baseline;
        this.observesSuccesses = adaptiveTimeouts != null || throttle != null;
        this.timed = fixedTimeoutNanos > 0 || adaptiveTimeouts != null;
        this.judgesResults = config.failureResultPredicate().isPresent();
    }

    /**
     * The settings of a new breaker. A configuration that needs nothing of each breaker's own (no admission control,
     * no adaptive feature) gives every breaker the same settings, made once.
     */
    static Settings of(BreakerConfig config, Breaker[] dependencies, long now) {
        if (config.isStateless()) {
            return config.sharedSettings(() -> new Settings(config, null, null, null, null));
        }
        return new Settings(config, Admission.of(config, dependencies, null),
                config.adaptiveTimeout().map(a -> new AdaptiveTimeouts(a, now)).orElse(null),
                config.adaptiveThrottle().map(t -> new Throttle(t, now)).orElse(null),
                config.adaptiveBaseline().map(b -> new BaselineDetector(b, config.minimumCalls(), now)).orElse(null));
    }

    /** The settings for {@code next}, keeping what this one learned or holds where its configuration is the same. */
    Settings reconfigured(BreakerConfig next, Breaker[] dependencies, long now) {
        if (next.isStateless()) {
            return of(next, dependencies, now);
        }
        AdaptiveTimeouts timeouts = next.adaptiveTimeout().isEmpty() ? null
                : Objects.equals(next.adaptiveTimeout(), config.adaptiveTimeout()) && adaptiveTimeouts != null
                ? adaptiveTimeouts : new AdaptiveTimeouts(next.adaptiveTimeout().get(), now);
        Throttle keptThrottle = next.adaptiveThrottle().isEmpty() ? null
                : Objects.equals(next.adaptiveThrottle(), config.adaptiveThrottle()) && throttle != null
                ? throttle : new Throttle(next.adaptiveThrottle().get(), now);
        BaselineDetector keptBaseline = next.adaptiveBaseline().isEmpty() ? null
                : Objects.equals(next.adaptiveBaseline(), config.adaptiveBaseline()) && baseline != null
                && next.minimumCalls() == config.minimumCalls()
                ? baseline : new BaselineDetector(next.adaptiveBaseline().get(), next.minimumCalls(), now);
        return new Settings(next, Admission.of(next, dependencies, admission), timeouts, keptThrottle, keptBaseline);
    }

    /** The same settings with other dependencies (a breaker this one depends on was reconfigured). */
    Settings rewired(Breaker[] dependencies) {
        if (config.isStateless()) {
            return this;
        }
        return new Settings(config, Admission.of(config, dependencies, admission), adaptiveTimeouts, throttle,
                baseline);
    }

}
