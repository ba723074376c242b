package dev.breaker.spring.actuate;

import dev.breaker.Breaker;
import dev.breaker.CircuitState;
import dev.breaker.FakeTicker;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** Drives a breaker through an outage on a fake ticker, with the calls an application makes. */
public final class Outages {

    /**
     * A breaker called {@code ramped}, as {@code @SpringBootTest(properties)} takes it (one property a line): it opens
     * on one failure, tries one trial call, recovers over 100 s from 10 % of the calls, and is in an emergency after
     * one failed recovery.
     */
    public static final String RAMPED = """
            breaker.instances.ramped.consecutive-failures=1
            breaker.instances.ramped.half-open-calls=1
            breaker.instances.ramped.recovery.ramp=100s
            breaker.instances.ramped.escalation.enabled=true
            breaker.instances.ramped.escalation.emergency-after=1
            """;

    private Outages() {
    }

    /** Resets {@code breaker} (forgetting its escalations) and opens it with failures. */
    public static void open(Breaker breaker) {
        breaker.reset();
        for (int i = 0; i < 1_000 && breaker.state() == CircuitState.CLOSED; i++) {
            breaker.tryAcquire();
            breaker.onFailure(0, new IOException("down"));
        }
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    }

    /** Lets the wait in open pass, then answers trial calls until the trial is decided. */
    public static void trial(Breaker breaker, FakeTicker ticker, boolean succeeds) {
        ticker.advance(breaker.rejection(breaker.acquirePermit()).retryAfter().orElseThrow()).advanceNanos(1);
        do {
            long trial = breaker.acquirePermit();
            assertThat(Breaker.isTrial(trial)).as("a trial call after the wait").isTrue();
            if (succeeds) {
                breaker.recordSuccess(trial, 0);
            } else {
                breaker.recordFailure(trial, 0, new IOException("still down"));
            }
        } while (breaker.state() == CircuitState.HALF_OPEN);
    }

    /** Asks until a call is let through (a recovering breaker lets only its share through), then records it. */
    public static void admittedCall(Breaker breaker, boolean succeeds) {
        for (int i = 0; i < 1_000; i++) {
            long permit = breaker.acquirePermit();
            if (Breaker.isPermitted(permit)) {
                if (succeeds) {
                    breaker.recordSuccess(permit, 0);
                } else {
                    breaker.recordFailure(permit, 0, new IOException("down again"));
                }
                return;
            }
        }
        throw new AssertionError("No call let through in 1000 by " + breaker);
    }

    /** Opens {@code breaker} and passes its trial: it is recovering, at the ramp's first share. */
    public static void recovering(Breaker breaker, FakeTicker ticker) {
        open(breaker);
        trial(breaker, ticker, true);
        assertThat(breaker.state()).isEqualTo(CircuitState.RECOVERING);
    }
}
