package dev.breaker.redis;

import dev.breaker.Breaker;
import dev.breaker.CircuitState;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;

/** The manual actions that can apply to a breaker on every instance of the cluster. */
public enum ManualAction {
    /** {@link Breaker#reset()}: closed with an empty window; ends a cluster-wide outage. */
    RESET("reset", Breaker::reset, CircuitState.CLOSED),
    /** {@link Breaker#forceOpen()}. */
    FORCE_OPEN("force-open", Breaker::forceOpen, CircuitState.FORCED_OPEN),
    /** {@link Breaker#disable()}. */
    DISABLE("disable", Breaker::disable, CircuitState.DISABLED),
    /** {@link Breaker#close()}: ends a cluster-wide outage. */
    CLOSE("close", Breaker::close, CircuitState.CLOSED);

    private final String id;
    private final Consumer<Breaker> apply;
    private final CircuitState leaves;

    ManualAction(String id, Consumer<Breaker> apply, CircuitState leaves) {
        this.id = id;
        this.apply = apply;
        this.leaves = leaves;
    }

    /** Its name in URLs and messages: {@code reset}, {@code force-open}, {@code disable}, {@code close}. */
    public String id() {
        return id;
    }

    /** Applies it to {@code breaker}, on this instance. */
    public void applyTo(Breaker breaker) {
        apply.accept(breaker);
    }

    /** Applies it again to {@code breaker} if something moved it since, out of the state the action left it in. */
    void reapplyIfUndone(Breaker breaker) {
        if (breaker.state() != leaves) {
            applyTo(breaker);
        }
    }

    /** Whether it ends an outage, so that the cluster forgets its announcement and probe lease. */
    boolean endsOutage() {
        return this == RESET || this == CLOSE || this == DISABLE;
    }

    /** The action called {@code id}. */
    public static Optional<ManualAction> of(String id) {
        return Arrays.stream(values()).filter(action -> action.id.equals(id)).findFirst();
    }
}
