package dev.breaker.spring.reconfigure;

import dev.breaker.Breaker;
import dev.breaker.Concurrently;
import dev.breaker.BreakerConfig;
import dev.breaker.BreakerEvent;
import dev.breaker.BreakerRegistry;
import dev.breaker.CircuitState;
import dev.breaker.WindowType;
import dev.breaker.spring.annotation.CircuitBreaker;
import dev.breaker.spring.autoconfigure.BreakerAutoConfiguration;
import dev.breaker.spring.autoconfigure.BreakerConfigFactory;
import dev.breaker.spring.autoconfigure.BreakerMetricsAutoConfiguration;
import dev.breaker.spring.autoconfigure.BreakerReconfigurationAutoConfiguration;
import dev.breaker.spring.metrics.BreakerMeterBinder;
import dev.breaker.spring.reconfigure.InvalidBreakerOptionsException.Problem;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** Properties changed while the application runs, applied to its breakers through a real Spring context. */
class BreakerRefresherTests {

    private static final IOException DOWN = new IOException("down");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(BreakerAutoConfiguration.class,
                    BreakerReconfigurationAutoConfiguration.class))
            .withUserConfiguration(ConfigChangedEvents.class)
            .withPropertyValues("breaker.instances.inventory.sliding-window.size=10",
                    "breaker.instances.inventory.minimum-calls=10",
                    "breaker.instances.inventory.failure-rate-threshold=50",
                    "breaker.instances.pricing.wait-in-open=30s");

    /** Changes properties as a config server or an edited file would: a property source above the others. */
    private static void change(ConfigurableApplicationContext context, String... properties) {
        Map<String, Object> changed = new HashMap<>();
        for (String property : properties) {
            String[] keyValue = property.split("=", 2);
            changed.put(keyValue[0], keyValue[1]);
        }
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("changed", changed));
    }

    private static void record(Breaker breaker, int successes, int failures) {
        for (int i = 0; i < successes; i++) {
            breaker.recordSuccess(breaker.acquirePermit(), 0);
        }
        for (int i = 0; i < failures; i++) {
            breaker.recordFailure(breaker.acquirePermit(), 0, DOWN);
        }
    }

    @Test
    void refresh_reconfiguresTheChangedBreaker_keepingItsWindow_andNoOther() {
        runner.run(context -> {
            BreakerRegistry registry = context.getBean(BreakerRegistry.class);
            Breaker inventory = registry.breaker("inventory");
            Breaker pricing = registry.breaker("pricing");
            record(inventory, 7, 3);
            assertThat(inventory.state()).as("30 % failures, under 50 %").isEqualTo(CircuitState.CLOSED);
            change(context, "breaker.instances.inventory.failure-rate-threshold=25");

            List<String> reconfigured = context.getBean(BreakerRefresher.class).refresh("test");

            assertThat(reconfigured).containsExactly("inventory");
            assertThat(registry.breaker("inventory")).as("the same breaker").isSameAs(inventory);
            assertThat(inventory.config().failureRateThreshold()).isEqualTo(25);
            assertThat(inventory.metrics().bufferedCalls()).as("window kept: same kind and size").isEqualTo(10);
            assertThat(pricing.config().waitInOpen()).isEqualTo(Duration.ofSeconds(30));
            record(inventory, 0, 1);
            assertThat(inventory.state()).as("the kept outcomes (6 successes, 4 failures) judged by the new "
                    + "threshold").isEqualTo(CircuitState.OPEN);
            assertThat(context.getBean(ConfigChangedEvents.class).events)
                    .extracting(BreakerEvent.ConfigChanged::breakerName, BreakerEvent.ConfigChanged::source)
                    .containsExactly(tuple("inventory", "test"));
        });
    }

    @Test
    void refresh_ofTheWindowsKind_startsANewWindow_butTheStateAndTotalsStay() {
        runner.run(context -> {
            Breaker inventory = context.getBean(BreakerRegistry.class).breaker("inventory");
            record(inventory, 0, 10);
            assertThat(inventory.state()).isEqualTo(CircuitState.OPEN);
            change(context, "breaker.instances.inventory.sliding-window.type=time",
                    "breaker.instances.inventory.sliding-window.size=30s");

            context.getBean(BreakerRefresher.class).refresh("test");

            assertThat(inventory.config().windowType()).isEqualTo(WindowType.TIME);
            assertThat(inventory.state()).isEqualTo(CircuitState.OPEN);
            assertThat(inventory.metrics().totalFailures()).isEqualTo(10);
        });
    }

    @Test
    void refresh_ofTheDefaults_reachesEveryBreakerThatTakesThem() {
        runner.run(context -> {
            BreakerRegistry registry = context.getBean(BreakerRegistry.class);
            Breaker reviews = registry.breaker("reviews");
            change(context, "breaker.defaults.half-open-calls=7");

            List<String> reconfigured = context.getBean(BreakerRefresher.class).refresh("test");

            assertThat(reconfigured).containsExactlyInAnyOrder("inventory", "pricing", "reviews");
            assertThat(reviews.config().halfOpenCalls()).isEqualTo(7);
            assertThat(registry.breaker("created-later").config().halfOpenCalls())
                    .as("breakers created afterwards get the new properties too").isEqualTo(7);
        });
    }

    @Test
    void refresh_createsNewlyListedInstances_andAnInstanceNoLongerListedTakesTheDefaults() {
        runner.run(context -> {
            BreakerRegistry registry = context.getBean(BreakerRegistry.class);
            change(context, "breaker.instances.shipping.consecutive-failures=3",
                    "breaker.instances.pricing.wait-in-open=60s");

            context.getBean(BreakerRefresher.class).refresh("test");

            assertThat(registry.find("shipping")).hasValueSatisfying(
                    shipping -> assertThat(shipping.config().consecutiveFailures()).isEqualTo(3));
            assertThat(registry.breaker("pricing").config().waitInOpen()).isEqualTo(Duration.ofSeconds(60));
        });
    }

    @Test
    void refresh_leavesABreakerConfiguredElsewhere() {
        runner.run(context -> {
            BreakerRegistry registry = context.getBean(BreakerRegistry.class);
            registry.reconfigure("inventory", BreakerConfig.builder().failureRateThreshold(90).build(), "api");
            change(context, "breaker.instances.inventory.failure-rate-threshold=25");

            List<String> reconfigured = context.getBean(BreakerRefresher.class).refresh("test");

            assertThat(reconfigured).isEmpty();
            assertThat(registry.breaker("inventory").config().failureRateThreshold()).isEqualTo(90);
        });
    }

    @Test
    void refresh_withInvalidProperties_listsEachOne_andChangesNothing() {
        runner.run(context -> {
            Breaker inventory = context.getBean(BreakerRegistry.class).breaker("inventory");
            change(context, "breaker.instances.inventory.failure-rate-threshold=25",
                    "breaker.instances.pricing.wait-in-open=soon",
                    "breaker.instances.pricing.half-open-cals=2");

            assertThatThrownBy(() -> context.getBean(BreakerRefresher.class).refresh("test"))
                    .isInstanceOfSatisfying(InvalidBreakerOptionsException.class, e -> assertThat(e.problems())
                            .extracting(Problem::property, Problem::value, Problem::reason)
                            .containsExactlyInAnyOrder(
                                    tuple("breaker.instances.pricing.wait-in-open", "soon",
                                            "must be a duration such as 500ms, 10s or PT10S"),
                                    tuple("breaker.instances.pricing.half-open-cals", "2",
                                            "is no breaker option; did you mean "
                                                    + "breaker.instances.pricing.half-open-calls?")));

            assertThat(inventory.config().failureRateThreshold()).as("nothing applied").isEqualTo(50);
            assertThat(context.getBean(ConfigChangedEvents.class).events).isEmpty();
        });
    }

    @Test
    void refresh_breakingARule_namesTheKey_andChangesNothing() {
        runner.run(context -> {
            change(context, "breaker.instances.inventory.failure-rate-threshold=150");

            assertThatThrownBy(() -> context.getBean(BreakerRefresher.class).refresh("test"))
                    .isInstanceOfSatisfying(InvalidBreakerOptionsException.class, e -> assertThat(e.problems())
                            .extracting(Problem::property, Problem::reason)
                            .containsExactly(tuple("breaker.instances.inventory.failure-rate-threshold",
                                    "must be in (0, 100]")));
            assertThat(context.getBean(BreakerRegistry.class).breaker("inventory").config().failureRateThreshold())
                    .isEqualTo(50);
        });
    }

    @Test
    void override_setsOptionsOfOneBreaker_whichOutliveALaterRefresh() {
        runner.run(context -> {
            BreakerRefresher refresher = context.getBean(BreakerRefresher.class);
            Breaker inventory = context.getBean(BreakerRegistry.class).breaker("inventory");

            refresher.override("inventory", Map.of("failure-rate-threshold", "20", "sliding-window.size", "50"),
                    "endpoint");
            change(context, "breaker.instances.inventory.failure-rate-threshold=30",
                    "breaker.instances.inventory.minimum-calls=5");
            refresher.refresh("test");

            assertThat(inventory.config().failureRateThreshold()).as("the override wins").isEqualTo(20);
            assertThat(inventory.config().countWindowSize()).isEqualTo(50);
            assertThat(inventory.config().minimumCalls()).as("what the override leaves comes from the rest")
                    .isEqualTo(5);
            assertThat(context.getBean(ConfigChangedEvents.class).events)
                    .extracting(BreakerEvent.ConfigChanged::source).containsExactly("endpoint", "test");
        });
    }

    @Test
    void override_withNull_takesAnOptionBack() {
        runner.run(context -> {
            BreakerRefresher refresher = context.getBean(BreakerRefresher.class);
            Breaker inventory = context.getBean(BreakerRegistry.class).breaker("inventory");
            refresher.override("inventory", Map.of("failure-rate-threshold", "20"), "endpoint");

            Map<String, String> takeBack = new HashMap<>();
            takeBack.put("failure-rate-threshold", null);
            refresher.override("inventory", takeBack, "endpoint");

            assertThat(inventory.config().failureRateThreshold()).isEqualTo(50);
        });
    }

    @Test
    void override_listsEachInvalidOption_andAppliesNone() {
        runner.run(context -> {
            BreakerRefresher refresher = context.getBean(BreakerRefresher.class);
            Breaker inventory = context.getBean(BreakerRegistry.class).breaker("inventory");
            Map<String, String> options = new LinkedHashMap<>();
            options.put("failure-rate-threshold", "150");
            options.put("minimum-calls", "many");
            options.put("wait-in-opn", "10s");
            options.put("half-open-calls", "5");
            options.put("WaitInOpen", "10s");

            assertThatThrownBy(() -> refresher.override("inventory", options, "endpoint"))
                    .isInstanceOfSatisfying(InvalidBreakerOptionsException.class, e -> assertThat(e.problems())
                            .extracting(Problem::option, Problem::value, Problem::reason)
                            .containsExactlyInAnyOrder(
                                    tuple("failure-rate-threshold", "150", "must be in (0, 100]"),
                                    tuple("minimum-calls", "many", "must be a number"),
                                    tuple("wait-in-opn", "10s", "is no breaker option; did you mean "
                                            + "breaker.instances.inventory.wait-in-open?"),
                                    tuple("WaitInOpen", "10s", "is no property name: use the kebab-case form of "
                                            + "application.properties, such as failure-rate-threshold or "
                                            + "sliding-window.size")));

            assertThat(inventory.config().halfOpenCalls()).as("the valid option was not applied either")
                    .isEqualTo(3);
            assertThat(context.getEnvironment().getPropertySources().contains(BreakerRefresher.OVERRIDES)).isFalse();
        });
    }

    @Test
    void override_isCheckedTogetherWithTheOptionsAlreadySet() {
        runner.withPropertyValues("breaker.instances.pricing.wait-in-open-multiplier=2",
                "breaker.instances.pricing.max-wait-in-open=60s").run(context -> {
            BreakerRefresher refresher = context.getBean(BreakerRefresher.class);
            Breaker pricing = context.getBean(BreakerRegistry.class).breaker("pricing");

            assertThatThrownBy(() -> refresher.override("pricing", Map.of("wait-in-open", "90s"), "endpoint"))
                    .isInstanceOfSatisfying(InvalidBreakerOptionsException.class, e -> assertThat(e.problems())
                            .extracting(Problem::option, Problem::property, Problem::reason).containsExactly(
                                    tuple(null, "breaker.instances.pricing.max-wait-in-open",
                                            "must be at least breaker.instances.pricing.wait-in-open (PT1M30S)")));
            assertThat(pricing.config().waitInOpen()).isEqualTo(Duration.ofSeconds(30));

            Map<String, String> both = new LinkedHashMap<>();
            both.put("wait-in-open", "90s");
            both.put("max-wait-in-open", "5m");
            refresher.override("pricing", both, "endpoint");

            assertThat(pricing.config().waitInOpen()).isEqualTo(Duration.ofSeconds(90));
            assertThat(pricing.config().maxWaitInOpen()).isEqualTo(Duration.ofMinutes(5));
        });
    }

    @Test
    void springCloudEnvironmentChange_refreshesTheBreakers() {
        runner.run(context -> {
            Breaker inventory = context.getBean(BreakerRegistry.class).breaker("inventory");
            change(context, "breaker.instances.inventory.minimum-calls=4");

            context.publishEvent(new EnvironmentChangeEvent(context,
                    Set.of("breaker.instances.inventory.minimum-calls")));

            assertThat(inventory.config().minimumCalls()).isEqualTo(4);
            assertThat(context.getBean(ConfigChangedEvents.class).events)
                    .extracting(BreakerEvent.ConfigChanged::source).containsExactly("environment");
        });
    }

    @Test
    void springCloudEnvironmentChange_withInvalidProperties_changesNothing() {
        runner.run(context -> {
            Breaker inventory = context.getBean(BreakerRegistry.class).breaker("inventory");
            change(context, "breaker.instances.inventory.minimum-calls=0");

            context.publishEvent(new EnvironmentChangeEvent(context, Set.of()));

            assertThat(inventory.config().minimumCalls()).isEqualTo(10);
        });
    }

    @Test
    void withoutSpringCloud_thereIsNoEnvironmentChangeListener_butTheRefresherIsThere() {
        runner.withClassLoader(new FilteredClassLoader(EnvironmentChangeEvent.class)).run(context -> {
            assertThat(context).hasSingleBean(BreakerRefresher.class);
            assertThat(context).doesNotHaveBean(BreakerEnvironmentChangeListener.class);
        });
    }

    @Test
    void meters_continueWithoutAGap() {
        runner.withConfiguration(AutoConfigurations.of(BreakerMetricsAutoConfiguration.class))
                .run(context -> {
                    MeterRegistry meters = new SimpleMeterRegistry();
                    context.getBean(BreakerMeterBinder.class).bindTo(meters);
                    Breaker inventory = context.getBean(BreakerRegistry.class).breaker("inventory");
                    record(inventory, 4, 1);
                    change(context, "breaker.instances.inventory.failure-rate-threshold=80");

                    context.getBean(BreakerRefresher.class).refresh("test");
                    record(inventory, 1, 1);

                    assertThat(meters.get("breaker.calls").tag("name", "inventory").tag("outcome", "success")
                            .functionCounter().count()).isEqualTo(5);
                    assertThat(meters.get("breaker.calls").tag("name", "inventory").tag("outcome", "failure")
                            .functionCounter().count()).isEqualTo(2);
                });
    }

    @Test
    void refresher_backsOffForABeanOfTheApplication() {
        runner.withUserConfiguration(OwnRefresher.class).run(context -> assertThat(
                context.getBean(BreakerRefresher.class)).isSameAs(context.getBean(OwnRefresher.class).refresher));
    }

    @Test
    void callsDuringRefreshes_areNeverLostOrCountedTwice() throws Exception {
        runner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
                .withBean(Swapped.class)
                .withPropertyValues("breaker.instances.swapped.sliding-window.size=1000",
                        "breaker.instances.swapped.minimum-calls=1000",
                        "breaker.instances.swapped.failure-rate-threshold=100")
                .run(context -> {
                    Swapped swapped = context.getBean(Swapped.class);
                    BreakerRefresher refresher = context.getBean(BreakerRefresher.class);
                    LongAdder successes = new LongAdder();
                    LongAdder failures = new LongAdder();
                    AtomicBoolean done = new AtomicBoolean();
                    AtomicInteger swaps = new AtomicInteger();

                    Concurrently.inParallel(4, thread -> {
                        if (thread == 3) {
                            while (!done.get()) {
                                int swap = swaps.incrementAndGet();
                                refresher.override("swapped", Map.of("failure-rate-threshold",
                                        swap % 2 == 0 ? "100" : "99.9"), "test");
                            }
                            return;
                        }
                        SplittableRandom random = new SplittableRandom(thread);
                        for (int i = 0; i < 20_000; i++) {
                            boolean fail = random.nextInt(10) == 0;
                            try {
                                swapped.call(fail);
                                successes.increment();
                            } catch (IllegalStateException e) {
                                failures.increment();
                            }
                        }
                        if (thread == 0) {
                            done.set(true);
                        }
                    });
                    done.set(true);

                    Breaker breaker = context.getBean(BreakerRegistry.class).breaker("swapped");
                    assertThat(swaps.get()).as("refreshes happened during the calls").isGreaterThan(1);
                    assertThat(breaker.metrics().totalSuccesses()).isEqualTo(successes.sum());
                    assertThat(breaker.metrics().totalFailures()).isEqualTo(failures.sum());
                    assertThat(breaker.metrics().totalNotPermitted()).isZero();
                    assertThat(breaker.metrics().bufferedCalls()).as("the window carried every outcome")
                            .isEqualTo(1000);
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class ConfigChangedEvents {

        final List<BreakerEvent.ConfigChanged> events = new CopyOnWriteArrayList<>();

        @EventListener
        void on(BreakerEvent.ConfigChanged event) {
            events.add(event);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnRefresher {

        BreakerRefresher refresher;

        @Bean
        BreakerRefresher ownRefresher(ConfigurableEnvironment environment, BreakerConfigFactory factory,
                                      BreakerRegistry registry) {
            refresher = new BreakerRefresher(environment, factory, registry);
            return refresher;
        }
    }

    static class Swapped {

        @CircuitBreaker(name = "swapped")
        public void call(boolean fail) {
            if (fail) {
                throw new IllegalStateException("down");
            }
        }
    }
}
