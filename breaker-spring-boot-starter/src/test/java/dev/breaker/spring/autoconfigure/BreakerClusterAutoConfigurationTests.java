package dev.breaker.spring.autoconfigure;

import dev.breaker.BreakerRegistry;
import dev.breaker.redis.ClusterPolicy;
import dev.breaker.redis.Quorum;
import dev.breaker.redis.RedisCluster;
import dev.breaker.redis.testing.RedisServer;
import dev.breaker.spring.actuate.BreakerClusterOperations;
import dev.breaker.spring.actuate.BreakersEndpoint;
import dev.breaker.spring.cluster.ClusterEventBridge;
import dev.breaker.spring.cluster.ClusterHealthIndicator;
import dev.breaker.spring.cluster.ClusterMeterBinder;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The cluster's auto-configuration, against a real redis-server. */
class BreakerClusterAutoConfigurationTests {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, BreakerAutoConfiguration.class,
                    BreakerEndpointsAutoConfiguration.class, BreakerHealthAutoConfiguration.class,
                    BreakerMetricsAutoConfiguration.class, BreakerClusterAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port(),
                    "spring.application.name=storefront");

    private ApplicationContextRunner enabled() {
        return runner.withPropertyValues("breaker.cluster.enabled=true",
                "management.endpoints.web.exposure.include=breakers");
    }

    @Test
    void configuresTheClusterOnTheApplicationsRedis_namedAfterTheApplication_withPoliciesLikeEveryOption() {
        enabled().withPropertyValues(
                "breaker.defaults.cluster.policy=share-open",
                "breaker.configs.voting.cluster.policy=quorum",
                "breaker.configs.voting.cluster.quorum=2",
                "breaker.instances.inventory.base-config=voting",
                "breaker.instances.inventory.cluster.minimum-calls=40",
                "breaker.instances.pricing.cluster.policy=LOCAL").run(context -> {
                    assertThat(context).hasNotFailed();
                    RedisCluster cluster = context.getBean(RedisCluster.class);
                    assertThat(cluster.namespace()).isEqualTo("storefront");
                    assertThat(cluster.policy("inventory")).isEqualTo(ClusterPolicy.quorum(Quorum.ofInstances(2), 40));
                    assertThat(cluster.policy("pricing")).isEqualTo(ClusterPolicy.LOCAL);
                    assertThat(cluster.policy("anything-else")).isEqualTo(ClusterPolicy.SHARE_OPEN);
                    await().atMost(Duration.ofSeconds(10)).until(cluster::connected);
                    assertThat(context).hasSingleBean(ClusterEventBridge.class)
                            .hasSingleBean(BreakerClusterOperations.class).hasSingleBean(ClusterMeterBinder.class)
                            .hasSingleBean(ClusterHealthIndicator.class);
                    assertThat(context.getBean(ClusterHealthIndicator.class).health().getDetails())
                            .containsEntry("connected", true).containsEntry("namespace", "storefront");
                });
    }

    @Test
    void theMetersTellWhetherThisInstanceIsConnected_andHowManyInstancesLive() {
        enabled().withPropertyValues("breaker.instances.inventory.cluster.policy=share-open").run(context -> {
            RedisCluster cluster = context.getBean(RedisCluster.class);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            context.getBean(ClusterMeterBinder.class).bindTo(meters);
            await().atMost(Duration.ofSeconds(10)).until(() -> cluster.liveInstances() == 1);

            assertThat(meters.get("breaker.cluster.connected").tag("namespace", "storefront").gauge().value())
                    .isEqualTo(1);
            assertThat(meters.get("breaker.cluster.instances").gauge().value()).isEqualTo(1);
            assertThat(meters.get("breaker.cluster.lease.held").tag("name", "inventory").gauge().value()).isZero();
            assertThat(meters.find("breaker.cluster.following").tag("name", "other").gauge()).isNull();
        });
    }

    @Test
    void startupNeverWaitsForRedis_aDeadOneLeavesTheInstanceLocalOnly() {
        long start = System.nanoTime();
        enabled().withPropertyValues("spring.data.redis.port=" + closedPort(),
                "breaker.instances.inventory.cluster.policy=share-open").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
                    assertThat(context.getBean(RedisCluster.class).connected()).isFalse();
                    assertThat(context.getBean(ClusterHealthIndicator.class).health().getStatus())
                            .as("a Redis outage never takes the instance out of rotation").isEqualTo(Status.UP);
                    assertThat(context.getBean(ClusterHealthIndicator.class).health().getDetails())
                            .containsEntry("connected", false).containsEntry("mode", "local-only");
                });
    }

    @Test
    void backsOff_unlessEnabled_withoutBreakerRedis_withoutSpringDataRedis_andForAClusterOfTheApplications() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RedisCluster.class)
                .doesNotHaveBean(BreakerClusterOperations.class));
        enabled().withClassLoader(new FilteredClassLoader(RedisCluster.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ClusterEventBridge.class));
        enabled().withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ClusterEventBridge.class));
        enabled().withUserConfiguration(OwnCluster.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(RedisCluster.class).namespace()).isEqualTo("own");
        });
    }

    @Test
    void withoutMicrometerOrHealth_theClusterRunsWithoutItsMetersOrIndicator() {
        enabled().withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context ->
                assertThat(context).hasNotFailed().hasSingleBean(RedisCluster.class)
                        .doesNotHaveBean(ClusterMeterBinder.class));
        enabled().withClassLoader(new FilteredClassLoader("org.springframework.boot.health")).run(context ->
                assertThat(context).hasNotFailed().hasSingleBean(RedisCluster.class)
                        .doesNotHaveBean(ClusterHealthIndicator.class));
    }

    @Test
    void theEndpointGetsTheClusterOperations() {
        enabled().withPropertyValues("breaker.instances.inventory.cluster.policy=share-open").run(context -> {
            BreakersEndpoint endpoint = context.getBean(BreakersEndpoint.class);
            assertThat(endpoint.breaker("inventory").cluster()).isNotNull()
                    .satisfies(cluster -> assertThat(cluster.policy()).isEqualTo("share-open"));
        });
        runner.withPropertyValues("management.endpoints.web.exposure.include=breakers",
                "breaker.instances.inventory.wait-in-open=10s").run(context ->
                assertThat(context.getBean(BreakersEndpoint.class).breaker("inventory").cluster()).isNull());
    }

    @Test
    void badClusterProperties_stopTheApplication_namingTheFullKey() {
        enabled().withPropertyValues("breaker.instances.inventory.cluster.policy=shared").run(context -> {
            assertThat(context).hasFailed();
            // Spring Boot's binder refuses it; its failure analysis names the key, the file and line, and the values.
            assertThat(context.getStartupFailure())
                    .hasStackTraceContaining(
                            "Failed to bind properties under 'breaker.instances.inventory.cluster.policy'")
                    .hasRootCauseInstanceOf(IllegalArgumentException.class);
        });
        assertFailure(enabled().withPropertyValues("breaker.configs.voting.cluster.quorum=150%"),
                "breaker.configs.voting.cluster.quorum is '150%', but it must be a number of instances of at least 1"
                        + " (such as 2) or a percentage of the live instances in (0, 100] (such as 50%). Set"
                        + " breaker.configs.voting.cluster.quorum to a number of instances such as 2, or a percentage"
                        + " of the live instances such as 50%.");
        assertFailure(enabled().withPropertyValues("breaker.defaults.cluster.minimum-calls=0"),
                "breaker.defaults.cluster.minimum-calls is '0', but it must be at least 1. Set"
                        + " breaker.defaults.cluster.minimum-calls to a number of calls of at least 1, or leave it out"
                        + " to take the breaker's minimum-calls.");
        assertFailure(enabled().withPropertyValues("breaker.cluster.publish-interval=1s",
                        "breaker.cluster.command-timeout=2s"),
                "breaker.cluster.command-timeout is 'PT2S', but it must be shorter than"
                        + " breaker.cluster.publish-interval (PT1S). Set breaker.cluster.command-timeout to a duration"
                        + " shorter than the publish interval, such as 100ms.");
        assertFailure(enabled().withPropertyValues("breaker.cluster.publish-interval=1ms"),
                "breaker.cluster.publish-interval is 'PT0.001S', but it must be a duration of at least 10ms. Set"
                        + " breaker.cluster.publish-interval to a duration of at least 10ms.");
    }

    private static void assertFailure(ApplicationContextRunner runner, String message) {
        runner.run((AssertableApplicationContext context) -> {
            assertThat(context).hasFailed();
            assertThat(NestedExceptionUtils.getRootCause(context.getStartupFailure()))
                    .isInstanceOf(InvalidBreakerPropertyException.class).hasMessage(message);
        });
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnCluster {

        @Bean(destroyMethod = "shutdown")
        RedisClient ownClient() {
            return RedisClient.create(redis.uri());
        }

        @Bean
        RedisCluster ownCluster(RedisClient ownClient, BreakerRegistry registry) {
            return RedisCluster.builder(ownClient).namespace("own").start(registry);
        }
    }
}
