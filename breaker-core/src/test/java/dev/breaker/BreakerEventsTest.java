package dev.breaker;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BreakerEventsTest {

    private final FakeTicker ticker = new FakeTicker();
    private final List<BreakerEvent> events = new ArrayList<>();

    private Breaker breaker(BreakerConfig.Builder config) {
        return Breaker.of("inventory", config.ticker(ticker).clock(ticker.clock()).build());
    }

    @Test
    void tripping_publishesFailure_thenThresholdExceeded_thenTransition() {
        Breaker breaker = breaker(BreakerConfig.builder().countWindow(2).minimumCalls(2));
        breaker.addListener(events::add);
        IllegalStateException error = new IllegalStateException("down");

        breaker.tryAcquire();
        breaker.onSuccess(5);
        breaker.tryAcquire();
        ticker.advance(Duration.ofSeconds(3));
        breaker.onFailure(7, error);

        assertThat(events).extracting(BreakerEvent::type).containsExactly(EventType.SUCCESS, EventType.FAILURE,
                EventType.THRESHOLD_EXCEEDED, EventType.STATE_TRANSITION);
        assertThat(events.get(0)).isEqualTo(new BreakerEvent.Success("inventory", FakeTicker.EPOCH,
                Duration.ofNanos(5)));
        assertThat(events.get(1)).isEqualTo(new BreakerEvent.Failure("inventory", ticker.now(), Duration.ofNanos(7),
                error));
        assertThat(events.get(2)).isEqualTo(new BreakerEvent.ThresholdExceeded("inventory", ticker.now(),
                TransitionReason.FAILURE_RATE_EXCEEDED, 50f, 0f, 0, null));
        assertThat(events.get(3)).isEqualTo(new BreakerEvent.StateTransition("inventory", ticker.now(),
                CircuitState.CLOSED, CircuitState.OPEN, TransitionReason.FAILURE_RATE_EXCEEDED));
    }

    @Test
    void rejectionsAndIgnoredErrors_arePublished() {
        Breaker breaker = breaker(BreakerConfig.builder().ignoreExceptions(IllegalArgumentException.class));
        breaker.addListener(events::add);
        IllegalArgumentException ignored = new IllegalArgumentException();

        breaker.tryAcquire();
        breaker.onFailure(0, ignored);
        breaker.forceOpen();
        breaker.tryAcquire();

        assertThat(events).containsSubsequence(
                new BreakerEvent.IgnoredError("inventory", ticker.now(), Duration.ZERO, ignored),
                new BreakerEvent.CallNotPermitted("inventory", ticker.now(), CircuitState.FORCED_OPEN,
                        RejectionReason.FORCED_OPEN));
    }

    @Test
    void listener_receivesOnlyTheTypesItAskedFor() {
        Breaker breaker = breaker(BreakerConfig.builder().consecutiveFailures(1));
        breaker.addListener(EnumSet.of(EventType.STATE_TRANSITION), events::add);

        breaker.tryAcquire();
        breaker.onSuccess(0);
        breaker.tryAcquire();
        breaker.onFailure(0, new RuntimeException());
        breaker.tryAcquire();

        assertThat(events).extracting(BreakerEvent::type).containsExactly(EventType.STATE_TRANSITION);
    }

    @Test
    void throwingListener_isContained_andOthersStillReceiveTheEvent() {
        Breaker breaker = breaker(BreakerConfig.builder().consecutiveFailures(1));
        breaker.addListener(event -> {
            throw new IllegalStateException("listener bug");
        });
        breaker.addListener(events::add);

        breaker.tryAcquire();
        breaker.onFailure(0, new RuntimeException());

        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        assertThat(events).extracting(BreakerEvent::type).contains(EventType.STATE_TRANSITION);
    }

    @Test
    void throwingListener_neverBreaksAnExecutionHelper() {
        Breaker breaker = breaker(BreakerConfig.builder());
        breaker.addListener(event -> {
            throw new AssertionError("listener bug");
        });

        assertThat(breaker.get(() -> "answer")).isEqualTo("answer");
        assertThat(breaker.metrics().totalSuccesses()).isEqualTo(1);
    }

    @Test
    void removedListener_receivesNothingMore() {
        Breaker breaker = breaker(BreakerConfig.builder());
        BreakerEventListener listener = events::add;
        breaker.addListener(listener);

        breaker.removeListener(listener);
        breaker.forceOpen();

        assertThat(events).isEmpty();
    }

    @Test
    void prolongedOpen_isPublishedOncePerOutage_spanningHalfOpenRetries() {
        Breaker breaker = breaker(BreakerConfig.builder().consecutiveFailures(1).halfOpenCalls(1)
                .waitInOpen(Duration.ofSeconds(60)).prolongedOpenAlert(Duration.ofMinutes(5)));
        breaker.addListener(EnumSet.of(EventType.PROLONGED_OPEN), events::add);
        breaker.tryAcquire();
        breaker.onFailure(0, new RuntimeException());

        for (int minute = 1; minute <= 10; minute++) {
            ticker.advance(Duration.ofSeconds(60)).advanceNanos(1);
            assertThat(breaker.tryAcquire()).isTrue();
            breaker.onFailure(0, new RuntimeException()); // every trial fails: the outage goes on
            breaker.checkProlongedOpen();
        }

        assertThat(events).singleElement().isInstanceOfSatisfying(BreakerEvent.ProlongedOpen.class,
                e -> assertThat(e.outageDuration()).isGreaterThan(Duration.ofMinutes(5))
                        .isLessThanOrEqualTo(Duration.ofMinutes(6)));
    }

    @Test
    void prolongedOpen_rejectedCallsDetectIt_withoutAScheduler() {
        Breaker breaker = breaker(BreakerConfig.builder().consecutiveFailures(1).waitInOpen(Duration.ofMinutes(30))
                .prolongedOpenAlert(Duration.ofMinutes(5)));
        breaker.addListener(EnumSet.of(EventType.PROLONGED_OPEN), events::add);
        breaker.tryAcquire();
        breaker.onFailure(0, new RuntimeException());

        ticker.advance(Duration.ofMinutes(5));
        assertThat(breaker.tryAcquire()).isFalse();
        assertThat(events).isEmpty();

        ticker.advanceNanos(1);
        assertThat(breaker.tryAcquire()).isFalse();
        assertThat(breaker.tryAcquire()).isFalse();
        assertThat(events).hasSize(1);
    }

    @Test
    void prolongedOpen_aNewOutageAlertsAgain() {
        Breaker breaker = breaker(BreakerConfig.builder().consecutiveFailures(1)
                .prolongedOpenAlert(Duration.ofSeconds(30)));
        breaker.addListener(EnumSet.of(EventType.PROLONGED_OPEN), events::add);

        for (int outage = 0; outage < 2; outage++) {
            breaker.tryAcquire();
            breaker.onFailure(0, new RuntimeException());
            ticker.advance(Duration.ofSeconds(31));
            breaker.checkProlongedOpen();
            breaker.reset();
        }

        assertThat(events).hasSize(2);
    }

    @Test
    void prolongedOpen_isNotAboutBreakersForcedOpenByHand() {
        Breaker breaker = breaker(BreakerConfig.builder().prolongedOpenAlert(Duration.ofSeconds(30)));
        breaker.addListener(events::add);
        breaker.forceOpen();

        ticker.advance(Duration.ofHours(1));
        breaker.checkProlongedOpen();

        assertThat(events).extracting(BreakerEvent::type).containsExactly(EventType.STATE_TRANSITION);
    }
}
