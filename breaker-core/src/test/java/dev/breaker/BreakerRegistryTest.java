package dev.breaker;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BreakerRegistryTest {

    private final BreakerConfig defaults = BreakerConfig.builder().halfOpenCalls(2).build();
    private final BreakerConfig slow = BreakerConfig.builder().halfOpenCalls(7).build();
    private final BreakerRegistry registry = BreakerRegistry.builder().defaults(defaults).config("slow", slow).build();

    @Test
    void breaker_createsOnce_andSharesIt() {
        Breaker first = registry.breaker("inventory");

        assertThat(registry.breaker("inventory")).isSameAs(first);
        assertThat(first.config()).isSameAs(defaults);
    }

    @Test
    void breaker_usesTheNamedConfigOfTheSameName() {
        assertThat(registry.breaker("slow").config()).isSameAs(slow);
    }

    @Test
    void breaker_withConfigName_usesIt_andRejectsUnknownOnesNamingTheKnown() {
        assertThat(registry.breaker("pricing", "slow").config()).isSameAs(slow);

        assertThatThrownBy(() -> registry.breaker("pricing2", "fast"))
                .hasMessage("No breaker configuration named 'fast'; the registry has [slow]");
    }

    @Test
    void breaker_existingKeepsItsConfig() {
        Breaker created = registry.breaker("inventory", slow);

        assertThat(registry.breaker("inventory", defaults)).isSameAs(created);
        assertThat(created.config()).isSameAs(slow);
    }

    @Test
    void breaker_byNameAlone_asksTheConfigFunction_soEveryCallerGetsTheSameConfig() {
        BreakerConfig reviews = BreakerConfig.builder().failureRateThreshold(10).consecutiveFailures(3).build();
        List<String> asked = new ArrayList<>();
        BreakerRegistry byFunction = BreakerRegistry.builder().config("slow", slow)
                .configs(name -> {
                    asked.add(name);
                    return name.equals("reviews") ? reviews : defaults;
                })
                .build();

        assertThat(byFunction.breaker("reviews").config()).isSameAs(reviews);
        assertThat(byFunction.breaker("reviews").config()).isSameAs(reviews);
        assertThat(byFunction.breaker("inventory").config()).isSameAs(defaults);
        assertThat(byFunction.breaker("slow").config()).as("a named config of the same name comes first")
                .isSameAs(slow);
        assertThat(asked).as("asked once per breaker created").containsExactly("reviews", "inventory");
    }

    @Test
    void configs_functionReturningNull_failsNamingTheBreaker() {
        BreakerRegistry broken = BreakerRegistry.builder().configs(name -> null).build();

        assertThatThrownBy(() -> broken.breaker("reviews"))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("The registry's config function returned null for breaker 'reviews'; it must return a "
                        + "configuration for every name");
        assertThat(broken.find("reviews")).isEmpty();
    }

    @Test
    void find_neverCreates() {
        assertThat(registry.find("nope")).isEmpty();
        assertThat(registry.all()).isEmpty();
    }

    @Test
    void all_isSortedByName_andRemoveTakesOneOut() {
        registry.breaker("b");
        registry.breaker("c");
        registry.breaker("a");

        assertThat(registry.all()).extracting(Breaker::name).containsExactly("a", "b", "c");
        assertThat(registry.remove("b")).isPresent();
        assertThat(registry.remove("b")).isEmpty();
        assertThat(registry.all()).extracting(Breaker::name).containsExactly("a", "c");
    }

    @Test
    void healthSummary_countsEachState() {
        registry.breaker("a");
        registry.breaker("b").forceOpen();
        registry.breaker("c").disable();
        registry.breaker("d");

        HealthSummary summary = registry.healthSummary();

        assertThat(summary).isEqualTo(new HealthSummary(4, 2, 0, 0, 0, 1, 1));
        assertThat(summary.percentClosed()).isEqualTo(50.0);
        assertThat(BreakerRegistry.ofDefaults().healthSummary().percentClosed()).isEqualTo(100.0);
    }

    @Test
    void listener_reachesExistingAndLaterBreakers() {
        List<String> opened = new ArrayList<>();
        registry.breaker("early");
        registry.addListener(EnumSet.of(EventType.STATE_TRANSITION), e -> opened.add(e.breakerName()));
        registry.breaker("late");

        registry.breaker("early").forceOpen();
        registry.breaker("late").forceOpen();

        assertThat(opened).containsExactly("early", "late");
    }

    @Test
    void additionAndRemovalListeners_seeEachBreakerOnce() {
        List<String> seen = new ArrayList<>();
        registry.onBreakerAdded(b -> seen.add("+" + b.name()));
        registry.onBreakerRemoved(b -> seen.add("-" + b.name()));

        registry.breaker("a");
        registry.breaker("a");
        registry.remove("a");

        assertThat(seen).containsExactly("+a", "-a");
    }
}
