package dev.breaker.spring.metrics;

import dev.breaker.Breaker;
import dev.breaker.BreakerConfig;
import dev.breaker.BreakerEvent;
import dev.breaker.BreakerMetrics;
import dev.breaker.BreakerRegistry;
import dev.breaker.CircuitState;
import dev.breaker.EventType;
import dev.breaker.Level;
import dev.breaker.Priority;
import dev.breaker.RejectionReason;
import dev.breaker.spring.states.BreakerStates;
import dev.breaker.spring.states.BreakerStates.LevelDescriptor;
import dev.breaker.spring.states.BreakerStates.StateDescriptor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Binds every breaker of a registry, now and later, to Micrometer. All meters carry the breaker's {@code name} tag
 * plus the configured common tags:
 * <ul>
 * <li>{@code breaker.state} (gauge, tag {@code state}): 1 for the breaker's current state, 0 for the others;</li>
 * <li>{@code breaker.level} (gauge, tag {@code level}): 1 for the breaker's current level, 0 for the others;</li>
 * <li>{@code breaker.admitted.share} (gauge, percent): the share of calls let through now: 100 closed, the ramp's
 * share recovering, 0 open;</li>
 * <li>{@code breaker.calls} (function counter, tag {@code outcome} = success, failure, ignored,
 * not_permitted);</li>
 * <li>{@code breaker.calls.not.permitted} (function counter, tag {@code reason}, such as open, dependency_open,
 * concurrency_limit, rate_limit, priority): the rejected calls by reason, which add up to
 * {@code breaker.calls{outcome=not_permitted}};</li>
 * <li>{@code breaker.calls.not.permitted.by.priority} (function counter, tag {@code priority} = critical_plus,
 * critical, sheddable_plus, sheddable): the rejected calls by the priority they had, counted once some call carries
 * a priority;</li>
 * <li>{@code breaker.calls.in.flight} (gauge, for a breaker with a concurrency limit): the calls in flight now;</li>
 * <li>{@code breaker.slow.calls} (function counter): slow calls, failed or not;</li>
 * <li>{@code breaker.failure.rate} and {@code breaker.slow.call.rate} (gauges, percent): no value (NaN) while the
 * window holds fewer than the minimum calls, so that {@code avg()}, {@code max()} and alerts never see a
 * sentinel;</li>
 * <li>{@code breaker.transitions} (counter, tags {@code from}, {@code to});</li>
 * <li>{@code breaker.prolonged.open} (counter): outages that outlasted the alert time;</li>
 * <li>{@code breaker.timeout} (gauge, seconds), only for a breaker with a timeout: the time a call may take now,
 * the adaptive limit as of now;</li>
 * <li>{@code breaker.throttle.reject} (gauge, percent), only for a breaker that throttles: the share of calls it
 * rejects now.</li>
 * </ul>
 * The last two follow the breaker's configuration when it changes. No gauge reports a sentinel such as -1: a value
 * that does not exist now (a rate under the minimum calls, calls in flight without a limit) is NaN, which every
 * PromQL comparison drops: an alert on {@code > 50} never fires on it, and {@code avg(breaker_failure_rate_percent
 * >= 0)} averages the breakers that have a rate.
 * Counters and gauges read the breaker's own counters when scraped; nothing is added to the call path. Tag values of
 * states and levels come from {@link BreakerStates}.
 */
public final class BreakerMeterBinder implements MeterBinder {

    private final BreakerRegistry breakers;
    private final Tags commonTags;
    private final Map<String, List<Meter>> metersByBreaker = new ConcurrentHashMap<>();
    /** The meters of features a breaker may have or not, rebound when its configuration changes. */
    private final Map<String, List<Meter>> featureMetersByBreaker = new ConcurrentHashMap<>();

