package dev.breaker.spring.reconfigure;

import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.stream.Collectors;

/** Breaker options refused at runtime, each with the rule it breaks; none of them was applied. */
public final class InvalidBreakerOptionsException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * One refused option.
     *
     * @param option the option as it was given (relative to its breaker, for an endpoint write), or {@code null}
     *     when the property was not given but broke a rule because of the others
     * @param property the full property key, for example {@code breaker.instances.inventory.minimum-calls}
     * @param value the refused value
     * @param reason the rule it breaks, for example {@code must be in (0, 100]}
     */
    public record Problem(@Nullable String option, String property, @Nullable String value, String reason) {

        @Override
        public String toString() {
            return property + " is '" + value + "', but it " + reason;
        }
    }

    private final transient List<Problem> problems;

    InvalidBreakerOptionsException(String what, List<Problem> problems) {
        super(what + ": " + problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    /** Every refused option: first those that cannot be read, then those that break a rule. */
    public List<Problem> problems() {
        return problems;
    }
}
