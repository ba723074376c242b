package dev.breaker.spring.history;

import dev.breaker.BreakerMetrics;
import dev.breaker.CircuitState;
import dev.breaker.Level;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The latest samples of one breaker in primitive arrays: {@link #BYTES_PER_SAMPLE} bytes a sample, allocated once.
 * Written by the sampling task, read by requests; both take the ring's lock, never a call.
 */
final class SampleRing {

    /** A time (8), five figures (4 each) and a state and a level (1 each). */
    static final int BYTES_PER_SAMPLE = 8 + 5 * Float.BYTES + 2;

    /** The ring's own fields and the headers of its eight arrays, on a 64-bit JVM with compressed pointers. */
    static final int OVERHEAD_BYTES = 64 + 8 * 16;

    private static final CircuitState[] STATES = CircuitState.values();
    private static final Level[] LEVELS = Level.values();

    private final long[] time;
    private final byte[] state;
    private final byte[] level;
    private final float[] failureRate;
    private final float[] slowCallRate;
    private final float[] callsPerSecond;
    private final float[] rejectedPerSecond;
    private final float[] admittedShare;
    private int next;
    private int size;
    private long lastTotalCalls = -1;
    private long lastNotPermitted;
    private long lastTime;

    SampleRing(int capacity) {
        time = new long[capacity];
        state = new byte[capacity];
        level = new byte[capacity];
        failureRate = new float[capacity];
        slowCallRate = new float[capacity];
        callsPerSecond = new float[capacity];
        rejectedPerSecond = new float[capacity];
        admittedShare = new float[capacity];
    }

    synchronized void add(long nowMillis, BreakerMetrics m) {
        int i = next;
        time[i] = nowMillis;
        state[i] = (byte) m.state().ordinal();
        level[i] = (byte) m.level().ordinal();
        failureRate[i] = m.failureRate();
        slowCallRate[i] = m.slowCallRate();
        float seconds = (nowMillis - lastTime) / 1000f;
        boolean first = lastTotalCalls < 0 || seconds <= 0;
        callsPerSecond[i] = first ? Float.NaN : Math.max(0, m.totalCalls() - lastTotalCalls) / seconds;
        rejectedPerSecond[i] = first ? Float.NaN : Math.max(0, m.totalNotPermitted() - lastNotPermitted) / seconds;
        admittedShare[i] = m.admittedSharePercent();
        lastTotalCalls = m.totalCalls();
        lastNotPermitted = m.totalNotPermitted();
        lastTime = nowMillis;
        next = (i + 1) % time.length;
        size = Math.min(size + 1, time.length);
    }

    /** The samples taken after {@code sinceMillis}, oldest first. */
    synchronized Samples since(long sinceMillis) {
        int capacity = time.length;
        int oldest = (next - size + capacity) % capacity;
        int count = 0;
        int[] order = new int[size];
        for (int k = 0; k < size; k++) {
            int i = (oldest + k) % capacity;
            if (time[i] > sinceMillis) {
                order[count++] = i;
            }
        }
        int[] taken = Arrays.copyOf(order, count);
        List<Long> times = new ArrayList<>(count);
        List<String> states = new ArrayList<>(count);
        List<String> levels = new ArrayList<>(count);
        for (int i : taken) {
            times.add(time[i]);
            states.add(STATES[state[i]].name());
            levels.add(LEVELS[level[i]].name());
        }
        return new Samples(times, states, levels, figures(failureRate, taken), figures(slowCallRate, taken),
                figures(callsPerSecond, taken), figures(rejectedPerSecond, taken), figures(admittedShare, taken));
    }

    /** The figures at {@code indices}, null for NaN and negative values (rates under the minimum calls). */
    private static List<@Nullable Float> figures(float[] values, int[] indices) {
        List<@Nullable Float> figures = new ArrayList<>(indices.length);
        for (int i : indices) {
            float value = values[i];
            figures.add(Float.isNaN(value) || value < 0 ? null : Math.round(value * 10) / 10f);
        }
        return figures;
    }
}
