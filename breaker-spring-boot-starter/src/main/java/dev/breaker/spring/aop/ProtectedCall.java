package dev.breaker.spring.aop;

import dev.breaker.Breaker;
import dev.breaker.CallNotPermittedException;
import dev.breaker.CallTimeoutException;
import dev.breaker.ErrorClassification;
import dev.breaker.TimeLimit;
import dev.breaker.Priority;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import java.lang.reflect.Method;
import java.time.Duration;

/**
 * One protected method, resolved once: its breaker, its fallback, its call timer and its annotation's timeout, and
 * the steps with which a {@link CallAdapter} makes each call of it. Shared by all calls of the method and
 * thread-safe; what belongs to one call (its permit and start time) stays with the adapter.
 *
 * <p>The protocol, per call: {@link #acquire()} (or {@link #acquire(Priority)} with a priority the call carries);
 * if the result is not {@linkplain #isPermitted permitted}, answer
 * with {@link #rejected}. Otherwise {@link #startTimer()}, make the call, and end it with exactly one of
 * {@link #succeeded}, {@link #failed} (then {@link #fallBack} if it returned true) or {@link #release} (the call
 * was cancelled, or its outcome is unknown). Ending a permit twice corrupts the breaker's counts; never ending it
 * holds a half-open breaker's trial permit forever.
 *
 * <p>Timeouts: {@link #timeoutNanos()} says, per call, how long it may take (0: no limit). With a limit, start the
 * call with {@link #startTimer(long)}; a call that outlives it ends with {@link #timedOut} (then {@link #fallBack}
 * if it returned true) instead of the outcome it may still have. Blocking calls may be interrupted
 * ({@link #interruptAfter}); asynchronous ones are cancelled by the adapter, on one shared scheduler.
 */
public final class ProtectedCall implements CallOutcomes {

    private final Method method;
    private final Breaker breaker;
    private final @Nullable FallbackMethod fallback;
    private final @Nullable CallTimer timer;
    private final boolean alwaysTime;
    /** The annotation's timeout, which applies while the breaker has none of its own; 0 for none. */
    private final long annotatedTimeoutNanos;
    private final @Nullable Priority priority;

    ProtectedCall(Method method, Breaker breaker, @Nullable FallbackMethod fallback, @Nullable CallTimer timer) {
        this(method, breaker, fallback, timer, 0, null);
    }

    /**
     * @param annotatedTimeoutNanos the annotation's timeout, 0 for none
     * @param priority the priority of the method's calls, or {@code null} for the breaker's default
     */
    ProtectedCall(Method method, Breaker breaker, @Nullable FallbackMethod fallback, @Nullable CallTimer timer,
                  long annotatedTimeoutNanos, @Nullable Priority priority) {
        this.method = method;
        this.breaker = breaker;
        this.fallback = fallback;
        this.timer = timer;
        this.alwaysTime = timer != null;
        this.annotatedTimeoutNanos = annotatedTimeoutNanos;
        this.priority = priority;
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
        Priority given = priority;
        return given == null ? breaker.acquirePermit() : breaker.acquirePermit(given);
    }

    /**
     * Like {@link #acquire()}, for a call that carries {@code carried} (a priority from a reactive context), which
     * wins over the method's own; {@code null} for none.
     */
    public long acquire(@Nullable Priority carried) {
        Priority given = carried != null ? carried : priority;
        return given == null ? breaker.acquirePermit() : breaker.acquirePermit(given);
    }

    /** The priority of the method's calls (its annotation's), or {@code null} for the breaker's default. */
    public @Nullable Priority priority() {
        return priority;
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

    /**
     * The time a call may take now, in nanoseconds: the breaker's timeout if it has one (the adaptive one as of now),
     * else the annotation's; 0 for no limit. Read once per call.
     */
    public long timeoutNanos() {
        long limit = breaker.timeoutNanos();
        return limit != 0 ? limit : annotatedTimeoutNanos;
    }

    /** A start time for a call that may take {@code timeoutNanos} (0: no limit): with a limit, reads the clock. */
    @Override
    public long startTimer(long timeoutNanos) {
        return breaker.startTimer(alwaysTime || timeoutNanos > 0);
    }

    /**
     * Arms the interruption of the calling thread when {@code timeoutNanos} pass, if the breaker's configuration
     * asks for it ({@code timeout-interrupt}). Whoever arms it must {@link TimeLimit.Interruption#end() end} it when
     * the call returns, before anything else: that disarms it, or clears the interrupt it made.
     *
     * @return the armed interruption, or {@code null} when blocking calls are not interrupted
     */
    public TimeLimit.@Nullable Interruption interruptAfter(long timeoutNanos) {
        return breaker.config().timeoutInterrupt() ? TimeLimit.interruptAfter(timeoutNanos) : null;
    }

    /** Whether the call started at {@code start} has taken longer than {@code timeoutNanos}. */
    public boolean outlived(long start, long timeoutNanos) {
        return breaker.elapsedNanos(start) > timeoutNanos;
    }

    /** The error of a call that took longer than {@code timeoutNanos}, naming the breaker and the limit. */
    @Override
    public CallTimeoutException timeoutOf(long timeoutNanos) {
        return new CallTimeoutException(breaker.name(), Duration.ofNanos(timeoutNanos));
    }

    /**
     * Records that the call admitted with {@code permit} and started at {@code start} took longer than its
     * timeout: a failure with {@code timeout}, whatever the configuration records or ignores.
     *
     * @return whether the fallback answers the call: it takes the {@link CallTimeoutException}
     */
    @Override
    public boolean timedOut(long permit, long start, CallTimeoutException timeout) {
        long elapsed = breaker.elapsedNanos(start);
        breaker.recordTimeout(permit, elapsed, timeout);
        if (timer != null) {
            timer.record(elapsed, false);
        }
        return fallback != null && fallback.handles(timeout);
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
