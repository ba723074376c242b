package dev.breaker.benchmarks;

import com.alibaba.csp.sentinel.Entry;
import com.alibaba.csp.sentinel.SphU;
import com.alibaba.csp.sentinel.Tracer;
import com.alibaba.csp.sentinel.slots.block.BlockException;
import dev.breaker.Breaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.jspecify.annotations.Nullable;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Each library's low-level protocol around the call, written the same way for all: ask for permission (answer
 * {@code null} if refused), call, record the outcome. Where a duration is recorded it is 0, unless the method is
 * {@code timed}, which reads {@link System#nanoTime()} before and after the call as slow-call detection needs.
 * The {@code failing} methods take the call, which may throw.
 */
final class Protocols {

    private Protocols() {
    }

    // Breaker

    static @Nullable String breaker(Breaker breaker, Calls call) {
        if (!breaker.tryAcquire()) {
            return null;
        }
        String value = call.succeeding.get();
        breaker.onSuccess(0);
        return value;
    }

    static @Nullable String breakerTimed(Breaker breaker, Calls call) {
        if (!breaker.tryAcquire()) {
            return null;
        }
        long start = System.nanoTime();
        String value = call.succeeding.get();
        breaker.onSuccess(System.nanoTime() - start);
        return value;
    }

    static @Nullable Object breakerFailing(Breaker breaker, Supplier<String> call) {
        if (!breaker.tryAcquire()) {
            return null;
        }
        try {
            String value = call.get();
            breaker.onSuccess(0);
            return value;
        } catch (RuntimeException e) {
            breaker.onFailure(0, e);
            return e;
        }
    }

    // Resilience4j

    static @Nullable String resilience4j(CircuitBreaker breaker, Calls call) {
        if (!breaker.tryAcquirePermission()) {
            return null;
        }
        String value = call.succeeding.get();
        breaker.onSuccess(0, TimeUnit.NANOSECONDS);
        return value;
    }

    static @Nullable String resilience4jTimed(CircuitBreaker breaker, Calls call) {
        if (!breaker.tryAcquirePermission()) {
            return null;
        }
        long start = System.nanoTime();
        String value = call.succeeding.get();
        breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return value;
    }

    static @Nullable Object resilience4jFailing(CircuitBreaker breaker, Supplier<String> call) {
        if (!breaker.tryAcquirePermission()) {
            return null;
        }
        try {
            String value = call.get();
            breaker.onSuccess(0, TimeUnit.NANOSECONDS);
            return value;
        } catch (RuntimeException e) {
            breaker.onError(0, TimeUnit.NANOSECONDS, e);
            return e;
        }
    }

    // Failsafe

    static @Nullable String failsafe(dev.failsafe.CircuitBreaker<Object> breaker, Calls call) {
        if (!breaker.tryAcquirePermit()) {
            return null;
        }
        String value = call.succeeding.get();
        breaker.recordSuccess();
        return value;
    }

    static @Nullable Object failsafeFailing(dev.failsafe.CircuitBreaker<Object> breaker,
                                                   Supplier<String> call) {
        if (!breaker.tryAcquirePermit()) {
            return null;
        }
        try {
            String value = call.get();
            breaker.recordSuccess();
            return value;
        } catch (RuntimeException e) {
            breaker.recordException(e);
            return e;
        }
    }

    // Sentinel: a refusal throws BlockException, which fails the benchmark (the closed scenarios expect none).

    static String sentinel(String resource, Calls call) throws BlockException {
        Entry entry = SphU.entry(resource);
        try {
            return call.succeeding.get();
        } finally {
            entry.exit();
        }
    }

    static Object sentinelFailing(String resource, Supplier<String> call) throws BlockException {
        Entry entry = SphU.entry(resource);
        try {
            return call.get();
        } catch (RuntimeException e) {
            Tracer.traceEntry(e, entry);
            return e;
        } finally {
            entry.exit();
        }
    }
}
