package dev.breaker.spring.alerts;

import dev.breaker.CircuitState;
import dev.breaker.TransitionReason;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * A breaker's state transition with what explains it: the rates of the window that decided it against their
 * thresholds, and a sentence for people, such as {@code "Opened: slow-call rate 80 % ≥ 50 %"}.
 *
 * @param breaker the breaker's name
 * @param at when it happened
 * @param from the state before
 * @param to the state after
 * @param reason why
 * @param failureRate the failure rate in percent of the window that decided it, null when not known or not computed
 * @param slowCallRate the slow-call rate in percent of that window, null when not known or not computed
 * @param failureRateThreshold the failure-rate threshold in percent then in force
 * @param slowCallRateThreshold the slow-call-rate threshold in percent then in force
 * @param consecutiveFailures the failures in a row when the consecutive-failures threshold opened it, else 0
 * @param summary the transition in a sentence
 */
public record Transition(String breaker, Instant at, CircuitState from, CircuitState to, TransitionReason reason,
                         @Nullable Float failureRate, @Nullable Float slowCallRate, float failureRateThreshold,
                         float slowCallRateThreshold, int consecutiveFailures, String summary) {
}
