package dev.breaker.spring.metrics;

import dev.breaker.Breaker;
import dev.breaker.spring.aop.CallTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Times protected calls in {@code breaker.call.duration}, tagged {@code name} and {@code outcome} (success or
 * failure). Each breaker's two timers are registered once, when its first method is resolved.
 */
public final class MicrometerCallTimers implements CallTimer.Factory {

    private final Supplier<MeterRegistry> meters;
    private final Tags commonTags;

    public MicrometerCallTimers(Supplier<MeterRegistry> meters, Iterable<Tag> commonTags) {
        this.meters = meters;
        this.commonTags = Tags.of(commonTags);
    }

    @Override
    public CallTimer forBreaker(Breaker breaker) {
        Timer success = timer(breaker, "success");
        Timer failure = timer(breaker, "failure");
        return (nanos, succeeded) -> (succeeded ? success : failure).record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(Breaker breaker, String outcome) {
        return Timer.builder("breaker.call.duration").description("Duration of protected calls")
                .tags(commonTags).tag("name", breaker.name()).tag("outcome", outcome).register(meters.get());
    }
}
