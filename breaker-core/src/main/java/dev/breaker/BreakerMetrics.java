package dev.breaker;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A breaker's figures at one moment: immutable, taken by {@link Breaker#metrics()}.
 *
 * <p>The window figures describe the window the current state reports: the closed window while closed, the window
 * that opened the breaker while open, the trial calls while half-open, the ramp's calls while recovering, nothing
 * while forced open or disabled.
 *
 * @param state the state
 * @param failureRate the failure rate in percent over the window, or -1 while it holds fewer than the minimum calls
 * @param slowCallRate the slow-call rate in percent over the window, or -1 while it holds fewer than the minimum
 *     calls
 * @param bufferedCalls the calls in the window
 * @param failedCalls the failed calls in the window
 * @param slowCalls the slow calls in the window, failed or not
 * @param successfulCalls the calls in the window that did not fail
 * @param notPermittedCalls the calls rejected since the breaker entered its current state
 * @param totalSuccesses the successful calls since the breaker was created
 * @param totalFailures the failed calls since the breaker was created
 * @param totalIgnored the calls whose error was ignored since the breaker was created
 * @param totalNotPermitted the rejected calls since the breaker was created
 * @param totalCalls every call answered since the breaker was created: the four totals above together
 * @param totalSlowCalls the slow calls, failed or not, since the breaker was created
 * @param consecutiveFailures the failures in a row while closed
 * @param lastFailureTime when the last failure was recorded, or {@code null}
 * @param lastSuccessTime when the last success was recorded, or {@code null}
 * @param lastStateChangeTime when the breaker last changed state, or {@code null} if it never did
 * @param stateTransitions how many times the breaker changed state
 * @param timeInState how long the breaker has been in its current state
 * @param level the breaker's level
 * @param admittedSharePercent the share of calls the breaker lets through now, in percent: 100 while closed or
 *     disabled, the ramp's share while recovering, 0 otherwise (half-open trial calls aside)
 * @param rampRemaining the longest a gradual recovery may still take (time it holds its share aside); zero when not
 *     recovering
 * @param rampHeld whether a gradual recovery holds its share because its calls fail at half a threshold or more
 * @param escalations the escalation count: failed recoveries not yet decayed
 * @param notPermittedByReason the rejected calls since the breaker was created, by reason (reasons without any left
 *     out)
 * @param notPermittedByPriority the rejected calls by the priority they had, counted while priorities were in use
 * @param blockedBy the dependency whose breaker blocks this one's calls now, or {@code null}
 * @param callsInFlight the calls in flight through the breaker now, or -1 without a concurrency limit
 * @param timeout the time a call may take now (the adaptive limit as of now), or {@code null} without a timeout
 * @param throttleRejectPercent the share of calls adaptive throttling rejects now, in percent; NaN without it
 * @param baseline what the adaptive baseline has learned, or {@code null} without it
 */
public record BreakerMetrics(
        CircuitState state,
        float failureRate,
        float slowCallRate,
        long bufferedCalls,
        long failedCalls,
        long slowCalls,
        long successfulCalls,
        long notPermittedCalls,
        long totalSuccesses,
        long totalFailures,
        long totalIgnored,
        long totalNotPermitted,
        long totalCalls,
        long totalSlowCalls,
        int consecutiveFailures,
        @Nullable Instant lastFailureTime,
        @Nullable Instant lastSuccessTime,
        @Nullable Instant lastStateChangeTime,
        long stateTransitions,
        Duration timeInState,
        Level level,
        float admittedSharePercent,
        Duration rampRemaining,
        boolean rampHeld,
        int escalations,
        Map<RejectionReason, Long> notPermittedByReason,
        Map<Priority, Long> notPermittedByPriority,
        @Nullable String blockedBy,
        int callsInFlight,
        @Nullable Duration timeout,
        float throttleRejectPercent,
        @Nullable BaselineSnapshot baseline) {
}
