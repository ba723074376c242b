package dev.breaker;

/**
 * How many breakers of a registry are in each state.
 *
 * @param total all breakers
 * @param closed closed breakers
 * @param open open breakers
 * @param halfOpen half-open breakers
 * @param recovering breakers recovering gradually
 * @param forcedOpen breakers forced open by hand
 * @param disabled breakers disabled by hand
 */
public record HealthSummary(int total, int closed, int open, int halfOpen, int recovering, int forcedOpen,
                            int disabled) {

    /** The share of breakers that are closed, in percent; 100 when there are none. */
    public double percentClosed() {
        return total == 0 ? 100.0 : closed * 100.0 / total;
    }
}
