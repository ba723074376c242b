package dev.breaker.spring.history;

import org.jspecify.annotations.Nullable;

import java.util.List;

/**
 * A breaker's samples, oldest first, one list per figure, every list as long as {@link #time()}. A rate is null
 * while the window held fewer than the minimum calls; a per-second figure is null for the first sample.
 *
 * @param time when each sample was taken, in milliseconds since the epoch
 * @param state the state
 * @param level the level
 * @param failureRate the failure rate in percent
 * @param slowCallRate the slow-call rate in percent
 * @param callsPerSecond the calls per second since the sample before, rejected calls included
 * @param rejectedPerSecond the rejected calls per second since the sample before
 * @param admittedSharePercent the share of calls let through, in percent
 */
public record Samples(List<Long> time, List<String> state, List<String> level, List<@Nullable Float> failureRate,
                      List<@Nullable Float> slowCallRate, List<@Nullable Float> callsPerSecond,
                      List<@Nullable Float> rejectedPerSecond, List<@Nullable Float> admittedSharePercent) {
}
