package dev.breaker.spring.dependencies;

/**
 * A breaker's dependencies cannot be resolved: a name that is no breaker, annotations of one breaker that disagree,
 * or breakers that depend on each other in a cycle. Stops the application at startup, naming the property key or
 * the annotated method.
 */
public final class InvalidBreakerDependencyException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String action;

    /**
     * @param message what is wrong, naming where each dependency was declared
     * @param action how to fix it
     */
    public InvalidBreakerDependencyException(String message, String action) {
        super(message);
        this.action = action;
    }

    /** How to fix it. */
    public String action() {
        return action;
    }
}
