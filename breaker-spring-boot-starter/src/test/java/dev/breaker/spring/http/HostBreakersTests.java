package dev.breaker.spring.http;

import dev.breaker.Breaker;
import dev.breaker.BreakerRegistry;
import dev.breaker.FakeTicker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The bounded set of host breakers: the cap, the overflow breaker, listed hosts and idle eviction. */
class HostBreakersTests {

    private final FakeTicker ticker = new FakeTicker();
    private final BreakerRegistry registry = BreakerRegistry.ofDefaults();
    private final List<String> removed = new ArrayList<>();

    private HostBreakers hosts(int maxBreakers, Duration idleEviction) {
        registry.onBreakerRemoved(breaker -> removed.add(breaker.name()));
        return new HostBreakers(registry, HostBreakerNames.of("http:{host}"), FailureStatuses.of(List.of("5xx")),
                Set.of("listed.example.com")::contains, maxBreakers, "http:other", idleEviction, ticker);
    }

    @Test
    void eachHost_getsABreakerOfItsOwn_namedByThePattern_caseInsensitively() {
        HostBreakers hosts = hosts(10, Duration.ofMinutes(10));

        Breaker a = hosts.forHost("a.example.com").breaker();

        assertThat(a.name()).isEqualTo("http:a.example.com");
        assertThat(hosts.forHost("A.Example.COM").breaker()).isSameAs(a);
        assertThat(hosts.forHost("b.example.com").breaker()).isNotSameAs(a);
        assertThat(registry.find("http:b.example.com")).isPresent();
    }

    @Test
    void beyondTheCap_hostsShareTheOverflowBreaker_andNoneIsCreatedForThem() {
        HostBreakers hosts = hosts(2, Duration.ofMinutes(10));
        hosts.forHost("a");
        hosts.forHost("b");

        Breaker c = hosts.forHost("c").breaker();
        Breaker d = hosts.forHost("d").breaker();

        assertThat(c.name()).isEqualTo("http:other");
        assertThat(d).isSameAs(c);
        assertThat(registry.all()).extracting(Breaker::name)
                .containsExactly("http:a", "http:b", "http:other");
        assertThat(hosts.size()).isEqualTo(2);
    }

    @Test
    void listedHosts_alwaysHaveABreakerOfTheirOwn_andDoNotCount() {
        HostBreakers hosts = hosts(1, Duration.ofMinutes(10));
        hosts.forHost("a");

        Breaker listed = hosts.forHost("listed.example.com").breaker();

        assertThat(listed.name()).isEqualTo("http:listed.example.com");
        assertThat(hosts.forHost("b").breaker().name()).as("the cap counts the other hosts only")
                .isEqualTo("http:other");
    }

    @Test
    void idleBreakers_areRemovedFromTheRegistry_andFreeTheirPlace() {
        HostBreakers hosts = hosts(2, Duration.ofMinutes(10));
        hosts.forHost("idle");
        hosts.forHost("listed.example.com");
        ticker.advance(Duration.ofMinutes(6));
        hosts.forHost("busy");
        assertThat(hosts.forHost("late").breaker().name()).isEqualTo("http:other");
        ticker.advance(Duration.ofMinutes(5));

        int evicted = hosts.evictIdle();

        assertThat(evicted).isEqualTo(1);
        assertThat(removed).containsExactly("http:idle");
        assertThat(registry.find("http:idle")).isEmpty();
        assertThat(registry.find("http:listed.example.com")).as("listed hosts are kept").isPresent();
        assertThat(hosts.forHost("late").breaker().name()).as("the freed place").isEqualTo("http:late");
        assertThat(hosts.forHost("idle").breaker().name()).as("a new breaker once its place is taken again")
                .isEqualTo("http:other");
    }

    @Test
    void idleEvictionOfZero_keepsEveryBreaker() {
        HostBreakers hosts = hosts(2, Duration.ZERO);
        hosts.forHost("a");
        ticker.advance(Duration.ofDays(1));

        assertThat(hosts.evictIdle()).isZero();
        assertThat(registry.find("http:a")).isPresent();
    }

    @Test
    void aRequestInFlightOnAnEvictedBreaker_endsOnIt() {
        HostBreakers hosts = hosts(2, Duration.ofMinutes(1));
        HostBreaker host = hosts.forHost("a");
        long permit = host.acquire();
        long start = host.startTimer();
        ticker.advance(Duration.ofMinutes(2));
        hosts.evictIdle();

        host.failed(permit, start, new java.io.IOException("reset"));

        assertThat(host.breaker().metrics().totalFailures()).isEqualTo(1);
    }
}
