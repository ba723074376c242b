package dev.breaker.spring.autoconfigure;

import dev.breaker.BreakerRegistry;
import dev.breaker.redis.RedisCluster;
import dev.breaker.spring.actuate.BreakerClusterOperations;
import dev.breaker.spring.cluster.ClusterEventBridge;
import dev.breaker.spring.cluster.ClusterHealthIndicator;
import dev.breaker.spring.cluster.ClusterLifecycle;
import dev.breaker.spring.cluster.ClusterMeterBinder;
import dev.breaker.spring.cluster.RedisClusterOperations;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import java.time.Duration;


/**
 * One breaker across the instances of the application, coordinated through Redis: on when breaker-redis and Spring
 * Data Redis are on the class path and {@code breaker.cluster.enabled=true}. Uses the application's Lettuce
 * {@link RedisConnectionFactory} (host, TLS, Sentinel, Cluster, ACL user from {@code spring.data.redis.*}), making
 * connections of its own from its client; never waits for Redis at startup.
 */
@AutoConfiguration(after = BreakerAutoConfiguration.class,
        afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass({RedisCluster.class, RedisConnectionFactory.class})
@ConditionalOnBooleanProperty("breaker.cluster.enabled")
public final class BreakerClusterAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RedisCluster breakerCluster(BreakerRegistry registry, BreakerConfigFactory factory, BreakerProperties properties,
                                ObjectProvider<RedisConnectionFactory> connectionFactories, Environment environment) {
        BreakerProperties.Cluster cluster = properties.getCluster();
        ClusterPolicies policies = new ClusterPolicies(factory);
        LettuceConnectionFactory lettuce = lettuce(connectionFactories.getIfAvailable());
        RedisCluster.Builder builder = RedisCluster.builder(lettuce::getRequiredNativeClient)
                .namespace(namespace(cluster, environment))
                .policies(policies::policyOf);
        settle("breaker.cluster.publish-interval", cluster.getPublishInterval(), "a duration of at least 10ms",
                () -> builder.publishInterval(cluster.getPublishInterval()));
        settle("breaker.cluster.command-timeout", cluster.getCommandTimeout(),
                "a duration of at least 1ms, shorter than breaker.cluster.publish-interval",
                () -> builder.commandTimeout(cluster.getCommandTimeout()));
        if (cluster.getInstanceId() != null) {
            settle("breaker.cluster.instance-id", cluster.getInstanceId(), "a non-blank text without '|'",
                    () -> builder.instanceId(cluster.getInstanceId()));
        }
        if (cluster.getCommandTimeout().compareTo(cluster.getPublishInterval()) >= 0) {
            throw new InvalidBreakerPropertyException("breaker.cluster.command-timeout", cluster.getCommandTimeout(),
                    "must be shorter than breaker.cluster.publish-interval (" + cluster.getPublishInterval() + ")",
                    "Set breaker.cluster.command-timeout to a duration shorter than the publish interval, such as"
                            + " 100ms.");
        }
        return builder.start(registry);
    }

    private static LettuceConnectionFactory lettuce(RedisConnectionFactory factory) {
        if (factory instanceof LettuceConnectionFactory lettuce) {
            return lettuce;
        }
        throw new InvalidBreakerPropertyException("breaker.cluster.enabled", true,
                "needs the application's RedisConnectionFactory to be Lettuce's, and it is "
                        + (factory == null ? "missing" : factory.getClass().getName()),
                "Add spring-boot-starter-data-redis (which uses Lettuce) and configure spring.data.redis.*, or set"
                        + " breaker.cluster.enabled to false.");
    }

    private static String namespace(BreakerProperties.Cluster cluster, Environment environment) {
        String namespace = cluster.getNamespace() != null ? cluster.getNamespace()
                : environment.getProperty("spring.application.name", "application");
        if (namespace.isBlank() || namespace.contains("|")) {
            String key = cluster.getNamespace() != null ? "breaker.cluster.namespace" : "spring.application.name";
            throw new InvalidBreakerPropertyException(key, namespace, "must be a non-blank text without '|' to name"
                    + " the cluster's Redis keys", "Set breaker.cluster.namespace to the application's name.");
        }
        return namespace;
    }

    private static void settle(String key, Object value, String valid, Runnable apply) {
        try {
            apply.run();
        } catch (IllegalArgumentException e) {
            throw new InvalidBreakerPropertyException(key, value, "must be " + valid, "Set " + key + " to " + valid
                    + ".");
        }
    }

    @Bean
    @ConditionalOnMissingBean
    ClusterLifecycle breakerClusterLifecycle(RedisCluster cluster) {
        return new ClusterLifecycle(cluster);
    }

    @Bean
    @ConditionalOnMissingBean
    ClusterEventBridge breakerClusterEventBridge(RedisCluster cluster, ApplicationEventPublisher publisher) {
        return new ClusterEventBridge(cluster, publisher);
    }

    @Bean
    @ConditionalOnMissingBean
    BreakerClusterOperations breakerClusterOperations(RedisCluster cluster, BreakerProperties properties) {
        // A read may show what this instance knew already; an action is rare, and its answer says whether it reached
        // the other instances: it waits for the command (bounded by the command timeout) on a busy thread too.
        Duration timeout = properties.getCluster().getCommandTimeout();
        return new RedisClusterOperations(cluster, timeout.multipliedBy(2), timeout.plusSeconds(1));
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBooleanProperty(name = "breaker.metrics.enabled", matchIfMissing = true)
    static class MetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ClusterMeterBinder breakerClusterMeterBinder(RedisCluster cluster, BreakerRegistry registry,
                                                     BreakerProperties properties) {
            return new ClusterMeterBinder(cluster, registry, BreakerMetricsAutoConfiguration.tags(properties));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({HealthContributor.class, ConditionalOnEnabledHealthIndicator.class})
    static class HealthConfiguration {

        // The bean name gives the indicator its name, "breakerCluster"; management.health.breakercluster.enabled turns it
        // off, as management.health.diskspace.enabled does Boot's diskSpace.
        @Bean
        @ConditionalOnEnabledHealthIndicator("breakercluster")
        @ConditionalOnMissingBean(name = "breakerClusterHealthIndicator")
        ClusterHealthIndicator breakerClusterHealthIndicator(RedisCluster cluster) {
            return new ClusterHealthIndicator(cluster);
        }
    }
}
