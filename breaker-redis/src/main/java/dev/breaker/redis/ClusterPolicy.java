package dev.breaker.redis;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What the instances of a cluster share about one breaker.
 *
 * @param mode what is shared
 * @param quorum for {@link Mode#QUORUM}: how many live instances must report the breaker open
 * @param minimumCalls for {@link Mode#QUORUM}: the calls the cluster's aggregated window must hold before its rates
 *     count; 0 takes the breaker's own minimum calls
 */
public record ClusterPolicy(Mode mode, Quorum quorum, int minimumCalls) {

    /** Nothing is shared: the breaker works as without a cluster. The default. */
    public static final ClusterPolicy LOCAL = new ClusterPolicy(Mode.LOCAL, Quorum.HALF, 0);

    /** An instance that opens by its own thresholds opens the breaker on every instance. */
    public static final ClusterPolicy SHARE_OPEN = new ClusterPolicy(Mode.SHARE_OPEN, Quorum.HALF, 0);

    /** What the instances share. */
    public enum Mode {
        /** Nothing. */
        LOCAL("local"),
        /** Openings: one instance that opens opens all. */
        SHARE_OPEN("share-open"),
        /** Verdicts: the breaker opens on all when a quorum of instances is open, or the cluster's window says so. */
        QUORUM("quorum");

        private final String id;

        Mode(String id) {
            this.id = id;
        }

        /** The name in configuration: {@code local}, {@code share-open}, {@code quorum}. */
        public String id() {
            return id;
        }

        /**
         * The mode called {@code id} (case and surrounding blanks ignored).
         *
         * @throws IllegalArgumentException naming the valid modes
         */
        public static Mode parse(String id) {
            String wanted = id.strip().toLowerCase(Locale.ROOT);
            return Arrays.stream(values()).filter(mode -> mode.id.equals(wanted)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("must be one of " + Arrays.stream(values())
                            .map(Mode::id).collect(Collectors.joining(", "))));
        }
    }

    /**
     * @throws IllegalArgumentException for negative minimum calls
     */
    public ClusterPolicy {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(quorum, "quorum");
        if (minimumCalls < 0) {
            throw new IllegalArgumentException("minimumCalls must be at least 0 (0: the breaker's own), was "
                    + minimumCalls);
        }
    }

    /**
     * The breaker opens on every instance when {@code quorum} of the live instances are open by their own
     * thresholds, or when the cluster's aggregated window (every instance's window totals) reaches the breaker's
     * thresholds over {@code minimumCalls} calls (0: the breaker's own minimum calls).
     */
    public static ClusterPolicy quorum(Quorum quorum, int minimumCalls) {
        return new ClusterPolicy(Mode.QUORUM, quorum, minimumCalls);
    }

    @Override
    public String toString() {
        return mode == Mode.QUORUM ? mode.id + "(" + quorum + (minimumCalls > 0 ? ", " + minimumCalls + " calls" : "")
                + ")" : mode.id;
    }
}