    public BreakerMeterBinder(BreakerRegistry breakers, Iterable<Tag> commonTags) {
        this.breakers = breakers;
        this.commonTags = Tags.of(commonTags);
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        breakers.all().forEach(breaker -> bind(breaker, meters));
        breakers.onBreakerAdded(breaker -> bind(breaker, meters));
        breakers.onBreakerRemoved(breaker -> unbind(breaker, meters));
        breakers.addListener(EnumSet.of(EventType.STATE_TRANSITION, EventType.PROLONGED_OPEN),
                event -> count(event, meters));
        breakers.addListener(EnumSet.of(EventType.CONFIG_CHANGED), event -> breakers.find(event.breakerName())
                .ifPresent(breaker -> bindFeatures(breaker, meters)));
    }

    private void bind(Breaker breaker, MeterRegistry meters) {
        Tags tags = tags(breaker);
        List<Meter> bound = new ArrayList<>();
        for (StateDescriptor shown : BreakerStates.states()) {
            CircuitState state = shown.state();
            bound.add(Gauge.builder("breaker.state", breaker, b -> b.state() == state ? 1 : 0)
                    .description("1 for the breaker's current state, 0 for the others")
                    .tags(tags).tag("state", shown.tag()).register(meters));
        }
        for (LevelDescriptor shown : BreakerStates.levels()) {
            Level level = shown.level();
            bound.add(Gauge.builder("breaker.level", breaker, b -> b.level() == level ? 1 : 0)
                    .description("1 for the breaker's current level, 0 for the others")
                    .tags(tags).tag("level", shown.tag()).register(meters));
        }
        bound.add(Gauge.builder("breaker.admitted.share", breaker, b -> b.metrics().admittedSharePercent())
                .description("Share of calls let through now: 100 closed, the ramp's share recovering, 0 open")
                .baseUnit("percent").tags(tags).register(meters));
        bound.add(calls(breaker, tags, "success", BreakerMetrics::totalSuccesses, meters));
        bound.add(calls(breaker, tags, "failure", BreakerMetrics::totalFailures, meters));
        bound.add(calls(breaker, tags, "ignored", BreakerMetrics::totalIgnored, meters));
        bound.add(calls(breaker, tags, "not_permitted", BreakerMetrics::totalNotPermitted, meters));
        // Two meters, not one with both tags: the core counts rejections by reason and by priority apart, and by
        // priority only once priorities are in use, so neither can split the other or breaker.calls monotonically.
        for (RejectionReason reason : RejectionReason.values()) {
            bound.add(FunctionCounter.builder("breaker.calls.not.permitted", breaker,
                            b -> b.metrics().notPermittedByReason().getOrDefault(reason, 0L))
                    .description("Rejected calls by reason").tags(tags).tag("reason", tag(reason)).register(meters));
        }
        for (Priority priority : Priority.values()) {
            bound.add(FunctionCounter.builder("breaker.calls.not.permitted.by.priority", breaker,
                            b -> b.metrics().notPermittedByPriority().getOrDefault(priority, 0L))
                    .description("Rejected calls by the priority they had, counted once calls carry priorities")
                    .tags(tags).tag("priority", tag(priority)).register(meters));
        }
        if (breaker.config().maxConcurrentCalls() > 0) {
            bound.add(Gauge.builder("breaker.calls.in.flight", breaker, BreakerMeterBinder::callsInFlight)
                    .description("Calls in flight now, under the breaker's concurrency limit")
                    .tags(tags).register(meters));
        }
        bound.add(FunctionCounter.builder("breaker.slow.calls", breaker, b -> b.metrics().totalSlowCalls())
                .description("Calls slower than the slow-call duration, failed or not").tags(tags).register(meters));
        bound.add(rate(breaker, tags, "breaker.failure.rate", "Failure rate in percent over the window",
                BreakerMetrics::failureRate, meters));
        bound.add(rate(breaker, tags, "breaker.slow.call.rate", "Slow-call rate in percent over the window",
                BreakerMetrics::slowCallRate, meters));
        bound.add(Counter.builder("breaker.prolonged.open").description("Outages that outlasted the alert time")
                .tags(tags).register(meters));
        metersByBreaker.put(breaker.name(), bound);
        bindFeatures(breaker, meters);
    }

