package dev.breaker.spring.actuate;

import dev.breaker.Breaker;
import dev.breaker.BreakerMetrics;
import dev.breaker.BreakerRegistry;
import dev.breaker.HealthSummary;
import dev.breaker.spring.states.BreakerStates;
import dev.breaker.spring.states.BreakerStates.StateDescriptor;
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
 * between DOWN and UP and answered with 200; half-open as {@code CIRCUIT_HALF_OPEN}. A recovering breaker is UP, with
 * the share of calls it lets through and the time left in its ramp in its details; every breaker's details show its
 * level, so an EMERGENCY is visible there. A breaker with dependencies shows them, and while one blocks its calls,
 * {@code blockedBy}: its status stays what its own state says. Which status each state shows is read from
 * {@link BreakerStates}.
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
                .withDetail("recovering", s.recovering())
                .withDetail("forcedOpen", s.forcedOpen())
                .withDetail("disabled", s.disabled())
                .withDetail("percentClosed", s.percentClosed())
                .build();
    }

    private Health health(Breaker breaker) {
        BreakerMetrics m = breaker.metrics();
        StateDescriptor shown = BreakerStates.of(m.state());
        Health.Builder health = Health.status(status(breaker.name(), shown))
                .withDetail("state", m.state().name())
                .withDetail("level", m.level().name())
                .withDetail("failureRate", m.failureRate())
                .withDetail("slowCallRate", m.slowCallRate())
                .withDetail("bufferedCalls", m.bufferedCalls())
                .withDetail("failedCalls", m.failedCalls())
                .withDetail("notPermittedCalls", m.totalNotPermitted());
        if (shown.showsRamp()) {
            health.withDetail("admittedSharePercent", m.admittedSharePercent())
                    .withDetail("rampRemainingMillis", m.rampRemaining().toMillis())
                    .withDetail("rampHeld", m.rampHeld());
        }
        if (breaker.config().escalation().isPresent()) {
            health.withDetail("escalations", m.escalations());
        }
        if (!breaker.config().dependsOn().isEmpty()) {
            health.withDetail("dependsOn", breaker.dependencies());
        }
        if (m.blockedBy() != null) {
            health.withDetail("blockedBy", m.blockedBy());
        }
        if (m.lastStateChangeTime() != null) {
            health.withDetail("lastStateChangeTime", m.lastStateChangeTime().toString());
        }
        return health.build();
    }

    private Status status(String name, StateDescriptor shown) {
        return switch (shown.health()) {
            case OPEN -> policy.openStatus(name);
            case HALF_OPEN -> policy.halfOpenStatus(name);
            case UP -> Status.UP;
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
