package dev.breaker;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by {@link BreakerConfig.Builder#build()} for an option whose value breaks a rule. The message names the
 * option, the rule and the value, for example {@code failureRateThreshold must be in (0, 100], was 150.0}.
 */
public final class InvalidConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String option;
    private final String rule;
    private final transient @Nullable Object value;

    InvalidConfigException(String option, String rule, @Nullable Object value) {
        super(option + " " + rule + ", was " + value);
        this.option = option;
        this.rule = rule;
        this.value = value;
    }

    /** The builder option, for example {@code failureRateThreshold}. */
    public String option() {
        return option;
    }

    /** The rule the value breaks, for example {@code must be in (0, 100]}. */
    public String rule() {
        return rule;
    }

    /** The rejected value. */
    public @Nullable Object value() {
        return value;
    }
}
