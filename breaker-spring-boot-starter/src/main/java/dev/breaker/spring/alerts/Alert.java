package dev.breaker.spring.alerts;

import java.time.Instant;

/**
 * Something an operator should know about a breaker.
 *
 * @param at when it happened
 * @param breaker the breaker's name
 * @param severity how serious it is
 * @param summary what happened, in a sentence: {@code "Opened: slow-call rate 80 % ≥ 50 %"}
 */
public record Alert(Instant at, String breaker, Severity severity, String summary) {

    /** How serious an alert is, most serious first. */
    public enum Severity {
        /** A prolonged outage or an emergency: the dependency has been failing for long, or recoveries keep failing. */
        CRITICAL,
        /** A breaker opened by itself: calls are being rejected. */
        HIGH,
        /** A recovery, or a change made by hand. */
        INFO
    }
}
