package dev.breaker.spring.priority;

import dev.breaker.Priority;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import java.util.Locale;
import java.util.Objects;

/**
 * The request header that carries a call's priority ({@code Breaker-Priority: sheddable}), and who may use it for
 * what. By default a request may only lower its priority, to {@code sheddable-plus} or {@code sheddable}: a value
 * that would raise it ({@code critical-plus}, or {@code critical} for a breaker whose default is lower) is ignored
 * unless raising is allowed, which is for services every request reaches through a gateway that sets or removes
 * the header. A value that names no priority is ignored. Ignored values are logged at DEBUG, never answered with an
 * error.
 */
public final class PriorityHeader {

    private static final Log LOGGER = LogFactory.getLog(PriorityHeader.class);
    /** The longest part of an ignored value that is logged. */
    private static final int LOGGED_LENGTH = 40;

    private final String name;
    private final boolean allowRaise;

    /**
     * @param name the header's name, such as {@code Breaker-Priority}
     * @param allowRaise whether a request may name {@code critical-plus} and {@code critical}
     */
    public PriorityHeader(String name, boolean allowRaise) {
        this.name = Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("breaker.priority.header must name a header, was blank");
        }
        this.allowRaise = allowRaise;
    }

    /** The header's name. */
    public String name() {
        return name;
    }

    /**
     * The priority a request's header value gives its calls, or {@code null} when it gives none: absent, naming no
     * priority, or raising it without being allowed to.
     */
    public @Nullable Priority priorityOf(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Priority priority = parse(value);
        if (priority == null) {
            if (LOGGER.isDebugEnabled()) {
                LOGGER.debug("Ignoring " + name + " '" + printable(value)
                        + "': it names no priority (critical-plus, critical, sheddable-plus or sheddable)");
            }
            return null;
        }
        if (!priority.isSheddable() && !allowRaise) {
            if (LOGGER.isDebugEnabled()) {
                LOGGER.debug("Ignoring " + name + " '" + printable(value)
                        + "': a request may only lower its priority unless breaker.priority.allow-raise is true");
            }
            return null;
        }
        return priority;
    }

    /** The header value of {@code priority}: {@code sheddable-plus}. */
    public static String valueOf(Priority priority) {
        return priority.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static @Nullable Priority parse(String value) {
        String normalized = value.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Priority priority : Priority.values()) {
            if (valueOf(priority).equals(normalized)) {
                return priority;
            }
        }
        return null;
    }

    /** The start of {@code value}, without control characters, for a log line a request cannot forge. */
    private static String printable(String value) {
        String start = value.length() > LOGGED_LENGTH ? value.substring(0, LOGGED_LENGTH) + "..." : value;
        StringBuilder printable = new StringBuilder(start.length());
        start.codePoints().forEach(c -> printable.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return printable.toString();
    }
}
