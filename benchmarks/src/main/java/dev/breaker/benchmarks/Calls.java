package dev.breaker.benchmarks;

import dev.failsafe.function.CheckedSupplier;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.function.Supplier;

/**
 * The protected call, per benchmark thread: a supplier that returns a field's value (which the JIT cannot fold
 * into a constant), and a variant whose every tenth call throws a preallocated exception (for {@link WindowSizes}
 * and the diagnostics; the failure scenarios vary the share with {@link FailingCalls}).
 */
@State(Scope.Thread)
public class Calls {

    /** One call in this many fails in {@link #failingEveryTenth}: 10 %, well below the 50 % threshold. */
    static final int FAILURE_EVERY = 10;

    /** The failure: preallocated and without a stack trace, so that throwing it costs the same everywhere. */
    static final RuntimeException FAILURE = new CallFailedException();

    public String payload = "value";
    private int untilFailure = FAILURE_EVERY;

    /** Returns {@link #payload}. */
    public final Supplier<String> succeeding = this::value;
    /** Returns {@link #payload}, but every tenth call throws {@link #FAILURE}. */
    public final Supplier<String> failingEveryTenth = this::valueOrFailure;
    /** {@link #succeeding} for Failsafe. */
    public final CheckedSupplier<String> succeedingChecked = this::value;

    String value() {
        return payload;
    }

    String valueOrFailure() {
        if (--untilFailure == 0) {
            untilFailure = FAILURE_EVERY;
            throw FAILURE;
        }
        return payload;
    }

    /** The exception the failing call throws. */
    static final class CallFailedException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        CallFailedException() {
            super("call failed", null, false, false);
        }
    }
}
