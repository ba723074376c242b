package dev.breaker.spring.priority;

import dev.breaker.Breaker;
import dev.breaker.Level;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Breakers that shed sheddable calls while they warn, for tests of where a call's priority comes from: configured with
 * windows of 4 calls, escalation and {@code shed-on-warning}, a breaker rejects a call of priority SHEDDABLE with
 * reason PRIORITY once {@link #warn} has run, and lets any other through.
 */
public final class WarningBreakers {

    private WarningBreakers() {
    }

    /** One failure in four calls: a quarter, half the 50 % threshold, is the WARNING level. */
    public static void warn(Breaker breaker) {
        for (int i = 0; i < 3; i++) {
            breaker.recordSuccess(breaker.acquirePermit(), 0);
        }
        breaker.recordFailure(breaker.acquirePermit(), 0, new IOException("down"));
        assertThat(breaker.level()).isEqualTo(Level.WARNING);
    }
}
