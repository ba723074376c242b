package dev.breaker.internal;

/**
 * The outcomes a window holds at one moment.
 *
 * @param buffered the calls in the window
 * @param failed the failed calls among them
 * @param slow the slow calls among them (failed or not)
 */
public record WindowCounts(long buffered, long failed, long slow) {

    /** An empty window. */
    public static final WindowCounts EMPTY = new WindowCounts(0, 0, 0);

    /** The calls in the window that did not fail. */
    public long successful() {
        return buffered - failed;
    }
}
