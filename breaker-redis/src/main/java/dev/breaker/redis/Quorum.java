package dev.breaker.redis;

import java.util.Locale;

/**
 * How many live instances must report a breaker open, by their own thresholds, for the cluster to open it on every
 * instance: a count ({@code 2}) or a percentage of the live instances ({@code 50%}, rounded up, at least one).
 *
 * @param count the instances needed, or 0 when {@code percent} decides
 * @param percent the percentage of live instances needed, in (0, 100], or 0 when {@code count} decides
 */
public record Quorum(int count, float percent) {

    /** Half of the live instances, rounded up: the default. */
    public static final Quorum HALF = ofPercent(50);

    /**
     * @throws IllegalArgumentException unless exactly one of {@code count} (at least 1) and {@code percent} (in
     *     (0, 100]) is set
     */
    public Quorum {
        boolean byCount = count > 0 && percent == 0;
        boolean byPercent = count == 0 && percent > 0 && percent <= 100;
        if (!byCount && !byPercent) {
            throw new IllegalArgumentException("A quorum is a count of instances (at least 1) or a percentage of the"
                    + " live instances in (0, 100], was count " + count + ", percent " + percent);
        }
    }

    /** At least {@code count} live instances. */
    public static Quorum ofInstances(int count) {
        return new Quorum(count, 0);
    }

    /** At least {@code percent} percent of the live instances, rounded up, and at least one. */
    public static Quorum ofPercent(float percent) {
        return new Quorum(0, percent);
    }

    /**
     * Parses {@code 2} (instances) or {@code 50%} (of the live instances).
     *
     * @throws IllegalArgumentException naming the rule when {@code text} is neither
     */
    public static Quorum parse(String text) {
        String trimmed = text.strip();
        try {
            if (trimmed.endsWith("%")) {
                float percent = Float.parseFloat(trimmed.substring(0, trimmed.length() - 1).strip());
                if (percent > 0 && percent <= 100) {
                    return ofPercent(percent);
                }
            } else {
                int count = Integer.parseInt(trimmed);
                if (count >= 1) {
                    return ofInstances(count);
                }
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException("must be a number of instances of at least 1 (such as 2) or a percentage"
                + " of the live instances in (0, 100] (such as 50%)");
    }

    /** The instances needed when {@code live} instances are live. */
    public int required(int live) {
        return count > 0 ? count : Math.max(1, (int) Math.ceil(live * percent / 100.0));
    }

    @Override
    public String toString() {
        if (count > 0) {
            return Integer.toString(count);
        }
        return (percent == Math.rint(percent) ? Integer.toString((int) percent)
                : String.format(Locale.ROOT, "%s", percent)) + "%";
    }
}