    /** Registers the meters of the features the breaker has now, replacing those of its former configuration. */
    private void bindFeatures(Breaker breaker, MeterRegistry meters) {
        Tags tags = tags(breaker);
        BreakerConfig config = breaker.config();
        List<Meter> bound = new ArrayList<>();
        if (config.timeout().isPresent() || config.adaptiveTimeout().isPresent()) {
            bound.add(Gauge.builder("breaker.timeout", breaker, b -> b.timeoutNanos() / 1e9)
                    .description("The time a call may take now: the fixed timeout, or the adaptive one as of now")
                    .baseUnit("seconds").tags(tags).register(meters));
        }
        if (config.adaptiveThrottle().isPresent()) {
            bound.add(Gauge.builder("breaker.throttle.reject", breaker, b -> b.metrics().throttleRejectPercent())
                    .description("Share of calls adaptive throttling rejects now").baseUnit("percent").tags(tags)
                    .register(meters));
        }
        List<Meter> former = featureMetersByBreaker.put(breaker.name(), bound);
        if (former != null) {
            former.stream().filter(meter -> !bound.contains(meter)).forEach(meters::remove);
        }
    }

    /** The calls in flight, NaN once a reconfiguration removed the concurrency limit. */
    private static double callsInFlight(Breaker breaker) {
        int inFlight = breaker.metrics().callsInFlight();
        return inFlight < 0 ? Double.NaN : inFlight;
    }

    /** {@code dependency_open}, {@code sheddable_plus}: a constant as a tag value. */
    private static String tag(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    private static Meter calls(Breaker breaker, Tags tags, String outcome, ToDoubleFunction<BreakerMetrics> count,
                               MeterRegistry meters) {
        return FunctionCounter.builder("breaker.calls", breaker, b -> count.applyAsDouble(b.metrics()))
                .description("Calls by outcome").tags(tags).tag("outcome", outcome).register(meters);
    }

    private static Meter rate(Breaker breaker, Tags tags, String name, String description,
                              ToDoubleFunction<BreakerMetrics> rate, MeterRegistry meters) {
        return Gauge.builder(name, breaker, b -> percentOrNaN(rate.applyAsDouble(b.metrics())))
                .description(description).baseUnit("percent").tags(tags).register(meters);
    }

    /** A rate of the core, whose -1 says "fewer than the minimum calls", as a gauge value: NaN then. */
    private static double percentOrNaN(double rate) {
        return rate < 0 ? Double.NaN : rate;
    }

    private void unbind(Breaker breaker, MeterRegistry meters) {
        List<Meter> bound = metersByBreaker.remove(breaker.name());
        if (bound != null) {
            bound.forEach(meters::remove);
        }
        List<Meter> features = featureMetersByBreaker.remove(breaker.name());
        if (features != null) {
            features.forEach(meters::remove);
        }
        meters.find("breaker.transitions").tag("name", breaker.name()).meters().forEach(meters::remove);
    }

    private void count(BreakerEvent event, MeterRegistry meters) {
        Tags tags = commonTags.and("name", event.breakerName());
        if (event instanceof BreakerEvent.StateTransition transition) {
            Counter.builder("breaker.transitions").description("State transitions").tags(tags)
                    .tag("from", BreakerStates.of(transition.from()).tag())
                    .tag("to", BreakerStates.of(transition.to()).tag())
                    .register(meters).increment();
        } else if (event instanceof BreakerEvent.ProlongedOpen) {
            Counter.builder("breaker.prolonged.open").tags(tags).register(meters).increment();
        }
    }

    private Tags tags(Breaker breaker) {
        return commonTags.and("name", breaker.name());
    }
}
