package dev.breaker.benchmarks;

import dev.breaker.Breaker;
import dev.breaker.CircuitState;
import dev.breaker.benchmarks.AnnotatedApps.BreakerService;
import dev.breaker.benchmarks.AnnotatedApps.Resilience4jService;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * OPEN (opened by failures in setup, waiting an hour), through a Spring proxy: an annotated bean method whose
 * breaker rejects the call and whose fallback ({@code fallback(Throwable)}, returning a constant) answers it.
 * {@code resilience4j}: Resilience4j's default, a rejection exception with a stack trace;
 * {@code resilience4jStackless}: {@code writable-stack-trace-enabled=false}, Breaker's default.
 *
 * <p>15 warm-up iterations: the Spring paths take about that long to settle; 10 measured, as in
 * {@link AnnotatedSuccess}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 15, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class AnnotatedRejection {

    @Benchmark
    public String rejectedFallback_breaker(OpenBreakerContext app) {
        return app.service.callWithFallback();
    }

    @Benchmark
    public String rejectedFallback_resilience4j(OpenResilience4jContext app) {
        return app.service.callWithFallback();
    }

    @Benchmark
    public String rejectedFallback_resilience4jStackless(OpenResilience4jContext app) {
        return app.service.callWithFallbackStackless();
    }

    /** Our starter (metrics off), the fallback method's breaker opened. */
    @State(Scope.Benchmark)
    public static class OpenBreakerContext {

        public BreakerService service;
        private Breaker breaker;
        private @Nullable ConfigurableApplicationContext context;

        @Setup(Level.Trial)
        public void start() {
            context = AnnotatedApps.startBreaker();
            service = AnnotatedApps.advisedBean(context, BreakerService.class, "our BreakerAdvisor",
                    AnnotatedApps.breakerAdvice());
            breaker = AnnotatedApps.breaker(context, AnnotatedApps.BREAKER_WITH_FALLBACK);
            AnnotatedApps.open(breaker);
            long before = breaker.metrics().totalNotPermitted();
            AnnotatedApps.requireResult(AnnotatedApps.FALLBACK, service.callWithFallback(), "callWithFallback()");
            Fixtures.require(breaker.metrics().totalNotPermitted() == before + 1,
                    "callWithFallback() through the proxy was not rejected by breaker '" + breaker.name() + "'");
        }

        @TearDown(Level.Trial)
        public void stop() {
            try {
                Fixtures.require(breaker.state() == CircuitState.OPEN, breaker + " not OPEN");
            } finally {
                AnnotatedApps.close(context);
            }
        }
    }

    /** Resilience4j's Spring Boot 4 starter, the fallback methods' breakers opened. */
    @State(Scope.Benchmark)
    public static class OpenResilience4jContext {

        public Resilience4jService service;
        private CircuitBreaker withStackTrace;
        private CircuitBreaker stackless;
        private @Nullable ConfigurableApplicationContext context;

        @Setup(Level.Trial)
        public void start() {
            context = AnnotatedApps.startResilience4j();
            service = AnnotatedApps.advisedBean(context, Resilience4jService.class,
                    "Resilience4j's CircuitBreakerAspect", AnnotatedApps.resilience4jAdvice());
            withStackTrace = AnnotatedApps.resilience4jBreaker(context, AnnotatedApps.BREAKER_WITH_FALLBACK, true);
            stackless = AnnotatedApps.resilience4jBreaker(context, AnnotatedApps.BREAKER_STACKLESS, false);
            AnnotatedApps.open(withStackTrace);
            AnnotatedApps.open(stackless);
            requireRejected(withStackTrace, () -> service.callWithFallback(), "callWithFallback()");
            requireRejected(stackless, () -> service.callWithFallbackStackless(), "callWithFallbackStackless()");
        }

        private static void requireRejected(CircuitBreaker breaker, Supplier<String> call,
                                            String name) {
            long before = breaker.getMetrics().getNumberOfNotPermittedCalls();
            AnnotatedApps.requireResult(AnnotatedApps.FALLBACK, call.get(), name);
            Fixtures.require(breaker.getMetrics().getNumberOfNotPermittedCalls() == before + 1,
                    name + " through the proxy was not rejected by Resilience4j '" + breaker.getName() + "'");
        }

        @TearDown(Level.Trial)
        public void stop() {
            try {
                for (CircuitBreaker breaker : new CircuitBreaker[] {withStackTrace, stackless}) {
                    Fixtures.require(breaker.getState() == CircuitBreaker.State.OPEN,
                            "Resilience4j '" + breaker.getName() + "' not OPEN: " + breaker.getState());
                }
            } finally {
                AnnotatedApps.close(context);
            }
        }
    }
}
