package dev.breaker;

import org.jspecify.annotations.Nullable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The runtime of {@link AdaptiveBaseline}: the current bucket's counts, and the learned normal, which the thread
 * that closes a bucket updates (once per bucket, under this object's lock).
 */
final class BaselineDetector {

    /*
     * Implementation notes.
     *
     * Two slots of counts (calls, failures, latency sum) alternate by bucket parity; the first writer of a bucket
     * claims its slot with a CAS on the slot's epoch and clears it. The writer that first sees a later bucket than
     * the last judged one judges the buckets in between, under the lock: they are complete by then, but for a
     * writer that read its clock just before the change, whose count may land in the next bucket or be lost.
     *
     * EWMA of mean and variance (West): alpha = 1 - 2^(-bucket / halfLife); mean += alpha * (x - mean);
     * variance = (1 - alpha) * (variance + alpha * (x - mean)^2), x - mean taken before the mean moves.
     */

    private static final int CALLS = 0;
    private static final int FAILURES = 1;
    private static final int LATENCY = 2;
    private static final int CELLS = 3;
    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle EPOCHS = MethodHandles.arrayElementVarHandle(long[].class);

    /** What the detector concluded when a bucket closed. */
    record Deviation(String signal, double value, double mean, double stddev, double z) {
    }

    private final long bucketNanos;
    private final double alpha;
    private final double z;
    private final int confirm;
    private final int warmUpBuckets;
    private final double failureRateFloor;
    private final double latencyFloorNanos;
    private final boolean learnsLatency;
    private final int minimumCalls;
    private final long[] epochs = {Long.MIN_VALUE, Long.MIN_VALUE};
    private final long[] counts = new long[2 * CELLS];
    private volatile long judgedUpTo;

    // Guarded by this.
    private int learnedBuckets;
    private double failureMean;
    private double failureVariance;
    private double latencyMean;
    private double latencyVariance;
    private int deviationsInARow;
    private @Nullable Deviation lastDeviation;

    BaselineDetector(AdaptiveBaseline config, int minimumCalls, long now) {
        this.bucketNanos = config.bucket().toNanos();
        this.alpha = 1 - Math.pow(2, -(double) bucketNanos / config.halfLife().toNanos());
        this.z = config.z();
        this.confirm = config.confirm();
        this.warmUpBuckets = config.warmUpBuckets();
        this.failureRateFloor = config.failureRateFloorPercent();
        this.latencyFloorNanos = config.latencyFloor().toNanos();
        this.learnsLatency = !config.latencyFloor().isZero();
        this.minimumCalls = minimumCalls;
        this.judgedUpTo = Math.floorDiv(now, bucketNanos) - 1;
    }

    /**
     * Counts one call of a closed breaker and judges the buckets that ended before it.
     *
     * @return the deviation that was confirmed by a bucket that ended, or {@code null}
     */
    @Nullable Deviation record(boolean failure, long durationNanos, long now) {
        long epoch = Math.floorDiv(now, bucketNanos);
        Deviation confirmed = null;
        if (epoch - 1 > judgedUpTo) {
            confirmed = judgeUpTo(epoch - 1);
        }
        int slot = (int) (epoch & 1);
        long seen = (long) EPOCHS.getVolatile(epochs, slot);
        if (seen != epoch) {
            if (seen > epoch) {
                return confirmed;
            }
            if (EPOCHS.compareAndSet(epochs, slot, seen, epoch)) {
                for (int cell = 0; cell < CELLS; cell++) {
                    COUNTS.setOpaque(counts, slot * CELLS + cell, 0L);
                }
            }
        }
        COUNTS.getAndAdd(counts, slot * CELLS + CALLS, 1L);
        if (failure) {
            COUNTS.getAndAdd(counts, slot * CELLS + FAILURES, 1L);
        }
        if (learnsLatency) {
            COUNTS.getAndAdd(counts, slot * CELLS + LATENCY, durationNanos);
        }
        return confirmed;
    }

    /** Forgets the bucket in progress: the breaker left the closed state, and its calls teach nothing. */
    void discardCurrent(long now) {
        long epoch = Math.floorDiv(now, bucketNanos);
        synchronized (this) {
            if (epoch > judgedUpTo) {
                judgedUpTo = epoch;
            }
            deviationsInARow = 0;
        }
    }

    private synchronized @Nullable Deviation judgeUpTo(long last) {
        Deviation confirmed = null;
        for (long bucket = judgedUpTo + 1; bucket <= last; bucket++) {
            Deviation deviation = judge(bucket);
            if (deviation != null) {
                confirmed = deviation;
            }
        }
        if (last > judgedUpTo) {
            judgedUpTo = last;
        }
        return confirmed;
    }

    /** Judges one ended bucket; learns it unless it deviates. Returns the deviation if it confirms one. */
    private @Nullable Deviation judge(long bucket) {
        int slot = (int) (bucket & 1);
        if ((long) EPOCHS.getVolatile(epochs, slot) != bucket) {
            return null;
        }
        long calls = (long) COUNTS.getVolatile(counts, slot * CELLS + CALLS);
        if (calls < minimumCalls || calls == 0) {
            return null;
        }
        double failureRate = (long) COUNTS.getVolatile(counts, slot * CELLS + FAILURES) * 100.0 / calls;
        double latency = (double) (long) COUNTS.getVolatile(counts, slot * CELLS + LATENCY) / calls;
        if (learnedBuckets >= warmUpBuckets) {
            Deviation deviation = deviation(failureRate, latency);
            if (deviation != null) {
                lastDeviation = deviation;
                if (++deviationsInARow >= confirm) {
                    deviationsInARow = 0;
                    return deviation;
                }
                return null;
            }
        }
        deviationsInARow = 0;
        learn(failureRate, latency);
        return null;
    }

    private @Nullable Deviation deviation(double failureRate, double latency) {
        double failureStddev = Math.sqrt(failureVariance);
        if (failureRate > Math.max(failureRateFloor, failureMean + z * failureStddev)) {
            return new Deviation("failure-rate", failureRate, failureMean, failureStddev, z);
        }
        double latencyStddev = Math.sqrt(latencyVariance);
        if (learnsLatency && latency > Math.max(latencyFloorNanos, latencyMean + z * latencyStddev)) {
            return new Deviation("latency", latency, latencyMean, latencyStddev, z);
        }
        return null;
    }

    private void learn(double failureRate, double latency) {
        if (learnedBuckets == 0) {
            failureMean = failureRate;
            latencyMean = latency;
        } else {
            double failureDelta = failureRate - failureMean;
            failureMean += alpha * failureDelta;
            failureVariance = (1 - alpha) * (failureVariance + alpha * failureDelta * failureDelta);
            double latencyDelta = latency - latencyMean;
            latencyMean += alpha * latencyDelta;
            latencyVariance = (1 - alpha) * (latencyVariance + alpha * latencyDelta * latencyDelta);
        }
        learnedBuckets++;
    }

    /** What the detector has learned, for metrics and the endpoint. */
    synchronized BaselineSnapshot snapshot() {
        return new BaselineSnapshot(learnedBuckets, learnedBuckets >= warmUpBuckets, failureMean,
                Math.sqrt(failureVariance), learnsLatency ? latencyMean / 1e6 : Double.NaN,
                learnsLatency ? Math.sqrt(latencyVariance) / 1e6 : Double.NaN, deviationsInARow,
                lastDeviation == null ? null : lastDeviation.signal());
    }
}
