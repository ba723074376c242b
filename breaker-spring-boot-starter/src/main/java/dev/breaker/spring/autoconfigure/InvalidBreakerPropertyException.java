package dev.breaker.spring.autoconfigure;

import org.jspecify.annotations.Nullable;

/** A {@code breaker.*} property whose value breaks a rule; stops the application at startup. */
public final class InvalidBreakerPropertyException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String property;
    private final transient @Nullable Object value;
    private final String reason;
    private final String action;

    InvalidBreakerPropertyException(String property, @Nullable Object value, String reason, String action) {
        super(property + " is '" + value + "', but it " + reason + ". " + action);
        this.property = property;
        this.value = value;
        this.reason = reason;
        this.action = action;
    }

    /** The full property key, for example {@code breaker.instances.inventory.failure-rate-threshold}. */
    public String property() {
        return property;
    }

    /** The rejected value. */
    public @Nullable Object value() {
        return value;
    }

    /** The rule it breaks, for example {@code must be in (0, 100]}. */
    public String reason() {
        return reason;
    }

    /** How to fix it. */
    public String action() {
        return action;
    }
}
