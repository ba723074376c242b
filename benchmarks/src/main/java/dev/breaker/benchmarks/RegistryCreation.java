package dev.breaker.benchmarks;

import dev.breaker.BreakerConfig;
import dev.breaker.BreakerRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The time to create 10,000 breakers (count window of 100) in a fresh registry: one shot per iteration, many
 * iterations so that the JIT has compiled the creation path. Names are made beforehand. Single-threaded by design.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 40)
@Measurement(iterations = 20)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Thread)
public class RegistryCreation {

    static final int BREAKERS = 10_000;

    private final String[] names = new String[BREAKERS];
    private final BreakerConfig breakerConfig = Fixtures.breakerCountWindow();
    private final CircuitBreakerConfig resilience4jConfig = Fixtures.resilience4jCountWindow(false);
    private BreakerRegistry breakers;
    private CircuitBreakerRegistry resilience4jBreakers;

    @Setup(Level.Trial)
    public void names() {
        for (int i = 0; i < BREAKERS; i++) {
            names[i] = "breaker-" + i;
        }
    }

    @Setup(Level.Iteration)
    public void freshRegistries() {
        breakers = BreakerRegistry.of(breakerConfig);
        resilience4jBreakers = CircuitBreakerRegistry.of(resilience4jConfig);
    }

    @Benchmark
    public Object create10k_breaker() {
        BreakerRegistry registry = breakers;
        for (String name : names) {
            registry.breaker(name);
        }
        return registry;
    }

    @Benchmark
    public Object create10k_resilience4j() {
        CircuitBreakerRegistry registry = resilience4jBreakers;
        for (String name : names) {
            registry.circuitBreaker(name);
        }
        return registry;
    }
}
