package dev.breaker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The system ticker's coarse clock thread (issue 9, item 7): it stops when interrupted instead of spinning, stops by
 * itself once nobody reads the coarse clock, and so leaves an undeployed application's class loader collectable.
 */
@Timeout(60)
class SystemTickerTest {

    @Test
    void coarseReading_neverAheadOfThePreciseOne_andMoving() {
        Ticker ticker = Ticker.system();
        long first = ticker.readCoarse();
        assertThat(first).isLessThanOrEqualTo(ticker.read());
        awaitTrue(() -> ticker.readCoarse() > first, "the coarse reading moves");
    }

    @Test
    void refresherInterrupted_stopsInsteadOfSpinning_andTheNextReadStartsAFreshOne() throws Exception {
        Ticker ticker = Ticker.system();
        ticker.readCoarse();
        Thread refresher = refresher().orElseThrow(() -> new AssertionError("no refresher running"));
        assertThat(refresher.getName()).isEqualTo("breaker-coarse-ticker");

        refresher.interrupt();
        refresher.join(TimeUnit.SECONDS.toMillis(10));

        assertThat(refresher.isAlive()).as("interrupted refresher ended").isFalse();
        long precise = ticker.readCoarse();
        assertThat(precise).as("read on the precise clock while stopped").isLessThanOrEqualTo(ticker.read());
        awaitTrue(() -> refresher().filter(fresh -> fresh != refresher).isPresent(), "a fresh refresher started");
        awaitTrue(() -> ticker.readCoarse() > precise, "the fresh refresher moves the reading");
    }

    @Test
    void undeployedApplications_leaveNoThreadPinningTheirClassLoader() throws Exception {
        URL classes = Ticker.class.getProtectionDomain().getCodeSource().getLocation();
        List<WeakReference<ClassLoader>> deployments = new ArrayList<>();
        for (int redeploy = 0; redeploy < 3; redeploy++) {
            deployments.add(deployAndUse(classes));
        }

        for (WeakReference<ClassLoader> deployment : deployments) {
            awaitTrue(() -> {
                System.gc();
                return deployment.get() == null;
            }, "an undeployed copy's class loader is collected");
        }
    }

    /** Loads a private copy of the core, as an application server does per deployment, and reads its clock. */
    private static WeakReference<ClassLoader> deployAndUse(URL classes) throws Exception {
        URLClassLoader loader = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader());
        Class<?> tickerType = loader.loadClass(Ticker.class.getName());
        assertThat(tickerType).isNotSameAs(Ticker.class);
        Object ticker = tickerType.getMethod("system").invoke(null);
        long reading = (long) tickerType.getMethod("readCoarse").invoke(ticker);
        assertThat(reading).isLessThanOrEqualTo(System.nanoTime());
        loader.close();
        return new WeakReference<>(loader);
    }

    private static Optional<Thread> refresher() {
        return SystemTicker.CoarseClock.refresher();
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting until " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
