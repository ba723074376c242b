package dev.breaker.spring.http;

import org.jspecify.annotations.Nullable;

import java.util.Locale;

/**
 * The names of the breakers of an HTTP client's hosts, from a pattern with one {@value #HOST} placeholder:
 * {@code http:{host}} names the breaker of {@code api.example.com} {@code http:api.example.com}.
 */
public final class HostBreakerNames {

    /** The placeholder the host replaces. */
    public static final String HOST = "{host}";

    private final String prefix;
    private final String suffix;

    private HostBreakerNames(String prefix, String suffix) {
        this.prefix = prefix;
        this.suffix = suffix;
    }

    /**
     * The names made by {@code pattern}.
     *
     * @throws IllegalArgumentException if the pattern does not contain {@value #HOST} exactly once
     */
    public static HostBreakerNames of(String pattern) {
        int at = pattern.indexOf(HOST);
        if (at < 0 || pattern.indexOf(HOST, at + 1) >= 0) {
            throw new IllegalArgumentException("A breaker name pattern must contain " + HOST + " once, was '"
                    + pattern + "'");
        }
        return new HostBreakerNames(pattern.substring(0, at), pattern.substring(at + HOST.length()));
    }

    /** The name of the breaker of {@code host} (compared without case, so given in lower case). */
    public String nameFor(String host) {
        return prefix + host.toLowerCase(Locale.ROOT) + suffix;
    }

    /** The host whose breaker is called {@code name}, or {@code null} if the pattern does not make that name. */
    public @Nullable String hostOf(String name) {
        if (name.length() <= prefix.length() + suffix.length() || !name.startsWith(prefix) || !name.endsWith(suffix)) {
            return null;
        }
        return name.substring(prefix.length(), name.length() - suffix.length());
    }
}
