package dev.breaker.benchmarks;

import dev.breaker.Breaker;
import dev.breaker.BreakerConfig;
import dev.breaker.BreakerRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.openjdk.jol.info.GraphLayout;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The retained heap per breaker, measured with JOL by walking object graphs (so the figures do not depend on GC
 * timing):
 *
 * <ul>
 *   <li><b>standalone</b>: the marginal size of one more breaker, {@code (size(1 + N breakers) - size(1)) / N},
 *   which leaves out what breakers share (configuration, clock, ticker) and counts everything else, name
 *   included;</li>
 *   <li><b>in a registry</b>: {@code (size(registry with N breakers) - size(empty registry)) / N}, which adds the
 *   registry's map entry and table slot.</li>
 * </ul>
 *
 * Breakers are fresh (closed, nothing recorded). Sentinel is left out: its breakers are created from global rules
 * per resource, not as objects of their own. Then the heap of {@value #MANY} of our breakers in one registry, in a
 * JVM of its own limited to 1 GiB ({@link RegistryHeap}): the heap in use after a full GC.
 *
 * <p>Run as {@code java -cp benchmarks.jar dev.breaker.benchmarks.Footprint [output.tsv]}, with
 * {@code -Djdk.attach.allowAttachSelf=true} so that JOL can size objects exactly; prints, and writes if asked, one
 * line per case: library, window, standalone bytes, in-registry bytes ({@code -} where the library has no
 * registry); and a line {@code registry-heap}, the number of breakers, the heap in use before and after filling the
 * registry ({@code -} after, if it did not fit).
 */
public final class Footprint {

    private static final int N = 1_000;
    /** The breakers of the registry whose heap is measured in a JVM of its own. */
    static final int MANY = 1_000_000;
    /** The heap of that JVM. */
    static final String MANY_MAX_HEAP = "-Xmx1g";

    private Footprint() {
    }

    public static void main(String[] args) throws IOException {
        // JOL cannot take field offsets of records through Unsafe; this makes it find them another way.
        System.setProperty("jol.magicFieldOffset", "true");
        StringBuilder out = new StringBuilder();
        BreakerConfig countWindow = Fixtures.breakerCountWindow();
        BreakerConfig timeWindow = Fixtures.breakerTimeWindow();
        CircuitBreakerConfig r4jCount = Fixtures.resilience4jCountWindow(false);
        CircuitBreakerConfig r4jCountLockFree = Fixtures.resilience4jCountWindow(true);
        CircuitBreakerConfig r4jTime = Fixtures.resilience4jTimeWindow(false);
        CircuitBreakerConfig r4jTimeLockFree = Fixtures.resilience4jTimeWindow(true);

        line(out, "breaker", "count 100",
                standalone(i -> Breaker.of(name(i), countWindow)),
                inRegistry(() -> BreakerRegistry.of(countWindow), (r, i) -> ((BreakerRegistry) r).breaker(name(i))));
        line(out, "breaker", "time 10 s",
                standalone(i -> Breaker.of(name(i), timeWindow)),
                inRegistry(() -> BreakerRegistry.of(timeWindow), (r, i) -> ((BreakerRegistry) r).breaker(name(i))));
        line(out, "resilience4j", "count 100",
                standalone(i -> CircuitBreaker.of(name(i), r4jCount)),
                inRegistry(() -> CircuitBreakerRegistry.of(r4jCount),
                        (r, i) -> ((CircuitBreakerRegistry) r).circuitBreaker(name(i))));
        line(out, "resilience4jLockFree", "count 100",
                standalone(i -> CircuitBreaker.of(name(i), r4jCountLockFree)),
                inRegistry(() -> CircuitBreakerRegistry.of(r4jCountLockFree),
                        (r, i) -> ((CircuitBreakerRegistry) r).circuitBreaker(name(i))));
        line(out, "resilience4j", "time 10 s",
                standalone(i -> CircuitBreaker.of(name(i), r4jTime)),
                inRegistry(() -> CircuitBreakerRegistry.of(r4jTime),
                        (r, i) -> ((CircuitBreakerRegistry) r).circuitBreaker(name(i))));
        line(out, "resilience4jLockFree", "time 10 s",
                standalone(i -> CircuitBreaker.of(name(i), r4jTimeLockFree)),
                inRegistry(() -> CircuitBreakerRegistry.of(r4jTimeLockFree),
                        (r, i) -> ((CircuitBreakerRegistry) r).circuitBreaker(name(i))));
        line(out, "failsafe", "count 100", standalone(i -> Fixtures.failsafeCountWindow()), -1);
        line(out, "failsafe", "time 10 s", standalone(i -> Fixtures.failsafeTimeWindow()), -1);

        registryHeap(out);

        PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        stdout.print(out);
        if (args.length > 0) {
            Files.writeString(Path.of(args[0]), out, StandardCharsets.UTF_8);
        }
    }

    /** Runs {@link RegistryHeap} in a JVM of its own, and appends its line (after {@code -} if it failed). */
    private static void registryHeap(StringBuilder out) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, MANY_MAX_HEAP, "-cp", System.getProperty("java.class.path"),
                RegistryHeap.class.getName(), Integer.toString(MANY))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        int exit;
        try {
            exit = process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while measuring the heap of " + MANY + " breakers", e);
        }
        String[] figures = printed.split(" ");
        boolean fitted = exit == 0 && figures.length == 2;
        out.append("registry-heap\t").append(MANY).append('\t').append(fitted ? figures[0] : "-").append('\t')
                .append(fitted ? figures[1] : "-").append('\n');
    }

    private static String name(int i) {
        return String.format("breaker-%05d", i);
    }

    private static long standalone(IntFunction<Object> create) {
        Object[] breakers = new Object[N + 1];
        for (int i = 0; i <= N; i++) {
            breakers[i] = create.apply(i);
        }
        long one = GraphLayout.parseInstance(breakers[0]).totalSize();
        long all = GraphLayout.parseInstance(breakers).totalSize(); // the elements are the roots
        return Math.round((all - one) / (double) N);
    }

    private static long inRegistry(Supplier<Object> newRegistry, ObjIntConsumer add) {
        Object empty = newRegistry.get();
        long emptySize = GraphLayout.parseInstance(empty).totalSize();
        Object full = newRegistry.get();
        for (int i = 0; i < N; i++) {
            add.accept(full, i);
        }
        return Math.round((GraphLayout.parseInstance(full).totalSize() - emptySize) / (double) N);
    }

    private static void line(StringBuilder out, String library, String window, long standalone, long inRegistry) {
        out.append(library).append('\t').append(window).append('\t').append(standalone).append('\t')
                .append(inRegistry < 0 ? "-" : Long.toString(inRegistry)).append('\n');
    }

    @FunctionalInterface
    private interface ObjIntConsumer {
        void accept(Object registry, int i);
    }
}
