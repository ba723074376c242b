package dev.breaker.spring.aop;

import dev.breaker.CallTimeoutException;
import dev.breaker.FakeTicker;
import dev.breaker.spring.annotation.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static dev.breaker.spring.aop.BreakerContexts.metrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Timeouts of methods returning a plain value, through a real Spring context: a call that returns after its timeout
 * is a failure, its value dropped, answered by the fallback or failing with a {@link CallTimeoutException}. Time is
 * a fake ticker the call moves, except where a thread must really be interrupted (or really not be): there the
 * waits are bounded.
 */
@Timeout(60)
class BlockingCallTimeoutTests {

    private final ApplicationContextRunner runner = BreakerContexts.runner()
            .withUserConfiguration(Config.class, BreakerContexts.FakeTimeConfiguration.class)
            .withPropertyValues(
                    "breaker.instances.blocking.timeout=1s",
                    "breaker.instances.blocking.record-exceptions=java.io.IOException",
                    "breaker.instances.blocking-fb.timeout=1s",
                    "breaker.instances.overridden.timeout=3s");

    /** Real time, for the tests where a thread is interrupted or must not be. */
    private final ApplicationContextRunner realTime = BreakerContexts.runner()
            .withUserConfiguration(Config.class)
            .withPropertyValues("breaker.instances.blocking.timeout=50ms",
                    "breaker.instances.blocking-fb.timeout=50ms",
                    "breaker.instances.blocking-fb.timeout-interrupt=true");

