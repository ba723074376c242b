package dev.breaker.spring.autoconfigure;

import dev.breaker.redis.ClusterPolicy;
import dev.breaker.redis.Quorum;
import dev.breaker.spring.autoconfigure.BreakerConfigFactory.Origin;
import dev.breaker.spring.autoconfigure.BreakerProperties.BreakerCluster.Policy;
import org.jspecify.annotations.Nullable;

/**
 * Each breaker's {@link ClusterPolicy} from {@code breaker.*.cluster.*}, resolved like every breaker option (the
 * instance, its base config, the defaults) and checked once at startup, naming the full key of a bad value. The core
 * configuration knows nothing of clusters: these options are read here, beside it.
 */
final class ClusterPolicies {

    private static final String POLICY = "cluster.policy";
    private static final String QUORUM = "cluster.quorum";
    private static final String MINIMUM_CALLS = "cluster.minimum-calls";

    private final BreakerConfigFactory factory;

    /**
     * @throws InvalidBreakerPropertyException for the first bad value at any level
     */
    ClusterPolicies(BreakerConfigFactory factory) {
        this.factory = factory;
        factory.everyValue(options -> options.getCluster().getQuorum(), QUORUM).forEach(ClusterPolicies::quorum);
        factory.everyValue(options -> options.getCluster().getMinimumCalls(), MINIMUM_CALLS)
                .forEach(ClusterPolicies::minimumCalls);
    }

    /** The policy of the breaker called {@code name}; {@link ClusterPolicy#LOCAL} unless configured. */
    ClusterPolicy policyOf(String name) {
        Origin<Policy> policy = factory.option(name, options -> options.getCluster().getPolicy(), POLICY);
        return switch (policy == null ? Policy.LOCAL : policy.value()) {
            case LOCAL -> ClusterPolicy.LOCAL;
            case SHARE_OPEN -> ClusterPolicy.SHARE_OPEN;
            case QUORUM -> {
                Origin<String> quorum = factory.option(name, options -> options.getCluster().getQuorum(), QUORUM);
                Origin<Integer> minimumCalls = factory.option(name, options -> options.getCluster().getMinimumCalls(),
                        MINIMUM_CALLS);
                yield ClusterPolicy.quorum(quorum == null ? Quorum.HALF : quorum(quorum),
                        minimumCalls == null ? 0 : minimumCalls(minimumCalls));
            }
        };
    }

    private static Quorum quorum(Origin<String> quorum) {
        try {
            return Quorum.parse(quorum.value());
        } catch (IllegalArgumentException e) {
            throw invalid(quorum, e.getMessage(), "a number of instances such as 2, or a percentage of the live"
                    + " instances such as 50%");
        }
    }

    private static int minimumCalls(Origin<Integer> minimumCalls) {
        if (minimumCalls.value() < 1) {
            throw invalid(minimumCalls, "must be at least 1", "a number of calls of at least 1, or leave it out to"
                    + " take the breaker's minimum-calls");
        }
        return minimumCalls.value();
    }

    private static InvalidBreakerPropertyException invalid(Origin<?> origin, @Nullable String rule, String valid) {
        return new InvalidBreakerPropertyException(origin.key(), origin.value(), String.valueOf(rule),
                "Set " + origin.key() + " to " + valid + ".");
    }
}
