package dev.breaker;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Proves the hot path allocates nothing: asking for permission and recording outcomes while closed, and rejecting
 * while open. Counts the bytes the calling thread allocates over a million calls, after a warm-up long enough for
 * the JIT to compile the path, and requires exactly zero beyond the measurement's own cost (measured back to back
 * first). A path that allocated even one object per call would show megabytes.
 */
@Timeout(60)
class ZeroAllocationTest {

    private static final int WARM_UP_ROUNDS = 20;
    private static final int WARM_UP_CALLS = 10_000;
    private static final int MEASURED_CALLS = 1_000_000;
    /**
     * Runs measured per case: the first that allocates nothing proves the steady state allocates nothing. A
     * rare one-off allocation on this thread (a deoptimisation materialising a frame) can spoil a single run,
     * never all of them, while a per-call allocation spoils every one.
     */
    private static final int ATTEMPTS = 3;

    private static final RuntimeException FAILURE = new IllegalStateException("preallocated");
    private static final Supplier<String> SUPPLIER = () -> "result";

    private static com.sun.management.ThreadMXBean threads;

    @BeforeAll
    static void threadAllocationIsMeasurable() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean,
                "this JVM's ThreadMXBean cannot count allocated bytes");
        threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "thread allocation measurement not supported");
        if (!threads.isThreadAllocatedMemoryEnabled()) {
            threads.setThreadAllocatedMemoryEnabled(true);
        }
    }

    @Test
    void closed_countWindow_tryAcquireAndOnSuccess_allocatesNothing() {
        Breaker breaker = Breaker.of("closed-success", BreakerConfig.ofDefaults());

        assertAllocatesNothing(calls -> {
            long permitted = 0;
            for (int i = 0; i < calls; i++) {
                if (breaker.tryAcquire()) {
                    breaker.onSuccess(0);
                    permitted++;
                }
            }
            return permitted;
        });
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void closed_countWindow_alternatingSuccessAndFailure_allocatesNothing() {
        Breaker breaker = Breaker.of("closed-failure", BreakerConfig.builder().failureRateThreshold(100).build());

        assertAllocatesNothing(ZeroAllocationTest::successesAndFailures, breaker);
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(breaker.metrics().failedCalls()).isEqualTo(50);
    }

    @Test
    void closed_consecutiveFailuresOn_alternatingSuccessAndFailure_allocatesNothing() {
        Breaker breaker = Breaker.of("closed-consecutive", BreakerConfig.builder().failureRateThreshold(100)
                .consecutiveFailures(5).build());

        assertAllocatesNothing(ZeroAllocationTest::successesAndFailures, breaker);
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void recovering_admittedAndRejectedCallsWithSuccessesAndFailures_allocateNothing() {
        FakeTicker ticker = new FakeTicker();
        Breaker breaker = Breaker.of("recovering", BreakerConfig.builder().countWindow(1).minimumCalls(1)
                .failureRateThreshold(100).waitInOpen(Duration.ofSeconds(1)).halfOpenCalls(1)
                .gradualRecovery(GradualRecovery.over(Duration.ofDays(1)).withMinShare(50))
                .ticker(ticker).clock(ticker.clock()).build());
        breaker.onFailure(0, FAILURE);
        ticker.advance(Duration.ofSeconds(2));
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onSuccess(0);
        assertThat(breaker.state()).isEqualTo(CircuitState.RECOVERING);

        assertAllocatesNothing(count -> {
            long permitted = 0;
            for (int i = 0; i < count; i++) {
                long permit = breaker.acquirePermit();
                if (Breaker.isPermitted(permit)) {
                    breaker.recordSuccess(permit, 0);
                    permitted++;
                }
            }
            return permitted;
        });
        assertThat(breaker.state()).isEqualTo(CircuitState.RECOVERING);
    }

    @Test
    void escalationConfigured_closedWithWarnings_alternatingSuccessAndFailure_allocatesNothing() {
        Breaker breaker = Breaker.of("escalating", BreakerConfig.builder().failureRateThreshold(100)
                .escalation(Escalation.defaults()).build());

        assertAllocatesNothing(ZeroAllocationTest::successesAndFailures, breaker);
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(breaker.level()).as("50 %% failures: half the 100 %% threshold").isEqualTo(Level.WARNING);
    }

    @Test
    void admissionControl_limitsAndADependency_admittedAndRejectedCalls_allocateNothing() {
        BreakerRegistry registry = BreakerRegistry.builder()
                .config("payments", BreakerConfig.ofDefaults())
                .config("checkout", BreakerConfig.builder().failureRateThreshold(100).dependsOn("payments")
                        .maxConcurrentCalls(1).maxCallsPerSecond(1e9, 1_000_000).build())
                .build();
        Breaker checkout = registry.breaker("checkout");

        assertAllocatesNothing(count -> {
            long admitted = 0;
            for (int i = 0; i < count; i++) {
                long permit = checkout.acquirePermit();
                if (Breaker.isPermitted(permit)) {
                    admitted++;
                    long second = checkout.acquirePermit();
                    admitted += Breaker.isPermitted(second) ? 1 : 0;
                    checkout.recordSuccess(permit, 0);
                }
            }
            return admitted;
        });
        registry.find("payments").orElseThrow().forceOpen();
        assertAllocatesNothing(ZeroAllocationTest::rejections, checkout);
        assertThat(checkout.metrics().notPermittedByReason()).containsKeys(RejectionReason.CONCURRENCY_LIMIT,
                RejectionReason.DEPENDENCY_OPEN);
    }

    @Test
    void adaptiveModesAndTimeouts_successesAndFailures_allocateNothing() {
        FakeTicker ticker = new FakeTicker();
        BreakerConfig.Builder common = BreakerConfig.builder().failureRateThreshold(100).ticker(ticker)
                .clock(ticker.clock());
        Breaker throttled = Breaker.of("throttled", common.adaptiveThrottle(AdaptiveThrottle.defaults()).build());
        Breaker learning = Breaker.of("learning", common.adaptiveThrottle(null)
                .adaptiveBaseline(AdaptiveBaseline.defaults()).adaptiveTimeout(AdaptiveTimeout.defaults()).build());

        assertAllocatesNothing(ZeroAllocationTest::successesAndFailures, throttled);
        assertAllocatesNothing(ZeroAllocationTest::successesAndFailures, learning);
        assertThat(throttled.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(learning.state()).isEqualTo(CircuitState.CLOSED);
    }

    /**
     * Defect: the adaptive timeout's refresh (at most every 100 ms, by whichever call finds it due) summed the
     * histogram's buckets into a new array of 224 longs, so calls of a breaker with an adaptive timeout allocated
     * 1.8 KB ten times a second. Here time passes by 1 ms a call, so a refresh falls due every 100 calls.
     */
    @Test
    void adaptiveTimeout_limitRefreshedWhileTimePasses_allocatesNothing() {
        FakeTicker ticker = new FakeTicker();
        Breaker breaker = Breaker.of("adaptive-timeout", BreakerConfig.builder().ticker(ticker).clock(ticker.clock())
                .adaptiveTimeout(AdaptiveTimeout.defaults().withWindow(Duration.ofSeconds(10), 10)).build());

        assertAllocatesNothing(calls -> {
            long limits = 0;
            for (int i = 0; i < calls; i++) {
                ticker.advanceNanos(1_000_000);
                long permit = breaker.acquirePermit();
                limits += breaker.timeoutNanos() >>> 20;
                breaker.recordSuccess(permit, 5_000_000 + (i & 0xFFFF) * 100L);
            }
            return limits;
        });
        assertThat(breaker.timeoutNanos()).as("the percentile, not the maximum").isLessThan(
                Duration.ofSeconds(1).toNanos());
    }

    @Test
    void open_rejection_allocatesNothing() {
        Breaker breaker = Breaker.of("open", BreakerConfig.builder().countWindow(1).minimumCalls(1).build());
        breaker.onFailure(0, FAILURE);
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);

        assertAllocatesNothing(ZeroAllocationTest::rejections, breaker);
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        assertThat(breaker.metrics().totalNotPermitted()).isGreaterThan(MEASURED_CALLS);
    }

    @Test
    void open_rejection_onFakeTicker_allocatesNothing() {
        FakeTicker ticker = new FakeTicker();
        Breaker breaker = Breaker.of("open-fake", BreakerConfig.builder().countWindow(1).minimumCalls(1)
                .ticker(ticker).clock(ticker.clock()).build());
        breaker.onFailure(0, FAILURE);

        assertAllocatesNothing(ZeroAllocationTest::rejections, breaker);
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void forcedOpen_rejection_allocatesNothing() {
        Breaker breaker = Breaker.of("forced-open", BreakerConfig.ofDefaults());
        breaker.forceOpen();

        assertAllocatesNothing(ZeroAllocationTest::rejections, breaker);
        assertThat(breaker.state()).isEqualTo(CircuitState.FORCED_OPEN);
    }

    @Test
    void closed_getWithANonCapturingSupplier_allocatesNothing() {
        Breaker breaker = Breaker.of("get", BreakerConfig.ofDefaults());

        assertAllocatesNothing(calls -> {
            long length = 0;
            for (int i = 0; i < calls; i++) {
                length += breaker.get(SUPPLIER).length();
            }
            return length;
        });
        assertThat(breaker.metrics().totalSuccesses()).isGreaterThan(MEASURED_CALLS);
    }

    @Test
    void closed_timeWindow_tryAcquireAndOnSuccess_allocatesNothing() {
        Breaker breaker = Breaker.of("time-window", BreakerConfig.builder()
                .timeWindow(Duration.ofSeconds(10), 10).build());

        assertAllocatesNothing(ZeroAllocationTest::successes, breaker);
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void closed_timeWindow_alternatingSuccessAndFailure_allocatesNothing() {
        Breaker breaker = Breaker.of("time-window-failures", BreakerConfig.builder()
                .timeWindow(Duration.ofSeconds(10), 10).failureRateThreshold(100).build());

        assertAllocatesNothing(ZeroAllocationTest::successesAndFailures, breaker);
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void closed_timeWindow_onFakeTicker_allocatesNothing() {
        FakeTicker ticker = new FakeTicker();
        Breaker breaker = Breaker.of("time-window-fake", BreakerConfig.builder()
                .timeWindow(Duration.ofSeconds(10), 10).ticker(ticker).clock(ticker.clock()).build());

        assertAllocatesNothing(ZeroAllocationTest::successes, breaker);
    }

    @Test
    void closed_countWindow_onFakeTicker_allocatesNothing() {
        FakeTicker ticker = new FakeTicker();
        Breaker breaker = Breaker.of("count-window-fake", BreakerConfig.builder()
                .ticker(ticker).clock(ticker.clock()).build());

        assertAllocatesNothing(ZeroAllocationTest::successes, breaker);
    }

    @Test
    void closed_slowCallDetectionOn_durationsGiven_allocatesNothing() {
        Duration slowCall = Duration.ofMillis(1);
        long slow = slowCall.toNanos() + 1;
        Breaker breaker = Breaker.of("slow-calls", BreakerConfig.builder().slowCallDuration(slowCall)
                .slowCallRateThreshold(100).failureRateThreshold(100).build());

        assertAllocatesNothing(calls -> {
            long permitted = 0;
            for (int i = 0; i < calls; i++) {
                if (breaker.tryAcquire()) {
                    switch (i & 3) {
                        case 0 -> breaker.onSuccess(slow);
                        case 1 -> breaker.onSuccess(10);
                        case 2 -> breaker.onFailure(slow, FAILURE);
                        default -> breaker.onFailure(10, FAILURE);
                    }
                    permitted++;
                }
            }
            return permitted;
        });
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(breaker.metrics().slowCalls()).isEqualTo(50);
    }

    @Test
    void closed_slowCallDetectionOn_getTimesTheCall_allocatesNothing() {
        Breaker breaker = Breaker.of("slow-calls-get", BreakerConfig.builder()
                .slowCallDuration(Duration.ofSeconds(10)).build());

        assertAllocatesNothing(calls -> {
            long length = 0;
            for (int i = 0; i < calls; i++) {
                length += breaker.get(SUPPLIER).length();
            }
            return length;
        });
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void closed_permitProtocol_acquirePermitAndRecordSuccess_allocatesNothing() {
        Breaker breaker = Breaker.of("permits", BreakerConfig.ofDefaults());

        assertAllocatesNothing(calls -> {
            long permitted = 0;
            for (int i = 0; i < calls; i++) {
                long permit = breaker.acquirePermit();
                if (permit >= 0) {
                    breaker.recordSuccess(permit, 0);
                    permitted++;
                }
            }
            return permitted;
        });
    }

    @Test
    void closed_permitProtocol_recordFailureAndResult_allocatesNothing() {
        Breaker breaker = Breaker.of("permits-failures", BreakerConfig.builder().failureRateThreshold(100)
                .build());

        assertAllocatesNothing(calls -> {
            long permitted = 0;
            for (int i = 0; i < calls; i++) {
                long permit = breaker.acquirePermit();
                if (permit >= 0) {
                    if ((i & 1) == 0) {
                        breaker.recordResult(permit, 0, SUPPLIER);
                    } else {
                        breaker.recordFailure(permit, 0, FAILURE);
                    }
                    permitted++;
                }
            }
            return permitted;
        });
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void measurement_seesAnAllocationPerCall() {
        long[] allocated = allocatedBytes(calls -> {
            long total = 0;
            for (int i = 0; i < calls; i++) {
                Object[] escaping = new Object[1];
                escapee = escaping;
                total += escaping.length;
            }
            return total;
        }, false);

        for (long bytes : allocated) {
            assertThat(bytes).isGreaterThanOrEqualTo(16L * MEASURED_CALLS);
        }
    }

    /**
     * The same hot paths in a JVM whose JIT does no escape analysis: what the code allocates, rather than what the
     * JIT happens to remove in this test's loops. (Whether C2 removes an allocation depends on how it inlines
     * the call site, which differs between this test and an application.)
     */
    @Test
    void hotPaths_allocateNothing_evenWithoutEscapeAnalysis() throws Exception {
        String vm = System.getProperty("java.vm.name", "");
        assumeTrue(vm.contains("HotSpot") || vm.contains("OpenJDK"), "needs HotSpot's -XX:-DoEscapeAnalysis");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.real.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(java, "-XX:-DoEscapeAnalysis", "-cp", classpath,
                WithoutEscapeAnalysis.class.getName()).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(50, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        assertThat(child.exitValue()).as("child JVM exit value; its output:%n%s", output).isZero();

        Map<String, Long> allocated = new LinkedHashMap<>();
        output.lines().filter(line -> line.startsWith("allocated ")).map(line -> line.split(" "))
                .forEach(fields -> allocated.put(fields[1], Long.parseLong(fields[2])));
        Map<String, Long> nothing = new LinkedHashMap<>();
        allocated.keySet().forEach(path -> nothing.put(path, 0L));
        assertThat(allocated).as("child JVM output:%n%s", output).hasSize(WithoutEscapeAnalysis.CASES);
        assertThat(allocated).as("bytes allocated by %,d calls per path without escape analysis", MEASURED_CALLS)
                .isEqualTo(nothing);
    }

    /** Runs in the child JVM: prints "allocated PATH BYTES", the fewest bytes of three measured runs per path. */
    static final class WithoutEscapeAnalysis {
        static final int CASES = 6;

        public static void main(String[] args) {
            threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            threads.setThreadAllocatedMemoryEnabled(true);

            Breaker closed = Breaker.of("closed", BreakerConfig.ofDefaults());
            report("closed-success", calls -> successes(closed, calls));

            Breaker failing = Breaker.of("failing", BreakerConfig.builder().failureRateThreshold(100).build());
            report("closed-success-and-failure", calls -> {
                long permitted = 0;
                for (int i = 0; i < calls; i++) {
                    if (failing.tryAcquire()) {
                        if ((i & 1) == 0) {
                            failing.onSuccess(0);
                        } else {
                            failing.onFailure(0, FAILURE);
                        }
                        permitted++;
                    }
                }
                return permitted;
            });

            Breaker open = Breaker.of("open", BreakerConfig.builder().countWindow(1).minimumCalls(1).build());
            open.onFailure(0, FAILURE);
            report("open-rejection", calls -> rejections(open, calls));

            report("closed-get", calls -> {
                long length = 0;
                for (int i = 0; i < calls; i++) {
                    length += closed.get(SUPPLIER).length();
                }
                return length;
            });

            Breaker timeWindow = Breaker.of("time-window", BreakerConfig.builder()
                    .timeWindow(Duration.ofSeconds(10), 10).build());
            report("closed-time-window-success", calls -> successes(timeWindow, calls));

            report("closed-permit-success", calls -> {
                long permitted = 0;
                for (int i = 0; i < calls; i++) {
                    long permit = closed.acquirePermit();
                    if (permit >= 0) {
                        closed.recordSuccess(permit, 0);
                        permitted++;
                    }
                }
                return permitted;
            });
        }

        private static void report(String path, Calls calls) {
            long fewest = Long.MAX_VALUE;
            for (long bytes : allocatedBytes(calls, true)) {
                if (bytes >= 0) {
                    fewest = Math.min(fewest, bytes);
                }
            }
            System.out.println("allocated " + path + " " + fewest);
        }
    }

    /** Where the control measurement's objects escape to, so that the JIT cannot remove them. */
    static volatile Object escapee;

    // ---------------------------------------------------------------------------------------------------------

    private static long successes(Breaker breaker, int calls) {
        long permitted = 0;
        for (int i = 0; i < calls; i++) {
            if (breaker.tryAcquire()) {
                breaker.onSuccess(0);
                permitted++;
            }
        }
        return permitted;
    }

    /** Alternates successes and recorded failures. */
    private static long successesAndFailures(Breaker breaker, int calls) {
        long permitted = 0;
        for (int i = 0; i < calls; i++) {
            if (breaker.tryAcquire()) {
                if ((i & 1) == 0) {
                    breaker.onSuccess(0);
                } else {
                    breaker.onFailure(0, FAILURE);
                }
                permitted++;
            }
        }
        return permitted;
    }

    private static long rejections(Breaker breaker, int calls) {
        long rejected = 0;
        for (int i = 0; i < calls; i++) {
            if (!breaker.tryAcquire()) {
                rejected++;
            }
        }
        return rejected;
    }

    @FunctionalInterface
    interface Calls {
        /** Makes {@code calls} calls and returns something derived from them, so nothing is optimised away. */
        long make(int calls);
    }

    @FunctionalInterface
    interface BreakerCalls {
        long make(Breaker breaker, int calls);
    }

    private static void assertAllocatesNothing(BreakerCalls calls, Breaker breaker) {
        assertAllocatesNothing(count -> calls.make(breaker, count));
    }

    private static void assertAllocatesNothing(Calls calls) {
        long[] allocated = allocatedBytes(calls, true);
        assertThat(allocated).as("bytes allocated by %,d calls, in each of %d runs", MEASURED_CALLS, ATTEMPTS)
                .contains(0L);
    }

    /**
     * Warms {@code calls} up, then measures the bytes this thread allocates over {@link #MEASURED_CALLS} calls,
     * less the cost of reading the counter, up to {@link #ATTEMPTS} times; stops early at a run of zero if asked.
     */
    private static long[] allocatedBytes(Calls calls, boolean stopAtZero) {
        long id = Thread.currentThread().getId();
        long sink = 0;
        for (int round = 0; round < WARM_UP_ROUNDS; round++) {
            sink += calls.make(WARM_UP_CALLS);
        }
        long[] allocated = new long[ATTEMPTS];
        java.util.Arrays.fill(allocated, -1);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            long calibrationStart = threads.getThreadAllocatedBytes(id);
            long calibrationEnd = threads.getThreadAllocatedBytes(id);
            long start = threads.getThreadAllocatedBytes(id);
            sink += calls.make(MEASURED_CALLS);
            long end = threads.getThreadAllocatedBytes(id);
            allocated[attempt] = (end - start) - (calibrationEnd - calibrationStart);
            if (stopAtZero && allocated[attempt] == 0) {
                break;
            }
        }
        assertThat(sink).isNotNegative();
        return allocated;
    }
}