    @Test
    void callReturningAfterTheTimeout_withoutFallback_failsWithCallTimeoutException_recordedAsAFailure() {
        runner.run(context -> {
            Remote remote = context.getBean(Remote.class);
            FakeTicker ticker = context.getBean(FakeTicker.class);
            remote.body(() -> {
                ticker.advance(Duration.ofMillis(1001));
                return "late";
            });

            assertThatThrownBy(() -> remote.blocking("a")).isInstanceOfSatisfying(CallTimeoutException.class, e -> {
                assertThat(e.breakerName()).isEqualTo("blocking");
                assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(1));
            });

            assertThat(metrics(context, "blocking").totalFailures())
                    .as("a failure although record-exceptions names only IOException").isEqualTo(1);
            assertThat(metrics(context, "blocking").totalSuccesses()).isZero();
        });
    }

    @Test
    void callReturningWithinTheTimeout_isASuccess() {
        runner.run(context -> {
            Remote remote = context.getBean(Remote.class);
            FakeTicker ticker = context.getBean(FakeTicker.class);
            remote.body(() -> {
                ticker.advance(Duration.ofSeconds(1));
                return "in time";
            });

            assertThat(remote.blocking("a")).isEqualTo("in time");
            assertThat(remote.blockingWithFallback("a")).isEqualTo("in time");

            assertThat(metrics(context, "blocking").totalSuccesses()).isEqualTo(1);
            assertThat(metrics(context, "blocking-fb").totalSuccesses()).isEqualTo(1);
        });
    }

    @Test
    void callReturningAfterTheTimeout_withFallback_isAnsweredByTheFallback_itsValueDropped() {
        runner.run(context -> {
            Remote remote = context.getBean(Remote.class);
            FakeTicker ticker = context.getBean(FakeTicker.class);
            remote.body(() -> {
                ticker.advance(Duration.ofSeconds(5));
                return "late";
            });

            assertThat(remote.blockingWithFallback("a")).isEqualTo("fallback-a: timeout of blocking-fb after 1000 ms");
            assertThat(metrics(context, "blocking-fb").totalFailures()).isEqualTo(1);
        });
    }

    @Test
    void callFailingAfterTheTimeout_isATimeout_notItsOwnError() {
        runner.run(context -> {
            Remote remote = context.getBean(Remote.class);
            FakeTicker ticker = context.getBean(FakeTicker.class);
            remote.body(() -> {
                ticker.advance(Duration.ofSeconds(2));
                throw new UncheckedIOException(new IOException("connection reset"));
            });

            assertThat(remote.blockingWithFallback("a")).isEqualTo("fallback-a: timeout of blocking-fb after 1000 ms");
            assertThatThrownBy(() -> remote.blocking("a")).isInstanceOf(CallTimeoutException.class);
        });
    }

    @Test
    void errorAfterTheTimeout_propagates() {
        runner.run(context -> {
            Remote remote = context.getBean(Remote.class);
            FakeTicker ticker = context.getBean(FakeTicker.class);
            AssertionError error = new AssertionError("broken invariant");
            remote.body(() -> {
                ticker.advance(Duration.ofSeconds(2));
                throw error;
            });

            assertThatThrownBy(() -> remote.blockingWithFallback("a")).isSameAs(error);
        });
    }

    @Test
    void annotationTimeout_appliesWhileTheBreakerHasNone() {
        runner.run(context -> {
            Remote remote = context.getBean(Remote.class);
            FakeTicker ticker = context.getBean(FakeTicker.class);
            remote.body(() -> {
                ticker.advance(Duration.ofMillis(1500));
                return "late";
            });

            assertThatThrownBy(remote::annotated).isInstanceOfSatisfying(CallTimeoutException.class,
                    e -> assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(1)));
            assertThat(metrics(context, "annotated").totalFailures()).isEqualTo(1);
            assertThat(metrics(context, "annotated").timeout()).as("the breaker itself has no timeout").isNull();
        });
    }

    @Test
    void breakersTimeoutProperty_winsOverTheAnnotations() {
        runner.run(context -> {
            Remote remote = context.getBean(Remote.class);
            FakeTicker ticker = context.getBean(FakeTicker.class);
            remote.body(() -> {
                ticker.advance(Duration.ofMillis(1500));
                return "within the property's 3 s";
            });

            assertThat(remote.overridden()).isEqualTo("within the property's 3 s");

            remote.body(() -> {
                ticker.advance(Duration.ofMillis(3001));
                return "late";
            });
            assertThatThrownBy(remote::overridden).isInstanceOfSatisfying(CallTimeoutException.class,
                    e -> assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(3)));
        });
    }

    @Test
    void interruptOn_theBlockedThreadIsInterruptedAtTheTimeout_andTheInterruptDoesNotLeak() {
        realTime.run(context -> {
            Remote remote = context.getBean(Remote.class);
            CountDownLatch never = new CountDownLatch(1);
            AtomicBoolean interrupted = new AtomicBoolean();
            remote.body(() -> {
                try {
                    never.await(30, TimeUnit.SECONDS);
                    return "never interrupted";
                } catch (InterruptedException e) {
                    interrupted.set(true);
                    throw new IllegalStateException("interrupted", e);
                }
            });

            assertThat(remote.blockingWithFallback("a")).isEqualTo("fallback-a: timeout of blocking-fb after 50 ms");

            assertThat(interrupted).as("the wait was interrupted").isTrue();
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt was cleared").isFalse();
            assertThat(never.await(1, TimeUnit.MILLISECONDS)).as("the thread's next wait is not interrupted")
                    .isFalse();
            assertThat(metrics(context, "blocking-fb").totalFailures()).isEqualTo(1);
        });
    }

    @Test
    void interruptOn_aCallEndingInTime_leavesNoInterruptBehind() {
        realTime.run(context -> {
            Remote remote = context.getBean(Remote.class);
            remote.body(() -> "quick");

            assertThat(remote.blockingWithFallback("a")).isEqualTo("quick");

            assertThat(Thread.currentThread().isInterrupted()).isFalse();
            assertThat(metrics(context, "blocking-fb").totalSuccesses()).isEqualTo(1);
        });
    }

    /** Interrupt off (the default): the call runs on past its timeout, and is a failure when it returns. */
    @Test
    void interruptOff_theCallRunsOnUninterrupted_andIsATimeoutWhenItReturns() {
        realTime.run(context -> {
            Remote remote = context.getBean(Remote.class);
            CountDownLatch never = new CountDownLatch(1);
            remote.body(() -> {
                try {
                    // Four times the 50 ms timeout, in which an interrupt would end the wait early.
                    return never.await(200, TimeUnit.MILLISECONDS) ? "counted down" : "waited it out";
                } catch (InterruptedException e) {
                    return "interrupted";
                }
            });

            assertThatThrownBy(() -> remote.blocking("a")).isInstanceOf(CallTimeoutException.class);

            assertThat(remote.lastValue()).isEqualTo("waited it out");
            assertThat(metrics(context, "blocking").totalFailures()).isEqualTo(1);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Config {

        @Bean
        Remote remote() {
            return new Remote();
        }
    }

    static class Remote {

        private volatile Supplier<String> body = () -> "value";
        private volatile String lastValue;

        /** What the protected methods do from now on. */
        void body(Supplier<String> body) {
            this.body = body;
        }

        /** The value the body returned last, whether the caller saw it or not. */
        String lastValue() {
            return lastValue;
        }

        private String call() {
            String value = body.get();
            lastValue = value;
            return value;
        }

        @CircuitBreaker(name = "blocking")
        public String blocking(String id) {
            return call();
        }

        @CircuitBreaker(name = "blocking-fb", fallbackMethod = "fallback")
        public String blockingWithFallback(String id) {
            return call();
        }

        String fallback(String id, CallTimeoutException timeout) {
            return "fallback-" + id + ": timeout of " + timeout.breakerName() + " after " + timeout.timeout().toMillis()
                    + " ms";
        }

        @CircuitBreaker(name = "annotated", timeout = "1s")
        public String annotated() {
            return call();
        }

        @CircuitBreaker(name = "overridden", timeout = "1s")
        public String overridden() {
            return call();
        }
    }
}
