package dev.breaker.spring.autoconfigure;

import dev.breaker.BreakerConfig;

import java.util.function.Consumer;

/**
 * Adjusts a breaker's configuration after the {@code breaker.*} properties are applied and before it is built.
 * Declare beans of this type; all of them are applied, in order, to every breaker the starter configures.
 */
@FunctionalInterface
public interface BreakerConfigCustomizer {

    /** Adjusts {@code builder} for the breaker called {@code breakerName}. */
    void customize(String breakerName, BreakerConfig.Builder builder);

    /** A customizer for the breaker called {@code breakerName} only. */
    static BreakerConfigCustomizer forBreaker(String breakerName, Consumer<BreakerConfig.Builder> customizer) {
        return (name, builder) -> {
            if (name.equals(breakerName)) {
                customizer.accept(builder);
            }
        };
    }
}
