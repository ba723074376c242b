package dev.breaker.spring.http;

import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/** The response statuses recorded as failures: codes such as {@code 429} and classes such as {@code 5xx}. */
public final class FailureStatuses {

    private static final String CLASS = "[1-5]xx";
    private static final String CODE = "[1-5][0-9][0-9]";

    private final BitSet failures;

    private FailureStatuses(BitSet failures) {
        this.failures = failures;
    }

    /**
     * The statuses listed in {@code entries}.
     *
     * @throws IllegalArgumentException for an entry that is not {@linkplain #isValid valid}
     */
    public static FailureStatuses of(List<String> entries) {
        BitSet failures = new BitSet(600);
        for (String given : entries) {
            String entry = normalized(given);
            if (entry.matches(CLASS)) {
                int first = (entry.charAt(0) - '0') * 100;
                failures.set(first, first + 100);
            } else if (entry.matches(CODE)) {
                failures.set(Integer.parseInt(entry));
            } else {
                throw new IllegalArgumentException("'" + given + "' is neither a status code from 100 to 599 nor a "
                        + "class from 1xx to 5xx");
            }
        }
        return new FailureStatuses(failures);
    }

    /** Whether {@code entry} is a status code from 100 to 599, or a class from 1xx to 5xx. */
    public static boolean isValid(String entry) {
        String normalized = normalized(entry);
        return normalized.matches(CLASS) || normalized.matches(CODE);
    }

    private static String normalized(String entry) {
        return entry.trim().toLowerCase(Locale.ROOT);
    }

    /** Whether a response with {@code status} is a failure. */
    public boolean isFailure(int status) {
        return status >= 0 && failures.get(status);
    }
}
