package dev.breaker;

import org.jspecify.annotations.Nullable;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * How important a call is, as Google's production systems grade criticality: the least important traffic is shed
 * first. A call's priority comes, highest first, from an explicit scope ({@link #run}, {@link #call},
 * {@link #get}), then from the integration (an annotation, a request header), then from the breaker's default
 * ({@link BreakerConfig#defaultPriority()}, {@link #CRITICAL} unless configured).
 *
 * <p>Breakers read a call's priority only where it decides something (a recovery ramp, shedding while warning, an
 * emergency trial, a reserved share of a limit), and only once some code has used a scope or an explicit priority:
 * until then no thread-local is read on any path.
 */
public enum Priority {
    /** Must not fail: served first, the last to be shed. */
    CRITICAL_PLUS(0.5),
    /** The default: production traffic a user waits for. */
    CRITICAL(1),
    /** Can fail occasionally: retried or degraded gracefully. */
    SHEDDABLE_PLUS(2),
    /** Can fail often: batch work, prefetches, recommendations. */
    SHEDDABLE(3);

    private static final ThreadLocal<@Nullable Priority> SCOPE = new ThreadLocal<>();
    private static volatile boolean inUse;

    private final double rampExponent;

    Priority(double rampExponent) {
        this.rampExponent = rampExponent;
    }

    /** While recovering with share {@code f}, this priority is admitted with share {@code f ^ rampExponent}. */
    double rampExponent() {
        return rampExponent;
    }

    /** Whether this priority is one of the two sheddable ones, which reserved capacity is kept from. */
    public boolean isSheddable() {
        return this == SHEDDABLE_PLUS || this == SHEDDABLE;
    }

    /** Runs {@code action} with calls on this thread made at {@code priority}, then restores the previous scope. */
    public static void run(Priority priority, Runnable action) {
        Priority previous = enter(priority);
        try {
            action.run();
        } finally {
            SCOPE.set(previous);
        }
    }

    /** Like {@link #run}, returning the supplier's value. */
    public static <T> T get(Priority priority, Supplier<T> supplier) {
        Priority previous = enter(priority);
        try {
            return supplier.get();
        } finally {
            SCOPE.set(previous);
        }
    }

    /** Like {@link #run}, returning the callable's value. */
    public static <T> T call(Priority priority, Callable<T> callable) throws Exception {
        Priority previous = enter(priority);
        try {
            return callable.call();
        } finally {
            SCOPE.set(previous);
        }
    }

    private static @Nullable Priority enter(Priority priority) {
        Objects.requireNonNull(priority, "priority");
        markInUse();
        Priority previous = SCOPE.get();
        SCOPE.set(priority);
        return previous;
    }

    /** The priority of the scope the calling thread is in, or {@code null} outside any scope. */
    public static @Nullable Priority current() {
        return inUse ? SCOPE.get() : null;
    }

    /**
     * Tells breakers that calls carry priorities from now on (scopes do so themselves). Integrations that pass an
     * explicit priority call it once when they learn that they will.
     */
    public static void markInUse() {
        if (!inUse) {
            inUse = true;
        }
    }

    /** Whether any code has used priorities yet; until then breakers never look for one. */
    public static boolean inUse() {
        return inUse;
    }
}
