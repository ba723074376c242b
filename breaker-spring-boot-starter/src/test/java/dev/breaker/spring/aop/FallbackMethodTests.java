package dev.breaker.spring.aop;

import dev.breaker.CallNotPermittedException;
import dev.breaker.spring.annotation.CircuitBreaker;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.SocketException;
import java.util.concurrent.TimeoutException;

import static dev.breaker.spring.aop.BlockingCallAdapterTests.throwIfSet;
import static dev.breaker.spring.aop.BreakerContexts.forceOpen;
import static dev.breaker.spring.aop.BreakerContexts.metrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which fallback answers, through a real Spring context: among methods of the fallback's name, the one whose
 * exception parameter most specifically matches the error, else the one without an exception parameter; private and
 * inherited fallbacks; rejections as {@link CallNotPermittedException}.
 */
class FallbackMethodTests {

    private final ApplicationContextRunner runner = BreakerContexts.runner().withUserConfiguration(Config.class);

    @Test
    void mostSpecificExceptionParameter_wins_amongSeveralThatMatch() {
        runner.run(context -> {
            Catalog catalog = context.getBean(Catalog.class);

            catalog.failWith(new FileNotFoundException("gone"));
            assertThat(catalog.find("a")).isEqualTo("a:FileNotFoundException-fallback");

            catalog.failWith(new IOException("down"));
            assertThat(catalog.find("a")).isEqualTo("a:IOException-fallback");

            catalog.failWith(new SocketException("reset"));
            assertThat(catalog.find("a")).as("a subclass without its own fallback").isEqualTo("a:IOException-fallback");

            catalog.failWith(new IllegalStateException("bug"));
            assertThat(catalog.find("a")).isEqualTo("a:RuntimeException-fallback(IllegalStateException)");
        });
    }

