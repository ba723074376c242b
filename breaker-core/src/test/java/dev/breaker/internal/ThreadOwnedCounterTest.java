package dev.breaker.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.breaker.Concurrently.inParallel;
import static org.assertj.core.api.Assertions.assertThat;

class ThreadOwnedCounterTest {

    @Test
    void newCounter_isZero() {
        assertThat(new ThreadOwnedCounter().sum()).isZero();
    }

    @Test
    void increment_oneThread_countsEveryCall() {
        ThreadOwnedCounter counter = new ThreadOwnedCounter();

        for (int i = 0; i < 1_000; i++) {
            counter.increment();
        }

        assertThat(counter.sum()).isEqualTo(1_000);
    }

    @Test
    @Timeout(30)
    void increment_manyThreads_moreThanStripes_countsEveryCall() throws Exception {
        ThreadOwnedCounter counter = new ThreadOwnedCounter();

        inParallel(40, thread -> {
            for (int i = 0; i < 50_000; i++) {
                counter.increment();
            }
        });

        assertThat(counter.sum()).isEqualTo(40L * 50_000);
    }

    @Test
    @Timeout(30)
    void increment_threadsComingAndGoing_losesNothing() throws Exception {
        ThreadOwnedCounter counter = new ThreadOwnedCounter();

        for (int wave = 0; wave < 50; wave++) {
            inParallel(3, thread -> {
                for (int i = 0; i < 1_000; i++) {
                    counter.increment();
                }
            });
        }

        assertThat(counter.sum()).isEqualTo(50L * 3 * 1_000);
    }

    @Test
    @Timeout(30)
    void sum_whileThreadsIncrement_neverGoesBackwards() throws Exception {
        ThreadOwnedCounter counter = new ThreadOwnedCounter();
        AtomicBoolean done = new AtomicBoolean();
        List<Long> regressions = new ArrayList<>();

        inParallel(3, thread -> {
            if (thread == 0) {
                long previous = 0;
                while (!done.get()) {
                    long now = counter.sum();
                    if (now < previous) {
                        regressions.add(now - previous);
                    }
                    previous = now;
                }
            } else {
                for (int i = 0; i < 500_000; i++) {
                    counter.increment();
                }
                done.set(true);
            }
        });

        assertThat(regressions).isEmpty();
        assertThat(counter.sum()).isEqualTo(1_000_000);
    }
}
