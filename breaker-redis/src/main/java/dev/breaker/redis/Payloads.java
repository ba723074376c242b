package dev.breaker.redis;

import org.jspecify.annotations.Nullable;

/**
 * The text formats the instances exchange through Redis, version 1: pipe-separated fields, the format version first.
 * A payload that does not parse, or of a newer version, is refused with a {@link BadPayloadException} saying why;
 * the cluster ignores it with a warning.
 */
final class Payloads {

    /** The format these classes write and read. */
    static final String VERSION = "1";

    private Payloads() {
    }

    /**
     * A message on the cluster's channel.
     *
     * @param kind {@code open}, {@code lease}, {@code recovered} or {@code manual}
     * @param generation the outage it is about (0 for a manual action)
     * @param instance the instance that sent it
     * @param waitMs the wait in open of an opening, the lease time of a lease
     * @param detail the cause of an opening, the action of a manual action
     * @param breaker the breaker's name
     */
    record Message(String kind, long generation, String instance, long waitMs, String detail, String breaker) {
    }

    /**
     * An outage announced open, or a probe lease, as a key holds it.
     *
     * @param generation the outage
     * @param instance the instance that announced it, or holds the lease
     * @param detail the cause of an opening; empty for a lease
     */
    record Announcement(long generation, String instance, String detail) {
    }

    /**
     * An instance's report of one breaker.
     *
     * @param state its state's name
     * @param ownOutage whether it is open (or half-open) by its own thresholds
     * @param failed the failed calls in its window (reported for a quorum only)
     * @param slow the slow calls in its window (reported for a quorum only)
     */
    record Report(String state, boolean ownOutage, long failed, long slow) {

        /** Whether it may tip a quorum: a vote, or failed or slow calls in the window. */
        boolean signalsTrouble() {
            return ownOutage || failed > 0 || slow > 0;
        }
    }

    static Message message(String payload) {
        String[] f = fields(payload, 7);
        return new Message(f[1], number(f[2], payload), f[3], number(f[4], payload), f[5], f[6]);
    }

    static Announcement announcement(String value) {
        String[] f = value.split("\\|", -1);
        checkVersion(f[0], value);
        if (f.length < 3) {
            throw new BadPayloadException("has " + f.length + " fields where an announcement has at least 3", value);
        }
        return new Announcement(number(f[1], value), f[2], f.length > 3 ? f[3] : "");
    }

    static Report report(String value) {
        String[] f = fields(value, 6);
        return new Report(f[1], "1".equals(f[2]), number(f[4], value), number(f[5], value));
    }

    /** A report of {@code state}; the window totals count only for a quorum. */
    static String report(String state, boolean ownOutage, long buffered, long failed, long slow) {
        return VERSION + '|' + state + '|' + (ownOutage ? '1' : '0') + '|' + buffered + '|' + failed + '|' + slow;
    }

    /** The value of a probe lease. */
    static String lease(long generation, String instance) {
        return VERSION + '|' + generation + '|' + instance;
    }

    private static String[] fields(String payload, int count) {
        String[] f = payload.split("\\|", count);
        checkVersion(f[0], payload);
        if (f.length != count) {
            throw new BadPayloadException("has " + f.length + " fields where version " + VERSION + " has " + count,
                    payload);
        }
        return f;
    }

    private static void checkVersion(String version, String payload) {
        if (VERSION.equals(version)) {
            return;
        }
        if (version.chars().allMatch(Character::isDigit) && !version.isEmpty() && version.length() < 9
                && Integer.parseInt(version) > Integer.parseInt(VERSION)) {
            throw new BadPayloadException("is of format version " + version + ", newer than this instance's "
                    + VERSION + " (an instance of a newer release wrote it)", payload);
        }
        throw new BadPayloadException("is not of format version " + VERSION, payload);
    }

    private static long number(String field, String payload) {
        try {
            return Long.parseLong(field);
        } catch (NumberFormatException e) {
            throw new BadPayloadException("has '" + field + "' where a number belongs", payload);
        }
    }

    /** A payload this instance cannot read. */
    static final class BadPayloadException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        BadPayloadException(String why, @Nullable String payload) {
            super("'" + shorten(payload) + "' " + why, null, false, false);
        }

        private static String shorten(@Nullable String payload) {
            return payload == null ? "null" : payload.length() <= 120 ? payload : payload.substring(0, 117) + "...";
        }
    }
}