    @Test
    void fallbackWithoutExceptionParameter_takesWhatNoOtherMatches() {
        runner.run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            catalog.failWith(new TimeoutException("slow"));

            assertThat(catalog.find("a")).isEqualTo("a:any-fallback");
        });
    }

    @Test
    void rejection_goesToTheFallbackTakingASupertypeOfCallNotPermittedException() {
        runner.run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            forceOpen(context, "catalog");

            assertThat(catalog.find("a")).isEqualTo("a:RuntimeException-fallback(CallNotPermittedException)");
            assertThat(catalog.invocations()).isZero();
        });
    }

    @Test
    void rejection_goesToTheFallbackTakingCallNotPermittedException_failuresToTheOther() {
        runner.run(context -> {
            Inventory inventory = context.getBean(Inventory.class);

            inventory.failWith(new IOException("down"));
            assertThat(inventory.stock("a")).isEqualTo("a:failed(IOException)");

            forceOpen(context, "inventory");
            assertThat(inventory.stock("a")).isEqualTo("a:rejected(inventory)");
        });
    }

    @Test
    void errorNoFallbackTakes_propagatesUnchanged_andIsStillRecorded() {
        runner.run(context -> {
            Pricing pricing = context.getBean(Pricing.class);
            IllegalStateException notTaken = new IllegalStateException("no fallback takes it");
            pricing.failWith(notTaken);

            assertThatThrownBy(() -> pricing.price("a")).isSameAs(notTaken);
            assertThat(metrics(context, "pricing").totalFailures()).isEqualTo(1);

            forceOpen(context, "pricing");
            assertThatThrownBy(() -> pricing.price("a")).as("no fallback takes the rejection either")
                    .isInstanceOf(CallNotPermittedException.class);
            assertThat(pricing.invocations()).as("only the first call reached the method").isEqualTo(1);
        });
    }

    @Test
    void privateFallback_isCalledOnTheTarget_withTheCallsArguments() {
        runner.run(context -> {
            Pricing pricing = context.getBean(Pricing.class);
            pricing.failWith(new IOException("down"));

            assertThat(pricing.price("sku-1")).isEqualTo("sku-1:private-fallback(IOException)");
        });
    }

    @Test
    void fallbackInheritedFromASuperclass_answers() {
        runner.run(context -> {
            Shipping shipping = context.getBean(Shipping.class);
            shipping.failWith(new IOException("down"));

            assertThat(shipping.quote("a")).isEqualTo("a:inherited-fallback(IOException)");
        });
    }

    @Test
    void fallbackOverriddenInTheSubclass_winsOverTheSuperclasss() {
        runner.run(context -> {
            Shipping shipping = context.getBean(Shipping.class);
            shipping.failWith(new IOException("down"));

            assertThat(shipping.track("a")).isEqualTo("a:overriding-fallback");
        });
    }

    @Test
    void fallbackThatThrows_propagatesItsOwnException() {
        runner.run(context -> {
            Shipping shipping = context.getBean(Shipping.class);
            shipping.failWith(new IOException("down"));

            assertThatThrownBy(() -> shipping.cancel("a")).isInstanceOf(IllegalStateException.class)
                    .hasMessage("fallback failed too for a");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Config {

        @Bean
        Catalog catalog() {
            return new Catalog();
        }

        @Bean
        Inventory inventory() {
            return new Inventory();
        }

        @Bean
        Pricing pricing() {
            return new Pricing();
        }

        @Bean
        Shipping shipping() {
            return new Shipping();
        }
    }

    /** A bean whose protected methods throw what the test says. */
    abstract static class Scripted {

        private volatile @Nullable Throwable failure;
        private volatile int invocations;

        public void failWith(@Nullable Throwable failure) {
            this.failure = failure;
        }

        public int invocations() {
            return invocations;
        }

        void call() {
            invocations++;
            throwIfSet(failure);
        }
    }

    static class Catalog extends Scripted {

        @CircuitBreaker(name = "catalog", fallbackMethod = "fallback")
        public String find(String id) {
            call();
            return "value-" + id;
        }

        private String fallback(String id, FileNotFoundException error) {
            return id + ":FileNotFoundException-fallback";
        }

        private String fallback(String id, IOException error) {
            return id + ":IOException-fallback";
        }

        String fallback(String id, RuntimeException error) {
            return id + ":RuntimeException-fallback(" + error.getClass().getSimpleName() + ")";
        }

        String fallback(String id) {
            return id + ":any-fallback";
        }
    }

    static class Inventory extends Scripted {

        @CircuitBreaker(name = "inventory", fallbackMethod = "fallback")
        public String stock(String id) {
            call();
            return "value-" + id;
        }

        String fallback(String id, CallNotPermittedException rejection) {
            return id + ":rejected(" + rejection.breakerName() + ")";
        }

        String fallback(String id, Exception error) {
            return id + ":failed(" + error.getClass().getSimpleName() + ")";
        }
    }

    static class Pricing extends Scripted {

        @CircuitBreaker(name = "pricing", fallbackMethod = "fallback")
        public String price(String id) {
            call();
            return "value-" + id;
        }

        private String fallback(String id, IOException error) {
            return id + ":private-fallback(" + error.getClass().getSimpleName() + ")";
        }
    }

    abstract static class ShippingBase extends Scripted {

        protected String inheritedFallback(String id, Exception error) {
            return id + ":inherited-fallback(" + error.getClass().getSimpleName() + ")";
        }

        protected String trackFallback(String id) {
            return id + ":superclass-fallback";
        }
    }

    static class Shipping extends ShippingBase {

        @CircuitBreaker(name = "shipping-quote", fallbackMethod = "inheritedFallback")
        public String quote(String id) {
            call();
            return "value-" + id;
        }

        @CircuitBreaker(name = "shipping-track", fallbackMethod = "trackFallback")
        public String track(String id) {
            call();
            return "value-" + id;
        }

        @Override
        protected String trackFallback(String id) {
            return id + ":overriding-fallback";
        }

        @CircuitBreaker(name = "shipping-cancel", fallbackMethod = "cancelFallback")
        public String cancel(String id) {
            call();
            return "value-" + id;
        }

        String cancelFallback(String id) {
            throw new IllegalStateException("fallback failed too for " + id);
        }
    }
}
