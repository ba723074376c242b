package dev.breaker.spring.http;

import dev.breaker.Breaker;
import dev.breaker.spring.aop.BreakerCallOutcomes;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatusCode;

/**
 * The breaker of one host (or the overflow breaker shared by hosts beyond the cap), and how an exchange with it is
 * recorded: a response whose status is a failure status is a failure, any other response a success; an error (no
 * response: I/O, timeouts) is a failure unless the breaker's configuration ignores it.
 */
public final class HostBreaker extends BreakerCallOutcomes {

    private final FailureStatuses failureStatuses;
    private final boolean evictable;
    /** When a request last went to this host, from the {@link HostBreakers}' ticker. */
    private volatile long lastUsed;

    HostBreaker(Breaker breaker, FailureStatuses failureStatuses, boolean evictable, long now) {
        super(breaker);
        this.failureStatuses = failureStatuses;
        this.evictable = evictable;
        this.lastUsed = now;
    }

    boolean evictable() {
        return evictable;
    }

    long lastUsed() {
        return lastUsed;
    }

    void touch(long now) {
        lastUsed = now;
    }

    /** Asks for a permit; see {@link Breaker#acquirePermit()}. */
    public long acquire() {
        return breaker().acquirePermit();
    }

    /** @param result the response's {@link HttpStatusCode} */
    @Override
    public void succeeded(long permit, long start, @Nullable Object result) {
        Breaker breaker = breaker();
        long elapsed = breaker.elapsedNanos(start);
        if (result instanceof HttpStatusCode status && failureStatuses.isFailure(status.value())) {
            breaker.recordFailure(permit, elapsed, new HttpFailureStatusException(status, breaker.name()));
        } else {
            breaker.recordSuccess(permit, elapsed);
        }
    }
}
