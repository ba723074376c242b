package dev.breaker.sample.downstream;

import org.jspecify.annotations.Nullable;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** A downstream service of the storefront, as named in {@code /chaos/{dependency}}. */
public enum Dependency {

    INVENTORY, PRICING, REVIEWS, PAYMENTS;

    /** The name in paths and JSON: {@code inventory}, {@code pricing}, {@code reviews}, {@code payments}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The dependency called {@code id}, or {@code null}. */
    static @Nullable Dependency of(String id) {
        return Arrays.stream(values()).filter(dependency -> dependency.id().equals(id)).findFirst().orElse(null);
    }

    static String ids() {
        return Arrays.stream(values()).map(Dependency::id).collect(Collectors.joining(", "));
    }
}
