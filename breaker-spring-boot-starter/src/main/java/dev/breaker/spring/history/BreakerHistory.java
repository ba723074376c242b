package dev.breaker.spring.history;

import dev.breaker.Breaker;
import dev.breaker.BreakerRegistry;
import dev.breaker.spring.scheduling.PeriodicTask;
import org.springframework.context.SmartLifecycle;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The recent history of every breaker: one sample every {@code interval} (state, level, failure and slow-call rates,
 * calls and rejections per second, admitted share), the latest {@code samples} of them kept per breaker, taken by
 * one shared daemon thread from {@link Breaker#metrics()}, never on the call path.
 *
 * <p>Memory is bounded and allocated once per breaker: {@value SampleRing#BYTES_PER_SAMPLE} bytes a sample plus
 * about {@value SampleRing#OVERHEAD_BYTES} bytes, so 21,792 bytes (about 21 KiB) per breaker with the defaults
 * (720 samples, one per 5 s: an hour), about 10.4 MiB for 500 breakers. See {@link #bytesPerBreaker()}.
 */
public final class BreakerHistory implements SmartLifecycle {

    private final BreakerRegistry registry;
    private final Duration interval;
    private final int samples;
    private final Clock clock;
    private final ConcurrentHashMap<String, SampleRing> rings = new ConcurrentHashMap<>();
    private final PeriodicTask task;

    /**
     * @param interval how often every breaker is sampled; at least 1 ms
     * @param samples the samples kept per breaker; at least 2
     * @param clock the clock the samples are timed by
     */
    public BreakerHistory(BreakerRegistry registry, Duration interval, int samples, Clock clock) {
        if (samples < 2) {
            throw new IllegalArgumentException("samples must be at least 2, was " + samples);
        }
        this.registry = registry;
        this.interval = interval;
        this.samples = samples;
        this.clock = clock;
        this.task = new PeriodicTask("breaker-history", interval, this::sample);
        registry.onBreakerRemoved(breaker -> rings.remove(breaker.name()));
    }

    /** Takes one sample of every breaker, now. */
    public void sample() {
        long now = clock.millis();
        for (Breaker breaker : registry.all()) {
            rings.computeIfAbsent(breaker.name(), name -> new SampleRing(samples)).add(now, breaker.metrics());
        }
    }

    /** The samples of the breaker called {@code name} taken after {@code sinceMillis}, if it has been sampled. */
    public Optional<Samples> of(String name, long sinceMillis) {
        SampleRing ring = rings.get(name);
        return ring == null ? Optional.empty() : Optional.of(ring.since(sinceMillis));
    }

    /** The samples of every breaker taken after {@code sinceMillis}, by name, sorted by name. */
    public Map<String, Samples> all(long sinceMillis) {
        Map<String, Samples> all = new LinkedHashMap<>();
        registry.all().forEach(breaker -> of(breaker.name(), sinceMillis)
                .ifPresent(samples -> all.put(breaker.name(), samples)));
        return all;
    }

    /** How often every breaker is sampled. */
    public Duration interval() {
        return interval;
    }

    /** The samples kept per breaker. */
    public int samples() {
        return samples;
    }

    /** The memory one breaker's history takes, in bytes, on a 64-bit JVM with compressed pointers. */
    public long bytesPerBreaker() {
        return (long) samples * SampleRing.BYTES_PER_SAMPLE + SampleRing.OVERHEAD_BYTES;
    }

    @Override
    public void start() {
        task.start();
    }

    @Override
    public void stop() {
        task.stop();
    }

    @Override
    public boolean isRunning() {
        return task.isRunning();
    }
}
