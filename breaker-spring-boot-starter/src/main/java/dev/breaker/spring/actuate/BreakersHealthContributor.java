package dev.breaker.spring.actuate;

import dev.breaker.Breaker;
import dev.breaker.BreakerMetrics;
import dev.breaker.BreakerRegistry;
import dev.breaker.CircuitState;
import dev.breaker.HealthSummary;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import java.util.stream.Stream;

/**
 * The {@code breakers} health contributor: a {@code summary} (UP, with the number of breakers in each state)
 * and a {@code breakers} component with one entry per breaker, live as breakers come and go.
 *
 * <p>An open breaker is not DOWN by default: when a downstream shared by every instance fails, DOWN would make every
 * instance's health answer 503 and a load balancer would evict them all. It shows as {@code CIRCUIT_OPEN}, ordered
 * between DOWN and UP and answered with 200; half-open as {@code CIRCUIT_HALF_OPEN}.
 */
public final class BreakersHealthContributor implements CompositeHealthContributor {

    /** The status of an open or forced-open breaker by default. */
    public static final Status CIRCUIT_OPEN = new Status("CIRCUIT_OPEN", "The breaker rejects calls");
    /** The status of a half-open breaker by default. */
    public static final Status CIRCUIT_HALF_OPEN = new Status("CIRCUIT_HALF_OPEN", "The breaker is trying calls");

    /** How the health of one breaker is shown. */
    public interface BreakerHealthPolicy {

        /** Whether the breaker called {@code name} is part of health. */
        boolean includes(String name);

        /** The status of the breaker called {@code name} while it rejects calls. */
        Status openStatus(String name);

        /** The status of the breaker called {@code name} while half-open. */
        Status halfOpenStatus(String name);
    }

    private final BreakerRegistry registry;
    private final BreakerHealthPolicy policy;
    private final HealthIndicator summary;
    private final CompositeHealthContributor breakers;

    public BreakersHealthContributor(BreakerRegistry registry, BreakerHealthPolicy policy) {
        this.registry = registry;
        this.policy = policy;
        this.summary = this::summary;
        this.breakers = new Breakers();
    }

    @Override
    public @Nullable HealthContributor getContributor(String name) {
        return switch (name) {
            case "summary" -> summary;
            case "breakers" -> breakers;
            default -> null;
        };
    }

    @Override
    public Stream<HealthContributors.Entry> stream() {
        return Stream.of(new HealthContributors.Entry("summary", summary),
                new HealthContributors.Entry("breakers", breakers));
    }

    private Health summary() {
        HealthSummary s = registry.healthSummary();
        return Health.up()
                .withDetail("total", s.total())
                .withDetail("closed", s.closed())
                .withDetail("open", s.open())
                .withDetail("halfOpen", s.halfOpen())
                .withDetail("forcedOpen", s.forcedOpen())
                .withDetail("disabled", s.disabled())
                .withDetail("percentClosed", s.percentClosed())
                .build();
    }

    private Health health(Breaker breaker) {
        BreakerMetrics m = breaker.metrics();
        Status status = status(breaker.name(), m.state());
        Health.Builder health = Health.status(status)
                .withDetail("state", m.state().name())
                .withDetail("failureRate", m.failureRate())
                .withDetail("slowCallRate", m.slowCallRate())
                .withDetail("bufferedCalls", m.bufferedCalls())
                .withDetail("failedCalls", m.failedCalls())
                .withDetail("notPermittedCalls", m.totalNotPermitted());
        if (m.lastStateChangeTime() != null) {
            health.withDetail("lastStateChangeTime", m.lastStateChangeTime().toString());
        }
        return health.build();
    }

    private Status status(String name, CircuitState state) {
        return switch (state) {
            case OPEN, FORCED_OPEN -> policy.openStatus(name);
            case HALF_OPEN -> policy.halfOpenStatus(name);
            default -> Status.UP;
        };
    }

    /** One indicator per breaker the policy includes, looked up live. */
    private final class Breakers implements CompositeHealthContributor {

        @Override
        public @Nullable HealthContributor getContributor(String name) {
            if (!policy.includes(name)) {
                return null;
            }
            return registry.find(name).map(this::indicator).orElse(null);
        }

        @Override
        public Stream<HealthContributors.Entry> stream() {
            return registry.all().stream().filter(breaker -> policy.includes(breaker.name()))
                    .map(breaker -> new HealthContributors.Entry(breaker.name(), indicator(breaker)));
        }

        private HealthIndicator indicator(Breaker breaker) {
            return () -> health(breaker);
        }
    }
}
