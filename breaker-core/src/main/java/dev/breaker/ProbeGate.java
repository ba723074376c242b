package dev.breaker;

/**
 * Decides whether this breaker may run the trial after its wait in open: with cluster coordination, only the
 * instance that holds the probe lease does, and the others stay open until it reports. Asked on the calling thread,
 * so an implementation answers from what it already knows and never blocks (no network round trip).
 */
@FunctionalInterface
public interface ProbeGate {

    /** Lets every breaker probe by itself: no coordination. */
    ProbeGate ALONE = (breaker, outageStartedAt) -> true;

    /**
     * Whether {@code breaker}, open and past its wait, may half-open now.
     *
     * @param outageStartedAt the ticker reading when the current outage began, which identifies it
     */
    boolean mayProbe(Breaker breaker, long outageStartedAt);
}
