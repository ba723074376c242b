package dev.breaker.spring.aop;

import dev.breaker.CallTimeoutException;
import org.jspecify.annotations.Nullable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One subscription to a protected publisher, as one call: its permit, ended exactly once by whichever signal
 * settles it first. A Mono's value, or a Flux's completion, is a success; an error is recorded; a cancel after a
 * value is a success, before any value it gives the permit back. The signals of one subscription are serialized,
 * but a cancel may race them from another thread. With a timeout, the error the timeout signals is recorded as a
 * timeout (a failure whatever the configuration records). Shared by {@link ReactorCallAdapter} and the integrations that
 * protect publishers of their own.
 */
public final class SubscribedCall {

    private static final int PENDING = 0;
    private static final int EMITTED = 1;
    private static final int SETTLED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(SubscribedCall.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final CallOutcomes call;
    private final long permit;
    private final long start;
    /** A Mono's value is its result; a Flux's first value only makes a later cancel a success. */
    private final boolean valueSettles;
    /** The timeout, in nanoseconds; 0 for none. */
    private final long limit;
    /** {@link #PENDING}, {@link #EMITTED} or {@link #SETTLED}; updated through {@link #STATE}. */
    private volatile int state = PENDING;
    /** The error the timeout signalled, once it passed; told apart from the source's errors by identity. */
    private volatile @Nullable CallTimeoutException timedOut;

    /**
     * @param call records the outcome
     * @param permit the permit of this subscription
     * @param valueSettles true for a Mono, whose value is its outcome; false for a Flux
     */
    public SubscribedCall(CallOutcomes call, long permit, boolean valueSettles) {
        this(call, permit, valueSettles, 0);
    }

    /**
     * @param call records the outcome
     * @param permit the permit of this subscription
     * @param valueSettles true for a Mono, whose value is its outcome; false for a Flux
     * @param limit the timeout the subscriber applies, in nanoseconds, signalling {@link #timeout()}; 0 for none
     */
    public SubscribedCall(CallOutcomes call, long permit, boolean valueSettles, long limit) {
        this.call = call;
        this.permit = permit;
        this.valueSettles = valueSettles;
        this.limit = limit;
        this.start = call.startTimer(limit);
    }

    /** The error to signal when the timeout passes. */
    public CallTimeoutException timeout() {
        CallTimeoutException timeout = call.timeoutOf(limit);
        timedOut = timeout;
        return timeout;
    }

    /** A value was emitted. */
    public void next(Object value) {
        if (valueSettles) {
            if (settle() != SETTLED) {
                call.succeeded(permit, start, value);
            }
        } else if (state == PENDING) {
            STATE.compareAndSet(this, PENDING, EMITTED);
        }
    }

    /** The publisher completed. */
    public void complete() {
        if (settle() != SETTLED) {
            call.succeeded(permit, start, null);
        }
    }

    /** The subscriber cancelled. */
    public void cancel() {
        int before = settle();
        if (before == EMITTED) {
            call.succeeded(permit, start, null);
        } else if (before == PENDING) {
            call.release(permit);
        }
    }

    /**
     * Records {@code error} (the timeout's as a timeout) unless the call was settled already; whether a fallback
     * answers it.
     */
    public boolean fail(Throwable error) {
        if (settle() == SETTLED) {
            return false;
        }
        if (error == timedOut) {
            return call.timedOut(permit, start, (CallTimeoutException) error);
        }
        return call.failed(permit, start, error);
    }

    /** Settles the call; the state before, {@link #SETTLED} if another signal settled it first. */
    private int settle() {
        return (int) STATE.getAndSet(this, SETTLED);
    }
}
