package dev.breaker.spring.aop;

import dev.breaker.AdaptiveTimeout;
import dev.breaker.Breaker;
import dev.breaker.BreakerConfig;
import dev.breaker.CallNotPermittedException;
import dev.breaker.Priority;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The adapter's per-call code for plain values, through {@link ProtectedCall}, allocates nothing: a success while
 * closed (with a call timer, so timed; or with a timeout, fixed, adaptive or the annotation's, that does not
 * interrupt) and a rejection while forced open. Counts the bytes this thread allocates
 * over a million calls after a warm-up, as the core's {@code ZeroAllocationTest} does; Spring's own invocation
 * object is left out by calling the adapter with a reused one.
 */
@Timeout(60)
class BlockingCallAllocationTests {

    private static final int WARM_UP_CALLS = 200_000;
    private static final int MEASURED_CALLS = 1_000_000;
    /**
     * Runs measured, stopping at the first that allocates nothing: late in a JVM that has compiled much else, the JIT
     * may compile a call path (a fallback's method handle) only during the second or third run (seen: 64 B a call,
     * then half that, then none).
     */
    private static final int ATTEMPTS = 8;

    private static com.sun.management.ThreadMXBean threads;

    private final BlockingCallAdapter adapter = new BlockingCallAdapter();
    private final ReusedInvocation invocation = new ReusedInvocation();

