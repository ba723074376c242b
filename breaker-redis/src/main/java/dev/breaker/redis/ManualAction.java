package dev.breaker.redis;

import dev.breaker.Breaker;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;

/** The manual actions that can apply to a breaker on every instance of the cluster. */
public enum ManualAction {
    /** {@link Breaker#reset()}: closed with an empty window; ends a cluster-wide outage. */
    RESET("reset", Breaker::reset),
    /** {@link Breaker#forceOpen()}. */
    FORCE_OPEN("force-open", Breaker::forceOpen),
    /** {@link Breaker#disable()}. */
    DISABLE("disable", Breaker::disable),
    /** {@link Breaker#close()}: ends a cluster-wide outage. */
    CLOSE("close", Breaker::close);

    private final String id;
    private final Consumer<Breaker> apply;

    ManualAction(String id, Consumer<Breaker> apply) {
        this.id = id;
        this.apply = apply;
    }

    /** Its name in URLs and messages: {@code reset}, {@code force-open}, {@code disable}, {@code close}. */
    public String id() {
        return id;
    }

    /** Applies it to {@code breaker}, on this instance. */
    public void applyTo(Breaker breaker) {
        apply.accept(breaker);
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
