package dev.breaker.spring.aop;

import dev.breaker.Breaker;
import dev.breaker.CallNotPermittedException;
import dev.breaker.ErrorClassification;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import java.lang.reflect.Method;

/**
 * One protected method, resolved once: its breaker, its fallback and its call timer, and the steps with which a
 * {@link CallAdapter} makes each call of it. Shared by all calls of the method and thread-safe; what belongs to one
 * call (its permit and start time) stays with the adapter.
 *
 * <p>The protocol, per call: {@link #acquire()}; if the result is not {@linkplain #isPermitted permitted}, answer
 * with {@link #rejected}. Otherwise {@link #startTimer()}, make the call, and end it with exactly one of
 * {@link #succeeded}, {@link #failed} (then {@link #fallBack} if it returned true) or {@link #release} (the call
 * was cancelled, or its outcome is unknown). Ending a permit twice corrupts the breaker's counts; never ending it
 * holds a half-open breaker's trial permit forever.
 */
public final class ProtectedCall implements CallOutcomes {

    private final Method method;
    private final Breaker breaker;
    private final @Nullable FallbackMethod fallback;
    private final @Nullable CallTimer timer;
    private final boolean alwaysTime;

    ProtectedCall(Method method, Breaker breaker, @Nullable FallbackMethod fallback, @Nullable CallTimer timer) {
        this.method = method;
        this.breaker = breaker;
        this.fallback = fallback;
        this.timer = timer;
        this.alwaysTime = timer != null;
    }

    /** The protected method. */
    public Method method() {
        return method;
    }

    /** The name of the breaker protecting it. */
    public String breakerName() {
        return breaker.name();
    }

    /** Whether the method declares a fallback, which may answer rejected and failed calls. */
    public boolean hasFallback() {
        return fallback != null;
    }

    /**
     * Asks the breaker for permission to make one call.
     *
     * @return a permit, to end with exactly one of {@link #succeeded}, {@link #failed} or {@link #release}; or a
     *     rejection token for {@link #rejected}. {@link #isPermitted} tells them apart.
     */
    public long acquire() {
        return breaker.acquirePermit();
    }

    /** Whether a value returned by {@link #acquire()} is a permit rather than a rejection token. */
    public static boolean isPermitted(long permitOrRejection) {
        return Breaker.isPermitted(permitOrRejection);
    }

    /**
     * A start time for the outcome of the call; reads the clock only when the breaker or the call timer needs
     * durations.
     */
    @Override
    public long startTimer() {
        return breaker.startTimer(alwaysTime);
    }

    /** Records the result of the call admitted with {@code permit} and started at {@code start}. */
    @Override
    public void succeeded(long permit, long start, @Nullable Object result) {
        long elapsed = breaker.elapsedNanos(start);
        breaker.recordResult(permit, elapsed, result);
        if (timer != null) {
            timer.record(elapsed, true);
        }
    }

    /**
     * Records {@code error} for the call admitted with {@code permit} and started at {@code start}.
     *
     * @return whether the fallback answers the call: the error is a recorded failure and the fallback takes it
     */
    @Override
    public boolean failed(long permit, long start, Throwable error) {
        long elapsed = breaker.elapsedNanos(start);
        ErrorClassification classification = breaker.recordFailure(permit, elapsed, error);
        if (timer != null) {
            timer.record(elapsed, classification != ErrorClassification.FAILURE);
        }
        return classification == ErrorClassification.FAILURE && fallback != null && fallback.handles(error);
    }

    /** Gives back {@code permit} unrecorded: the call was cancelled, or ended without an outcome of its own. */
    @Override
    public void release(long permit) {
        breaker.release(permit);
    }

    /**
     * Answers a call the breaker rejected with {@code rejection} (from {@link #acquire()}): from the fallback if it
     * takes the {@link CallNotPermittedException}, else by throwing it.
     */
    public @Nullable Object rejected(MethodInvocation invocation, long rejection) throws Throwable {
        CallNotPermittedException rejected = breaker.rejection(rejection);
        if (fallback != null && fallback.handles(rejected)) {
            return fallback.invoke(invocation.getThis(), invocation.getArguments(), rejected);
        }
        throw rejected;
    }

    /** Answers a call that failed with {@code error} from the fallback, which must {@linkplain #failed take it}. */
    public @Nullable Object fallBack(MethodInvocation invocation, Throwable error) throws Throwable {
        if (fallback == null) {
            throw error;
        }
        return fallback.invoke(invocation.getThis(), invocation.getArguments(), error);
    }

    @Override
    public String toString() {
        return "ProtectedCall{" + method + " by breaker '" + breaker.name() + "'}";
    }
}
