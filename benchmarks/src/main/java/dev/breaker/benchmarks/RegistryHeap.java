package dev.breaker.benchmarks;

import dev.breaker.BreakerRegistry;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;

/**
 * Fills one registry with N fresh breakers (count window of 100, names {@code breaker-0}...) and prints the heap
 * in use after a full GC, before and after, in bytes: {@code used-before used-after}. {@link Footprint} runs it in
 * a JVM of its own with {@code -Xmx1g}: that it finishes at all says the registry fits in 1 GiB.
 */
final class RegistryHeap {

    private RegistryHeap() {
    }

    public static void main(String[] args) {
        int breakers = Integer.parseInt(args[0]);
        BreakerRegistry registry = BreakerRegistry.of(Fixtures.breakerCountWindow());
        long before = usedAfterGc();
        for (int i = 0; i < breakers; i++) {
            registry.breaker("breaker-" + i);
        }
        long after = usedAfterGc();
        Reference.reachabilityFence(registry);
        System.out.println(before + " " + after);
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
