package dev.breaker.spring.actuate;

import dev.breaker.Breaker;
import dev.breaker.BreakerConfig;
import dev.breaker.BreakerEvent;
import dev.breaker.BreakerRegistry;
import dev.breaker.Concurrently;
import dev.breaker.EventType;
import dev.breaker.FakeTicker;
import dev.breaker.RejectionReason;
import dev.breaker.spring.actuate.BreakerEventBuffer.RecentEvent;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class BreakerEventBufferTests {

    private final FakeTicker ticker = new FakeTicker();
    private final BreakerRegistry registry = BreakerRegistry.of(BreakerConfig.builder().consecutiveFailures(1)
            .ticker(ticker).clock(ticker.clock()).build());

    private static List<String> types(List<RecentEvent> events) {
        return events.stream().map(e -> e.event().type().name()).toList();
    }

    @Test
    void eachTypeKeepsItsOwnCapacity_soPerCallEventsNeverPushOutTransitions() {
        BreakerEventBuffer buffer = new BreakerEventBuffer(registry, EnumSet.allOf(EventType.class), 2);
        Breaker inventory = registry.breaker("inventory");
        for (int i = 0; i < 50; i++) {
            ticker.advance(Duration.ofMillis(10));
            inventory.tryAcquire();
            inventory.onSuccess(0);
        }
        inventory.tryAcquire();
        inventory.onFailure(0, new IOException("down"));

        assertThat(types(buffer.events("inventory")))
                .containsExactly("STATE_TRANSITION", "THRESHOLD_EXCEEDED", "FAILURE", "SUCCESS", "SUCCESS");
    }

    @Test
    void rejectionRuns_areBoundedByTheCapacity_newestKept() {
        BreakerEventBuffer buffer = new BreakerEventBuffer(registry, EnumSet.of(EventType.CALL_NOT_PERMITTED), 3);
        Breaker inventory = registry.breaker("inventory");
        for (int run = 1; run <= 5; run++) {
            ticker.advance(Duration.ofSeconds(1));
            inventory.forceOpen();
            for (int call = 0; call < run; call++) {
                inventory.tryAcquire();
            }
            inventory.reset();
        }

        assertThat(buffer.events("inventory")).extracting(RecentEvent::count).containsExactly(5L, 4L, 3L);
    }

    @Test
    void rejectionsForDifferentReasons_interleaved_makeOneRunPerReason() {
        BreakerConfig base = BreakerConfig.builder().ticker(ticker).clock(ticker.clock()).build();
        BreakerRegistry dependents = BreakerRegistry.builder().defaults(base).config("upstream", base)
                .config("search", base.toBuilder().dependsOn("upstream").maxConcurrentCalls(1).build()).build();
        BreakerEventBuffer buffer = new BreakerEventBuffer(dependents, EnumSet.of(EventType.CALL_NOT_PERMITTED), 10);
        Breaker search = dependents.breaker("search");
        long held = search.acquirePermit();
        dependents.breaker("upstream").forceOpen();
        for (int i = 0; i < 3; i++) {
            ticker.advance(Duration.ofSeconds(1));
            search.tryAcquire();
            search.acquirePermit();
        }
        search.release(held);

        assertThat(buffer.events("search")).extracting(run -> ((BreakerEvent.CallNotPermitted) run.event()).reason(),
                RecentEvent::count).containsExactlyInAnyOrder(tuple(RejectionReason.DEPENDENCY_OPEN, 3L),
                tuple(RejectionReason.CONCURRENCY_LIMIT, 3L));
    }

    @Test
    void rejectionsOnManyThreads_areAllCounted_inOneRun() throws InterruptedException {
        BreakerEventBuffer buffer = new BreakerEventBuffer(registry, EnumSet.of(EventType.CALL_NOT_PERMITTED), 10);
        Breaker inventory = registry.breaker("inventory");
        inventory.forceOpen();

        Concurrently.inParallel(4, thread -> {
            for (int i = 0; i < 10_000; i++) {
                inventory.tryAcquire();
            }
        });

        assertThat(buffer.events("inventory")).singleElement()
                .satisfies(run -> assertThat(run.count()).isEqualTo(40_000));
    }

    @Test
    void events_ofARemovedBreaker_areDropped() {
        BreakerEventBuffer buffer = new BreakerEventBuffer(registry, EnumSet.of(EventType.RESET), 5);
        registry.breaker("inventory").reset();

        registry.remove("inventory");

        assertThat(buffer.events("inventory")).isEmpty();
        assertThat(buffer.events()).isEmpty();
    }
}