    @BeforeAll
    static void threadAllocationIsMeasurable() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "this JVM's ThreadMXBean cannot count allocated bytes");
        threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "thread allocation measurement not supported");
        threads.setThreadAllocatedMemoryEnabled(true);
    }

    @Test
    void success_whileClosed_timed_allocatesNothing() throws Throwable {
        ProtectedCall call = new ProtectedCall(invocation.getMethod(), Breaker.of("closed", BreakerConfig.ofDefaults()),
                null, (nanos, success) -> { });

        assertThat(allocatedBytes(() -> adapter.invoke(invocation, call))).contains(0L);
    }

    @Test
    void success_withATimeoutThatDoesNotInterrupt_allocatesNothing() throws Throwable {
        ProtectedCall fixed = new ProtectedCall(invocation.getMethod(), Breaker.of("fixed", BreakerConfig.builder()
                .timeout(Duration.ofSeconds(10)).build()), null, null);
        ProtectedCall adaptive = new ProtectedCall(invocation.getMethod(), Breaker.of("adaptive",
                BreakerConfig.builder().adaptiveTimeout(AdaptiveTimeout.defaults()
                        // a floor no pause of a loaded machine reaches, so no call here times out
                        .withBounds(Duration.ofSeconds(5), Duration.ofSeconds(10))).build()), null, null);
        ProtectedCall annotated = new ProtectedCall(invocation.getMethod(), Breaker.of("annotated",
                BreakerConfig.ofDefaults()), null, null, Duration.ofSeconds(10).toNanos(), null);

        assertThat(allocatedBytes(() -> adapter.invoke(invocation, fixed))).as("fixed").contains(0L);
        assertThat(allocatedBytes(() -> adapter.invoke(invocation, adaptive))).as("adaptive").contains(0L);
        assertThat(allocatedBytes(() -> adapter.invoke(invocation, annotated))).as("annotated").contains(0L);
    }

    @Test
    void rejection_whileForcedOpen_allocatesNothing() throws Throwable {
        Breaker breaker = Breaker.of("open", BreakerConfig.ofDefaults());
        breaker.forceOpen();
        ProtectedCall call = new ProtectedCall(invocation.getMethod(), breaker, null, null);

        assertThat(allocatedBytes(() -> invokeOrRejection(call))).contains(0L);
    }

    @Test
    void rejection_whileForcedOpen_answeredByAFallbackTakingTheError_allocatesNothing() throws Throwable {
        Breaker breaker = Breaker.of("open", BreakerConfig.ofDefaults());
        breaker.forceOpen();
        ProtectedCall call = new ProtectedCall(invocation.getMethod(), breaker,
                new FallbackMethod(List.of(ReusedInvocation.FALLBACK_TAKING_THE_ERROR), 0), null);

        assertThat(adapter.invoke(invocation, call)).isEqualTo("fallback for CallNotPermittedException");
        assertThat(allocatedBytes(() -> adapter.invoke(invocation, call))).contains(0L);
    }

    @Test
    void rejection_whileForcedOpen_answeredByAFallbackWithoutTheError_allocatesNothing() throws Throwable {
        Breaker breaker = Breaker.of("open", BreakerConfig.ofDefaults());
        breaker.forceOpen();
        ProtectedCall call = new ProtectedCall(invocation.getMethod(), breaker,
                new FallbackMethod(List.of(ReusedInvocation.FALLBACK), 0), null);

        assertThat(adapter.invoke(invocation, call)).isEqualTo("fallback");
        assertThat(allocatedBytes(() -> adapter.invoke(invocation, call))).contains(0L);
    }

    @Test
    void success_withTheAnnotationsPriority_allocatesNothing() throws Throwable {
        ProtectedCall call = new ProtectedCall(invocation.getMethod(), Breaker.of("closed", BreakerConfig.ofDefaults()),
                null, null, 0, Priority.SHEDDABLE);

        assertThat(allocatedBytes(() -> adapter.invoke(invocation, call))).contains(0L);
    }

    @Test
    void rejection_withTheAnnotationsPriority_byAConcurrencyLimit_allocatesNothing() throws Throwable {
        Breaker breaker = Breaker.of("limited", BreakerConfig.builder().maxConcurrentCalls(1).build());
        long held = breaker.acquirePermit();
        ProtectedCall call = new ProtectedCall(invocation.getMethod(), breaker, null, null, 0, Priority.SHEDDABLE);

        assertThat(allocatedBytes(() -> invokeOrRejection(call))).contains(0L);
        breaker.release(held);
    }

    /** The adapter's answer, or the rejection it threw. */
    private Object invokeOrRejection(ProtectedCall call) throws Throwable {
        try {
            return adapter.invoke(invocation, call);
        } catch (CallNotPermittedException rejected) {
            return rejected;
        }
    }

    @FunctionalInterface
    private interface Call {
        @Nullable Object make() throws Throwable;
    }

    /** Bytes allocated by {@link #MEASURED_CALLS} calls, in up to {@link #ATTEMPTS} runs; stops at a run of 0. */
    private static long[] allocatedBytes(Call call) throws Throwable {
        long id = Thread.currentThread().getId();
        int seen = 0;
        for (int i = 0; i < WARM_UP_CALLS; i++) {
            seen += call.make() != null ? 1 : 0;
        }
        long[] allocated = new long[ATTEMPTS];
        Arrays.fill(allocated, -1);
        for (int attempt = 0; attempt < ATTEMPTS && (attempt == 0 || allocated[attempt - 1] != 0); attempt++) {
            long calibrationStart = threads.getThreadAllocatedBytes(id);
            long calibrationEnd = threads.getThreadAllocatedBytes(id);
            long start = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < MEASURED_CALLS; i++) {
                seen += call.make() != null ? 1 : 0;
            }
            long end = threads.getThreadAllocatedBytes(id);
            allocated[attempt] = (end - start) - (calibrationEnd - calibrationStart);
        }
        assertThat(seen).isPositive();
        return allocated;
    }

    /** An invocation of {@link #value()} that is made again and again, as Spring's would be without its object. */
    static final class ReusedInvocation implements MethodInvocation {

        private static final Object[] NO_ARGUMENTS = {};
        private static final Method VALUE;
        private static final Method FALLBACK_TAKING_THE_ERROR;
        private static final Method FALLBACK;

        static {
            try {
                VALUE = ReusedInvocation.class.getDeclaredMethod("value");
                FALLBACK_TAKING_THE_ERROR = ReusedInvocation.class.getDeclaredMethod("fallback", Throwable.class);
                FALLBACK = ReusedInvocation.class.getDeclaredMethod("fallback");
            } catch (NoSuchMethodException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        public String value() {
            return "value";
        }

        private String fallback(Throwable error) {
            return error instanceof CallNotPermittedException ? "fallback for CallNotPermittedException" : "other";
        }

        private String fallback() {
            return "fallback";
        }

        @Override
        public Method getMethod() {
            return VALUE;
        }

        @Override
        public Object[] getArguments() {
            return NO_ARGUMENTS;
        }

        @Override
        public Object proceed() {
            return value();
        }

        @Override
        public Object getThis() {
            return this;
        }

        @Override
        public AccessibleObject getStaticPart() {
            return VALUE;
        }
    }
}
