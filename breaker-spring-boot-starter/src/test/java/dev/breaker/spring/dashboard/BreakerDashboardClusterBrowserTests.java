package dev.breaker.spring.dashboard;

import dev.breaker.Breaker;
import dev.breaker.BreakerConfig;
import dev.breaker.BreakerRegistry;
import dev.breaker.redis.ClusterPolicy;
import dev.breaker.redis.RedisCluster;
import dev.breaker.redis.testing.RedisServer;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The dashboard's cluster line in a real headless Chromium: this application and another instance (a plain
 * {@link RedisCluster}) share a breaker through a real redis-server; the other one opens it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = BreakerDashboardClusterBrowserTests.App.class,
        properties = {
                "spring.autoconfigure.exclude=",
                "spring.application.name=dashboard-cluster",
                "breaker.dashboard.enabled=true",
                "management.endpoints.web.exposure.include=breakers",
                "breaker.cluster.enabled=true",
                "breaker.cluster.instance-id=web",
                "breaker.cluster.publish-interval=200ms",
                "breaker.instances.inventory.cluster.policy=share-open",
                "breaker.instances.inventory.wait-in-open=10m"})
class BreakerDashboardClusterBrowserTests {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static HeadlessChromium chromium;
    private static RedisClient client;
    private static RedisCluster other;
    private static BreakerRegistry otherRegistry;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry properties) {
        properties.add("spring.data.redis.host", () -> "127.0.0.1");
        properties.add("spring.data.redis.port", redis::port);
    }

    @BeforeAll
    static void start(@TempDir Path profile) {
        chromium = HeadlessChromium.start(profile);
        client = RedisClient.create(redis.uri());
        otherRegistry = BreakerRegistry.of(BreakerConfig.builder().consecutiveFailures(1)
                .waitInOpen(Duration.ofMinutes(10)).build());
        other = RedisCluster.builder(client).namespace("dashboard-cluster").instanceId("other")
                .publishInterval(Duration.ofMillis(200)).policies(name -> ClusterPolicy.SHARE_OPEN)
                .start(otherRegistry);
        otherRegistry.breaker("inventory");
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        other.close();
        client.shutdown();
    }

    @Test
    void aTileShowsTheClusterLine_thePolicyTheLiveInstancesAndWhoOpenedIt() {
        String origin = "http://localhost:" + port;
        chromium.driver().get(origin + "/breakers");
        By line = By.cssSelector("[data-breaker='inventory'] [data-role='cluster']");
        WebDriverWait wait = new WebDriverWait(chromium.driver(), WAIT);
        wait.until(ExpectedConditions.textMatches(line, Pattern.compile("Cluster: share-open · 2 live: .*")));

        Breaker inventory = otherRegistry.breaker("inventory");
        inventory.recordFailure(inventory.acquirePermit(), 0, new IOException("down"));

        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-breaker='inventory'] [data-role='state']"),
                "OPEN"));
        wait.until(ExpectedConditions.textMatches(line, Pattern.compile(
                "Cluster: share-open · 2 live: (other OPEN, web \\(this\\) OPEN|web \\(this\\) OPEN, other OPEN)"
                        + " · opened by other \\(CONSECUTIVE_FAILURES\\)")));
        chromium.assertLoadedOnlyFrom(origin);
        chromium.assertNoConsoleErrors();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }
}
