package dev.breaker;

import dev.breaker.internal.Window;
import org.jspecify.annotations.Nullable;

/** A state set by hand that only a hand leaves: {@link CircuitState#FORCED_OPEN} or {@link CircuitState#DISABLED}. */
final class ManualState extends State {

    ManualState(CircuitState kind, long generation, long enteredAt, long notPermittedAtEntry, int escalations) {
        super(kind, generation, enteredAt, notPermittedAtEntry, escalations, kind == CircuitState.DISABLED);
    }

    @Override
    long acquire(Breaker breaker, boolean tracked, @Nullable Priority priority) {
        return kind == CircuitState.DISABLED ? permit : breaker.reject(this, RejectionReason.FORCED_OPEN, 0, priority);
    }

    @Override
    void record(Breaker breaker, int outcome, long durationNanos) {
        // Nothing is evaluated until the breaker is closed or reset.
    }

    @Override
    @Nullable Window window() {
        return null;
    }

    @Override
    RetryAfter retryAfter(Ticker ticker) {
        return kind == CircuitState.DISABLED ? RetryAfter.NOW : RetryAfter.NOT_BY_ITSELF;
    }
}
