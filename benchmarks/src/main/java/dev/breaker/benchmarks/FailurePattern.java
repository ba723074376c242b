package dev.breaker.benchmarks;

import java.util.function.Supplier;

/**
 * The protected call of the failure scenarios, per benchmark thread: {@code p} of every 100 calls throw
 * {@link Calls#FAILURE}, spread evenly (call {@code i} of a period fails when {@code floor(p * (i + 1) / 100)}
 * passes {@code floor(p * i / 100)}; at 10 %, every tenth call). Any 100 calls in a row of one thread hold exactly
 * {@code p} failures and its first {@code k} calls at most {@code p * k / 100}, so a sliding window fed by one
 * thread never reaches the 50 % threshold. The JMH states below choose {@code p}.
 */
abstract class FailurePattern {

    private static final int PERIOD = 100;

    public String payload = "value";

    /** Returns {@link #payload}, or throws {@link Calls#FAILURE} as the pattern says. */
    public final Supplier<String> failing = this::valueOrFailure;

    private final boolean[] fails = new boolean[PERIOD];
    private int position;

    void fill(int failurePercent) {
        Fixtures.require(failurePercent >= 0 && failurePercent < Fixtures.FAILURE_RATE_PERCENT,
                "failurePercent must be in [0, " + Fixtures.FAILURE_RATE_PERCENT + "), was " + failurePercent);
        for (int i = 0; i < PERIOD; i++) {
            fails[i] = failurePercent * (i + 1) / PERIOD > failurePercent * i / PERIOD;
        }
        position = 0;
    }

    private String valueOrFailure() {
        int at = position;
        position = at == PERIOD - 1 ? 0 : at + 1;
        if (fails[at]) {
            throw Calls.FAILURE;
        }
        return payload;
    }
}
