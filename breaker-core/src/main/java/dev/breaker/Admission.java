package dev.breaker;

import dev.breaker.internal.ConcurrencyLimiter;
import dev.breaker.internal.RateLimiter;
import org.jspecify.annotations.Nullable;

/**
 * The checks a call passes before the breaker's own state, in order: the rate limit, the concurrency limit, the
 * dependencies' breakers. What a check took is given back when a later one (or the state) rejects the call, so
 * nothing leaks. Exists only for breakers configured with one of them: others pay nothing.
 */
final class Admission {

    private final @Nullable RateLimiter rate;
    private final @Nullable ConcurrencyLimiter concurrency;
    /** Every breaker this one depends on, directly or not, each once. */
    private final Breaker[] dependencies;
    private final boolean reservesCapacity;

    private Admission(BreakerConfig config, Breaker[] dependencies, @Nullable Admission previous) {
        double reserved = config.reservedForCriticalPercent() / 100.0;
        RateLimiter keptRate = previous == null ? null : previous.rate;
        ConcurrencyLimiter keptConcurrency = previous == null ? null : previous.concurrency;
        if (config.maxCallsPerSecond() <= 0) {
            this.rate = null;
        } else if (keptRate != null) {
            keptRate.setRate(config.maxCallsPerSecond(), config.rateLimitBurst(), reserved);
            this.rate = keptRate;
        } else {
            this.rate = new RateLimiter(config.maxCallsPerSecond(), config.rateLimitBurst(), reserved);
        }
        if (config.maxConcurrentCalls() <= 0) {
            this.concurrency = null;
        } else if (keptConcurrency != null) {
            keptConcurrency.setLimit(config.maxConcurrentCalls(), reserved);
            this.concurrency = keptConcurrency;
        } else {
            this.concurrency = new ConcurrencyLimiter(config.maxConcurrentCalls(), reserved);
        }
        this.dependencies = dependencies;
        this.reservesCapacity = reserved > 0;
    }

    /**
     * The admission control {@code config} asks for, or {@code null} when it asks for none. The limiters of
     * {@code previous} (the admission of the configuration being replaced) carry over, retuned, so that the calls
     * in flight give their slots back where they took them.
     */
    static @Nullable Admission of(BreakerConfig config, Breaker[] dependencies, @Nullable Admission previous) {
        return config.hasAdmissionControl() ? new Admission(config, dependencies, previous) : null;
    }

    /**
     * Passes the call through the checks and then asks {@code current} for a permit.
     *
     * @return a permit (flagged {@link State#SLOT} when it holds a concurrency slot), or a rejection token
     */
    long acquire(Breaker breaker, State current, boolean tracked, @Nullable Priority priority) {
        boolean sheddable = reservesCapacity && breaker.priorityOf(priority).isSheddable();
        boolean token = rate != null;
        if (token && !rate.tryAcquire(breaker.ticker().readCoarse(), sheddable)) {
            return breaker.reject(current, RejectionReason.RATE_LIMIT, 0, priority);
        }
        boolean slot = tracked && concurrency != null;
        if (slot && !concurrency.tryAcquire(sheddable)) {
            giveBack(token, false);
            return breaker.reject(current, RejectionReason.CONCURRENCY_LIMIT, 0, priority);
        }
        for (int i = 0; i < dependencies.length; i++) {
            if (dependencies[i].blocksDependents()) {
                giveBack(token, slot);
                return breaker.reject(current, RejectionReason.DEPENDENCY_OPEN, i, priority);
            }
        }
        long permit = current.acquire(breaker, tracked, priority);
        if (permit < 0) {
            giveBack(token, slot);
            return permit;
        }
        return slot ? permit | State.SLOT : permit;
    }

    private void giveBack(boolean token, boolean slot) {
        if (token) {
            rate.refund();
        }
        if (slot) {
            concurrency.release();
        }
    }

    /** Gives back the concurrency slot of a permit flagged {@link State#SLOT}. */
    void releaseSlot() {
        if (concurrency != null) {
            concurrency.release();
        }
    }

    /** The dependencies, each once. */
    Breaker[] dependencies() {
        return dependencies;
    }

    /** The first dependency that blocks calls now, or {@code null}. */
    @Nullable Breaker blockingDependency() {
        for (Breaker dependency : dependencies) {
            if (dependency.blocksDependents()) {
                return dependency;
            }
        }
        return null;
    }

    /** When a call rejected for {@code reason} (with {@code detail}) may be tried again. */
    @Nullable RetryAfter retryAfter(RejectionReason reason, int detail, Ticker ticker) {
        return switch (reason) {
            case DEPENDENCY_OPEN -> dependencies[detail]::retryAfterNanos;
            case RATE_LIMIT -> () -> rate.nanosUntilNextToken(ticker.readCoarse());
            case CONCURRENCY_LIMIT -> RetryAfter.NOW;
            default -> null;
        };
    }

    /** The calls in flight now, or -1 without a concurrency limit. */
    int inFlight() {
        return concurrency == null ? -1 : concurrency.inFlight();
    }
}
