package dev.breaker.redis;

import java.util.LinkedHashMap;
import java.util.Map;

/** Logs a warning about a subject at most once per {@link #INTERVAL_NANOS}, so that bad data never floods the log. */
final class Warnings {

    private static final long INTERVAL_NANOS = 600_000_000_000L;
    private static final int MAX_SUBJECTS = 1000;

    private final System.Logger logger;
    private final Map<String, Long> lastWarned = new LinkedHashMap<>();

    Warnings(System.Logger logger) {
        this.logger = logger;
    }

    /** Logs {@code message} at WARN unless a warning about {@code subject} was logged within ten minutes. */
    synchronized void warn(String subject, String message) {
        long now = System.nanoTime();
        Long last = lastWarned.get(subject);
        if (last != null && now - last < INTERVAL_NANOS) {
            return;
        }
        if (lastWarned.size() >= MAX_SUBJECTS) {
            lastWarned.clear();
        }
        lastWarned.put(subject, now);
        logger.log(System.Logger.Level.WARNING, message);
    }
}
