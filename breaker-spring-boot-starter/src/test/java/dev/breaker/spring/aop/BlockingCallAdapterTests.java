package dev.breaker.spring.aop;

import dev.breaker.BreakerMetrics;
import dev.breaker.CallNotPermittedException;
import dev.breaker.spring.annotation.CircuitBreaker;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

import static dev.breaker.spring.aop.BreakerContexts.forceOpen;
import static dev.breaker.spring.aop.BreakerContexts.metrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Methods returning a plain value, a primitive or nothing, protected through a real Spring context: the outcome is
 * recorded on return, rejections throw or go to the fallback.
 */
class BlockingCallAdapterTests {

    private final ApplicationContextRunner runner = BreakerContexts.runner()
            .withUserConfiguration(Config.class)
            .withPropertyValues(
                    "breaker.instances.plain.ignore-exceptions=java.lang.IllegalArgumentException",
                    "breaker.instances.plain-fb.ignore-exceptions=java.lang.IllegalArgumentException",
                    "breaker.instances.selective.record-exceptions=java.io.IOException");

    // --- plain object -------------------------------------------------------------------------------------

    @Test
    void plainValue_success_returnsValueAndRecordsSuccess() {
        runner.run(context -> {
            Remote remote = context.getBean(Remote.class);

            assertThat(remote.plain("a")).isEqualTo("value-a");

            assertThat(metrics(context, "plain").totalSuccesses()).isEqualTo(1);
            assertThat(metrics(context, "plain").totalFailures()).isZero();
        });
    }

    @Test
    void plainValue_failureWithoutFallback_rethrowsSameExceptionAndRecordsFailure() {
        runner.run(context -> {
            Remote remote = context.getBean(Remote.class);
            IOException failure = new IOException("down");
            remote.failWith(failure);

            assertThatThrownBy(() -> remote.plain("a")).isSameAs(failure);

            assertThat(metrics(context, "plain").totalFailures()).isEqualTo(1);
            assertThat(metrics(context, "plain").totalSuccesses()).isZero();
        });
    }

    @Test
    void plainValue_rejectedWithoutFallback_throwsCallNotPermittedWithoutCallingTheMethod() {
        runner.run(context -> {
            Remote remote = context.getBean(Remote.class);
            forceOpen(context, "plain");

            assertThatThrownBy(() -> remote.plain("a")).isInstanceOf(CallNotPermittedException.class)
                    .satisfies(e -> assertThat(((CallNotPermittedException) e).breakerName()).isEqualTo("plain"));

            assertThat(remote.invocations()).isZero();
            assertThat(metrics(context, "plain").totalNotPermitted()).isEqualTo(1);
        });
    }

    @Test
    void plainValue_failureWithFallback_answersFromFallbackAndRecordsFailure() {
        runner.run(context -> {
            RemoteWithFallbacks remote = context.getBean(RemoteWithFallbacks.class);
            remote.failWith(new IOException("down"));

            assertThat(remote.plain("a")).isEqualTo("fallback-a:IOException");

            assertThat(metrics(context, "plain-fb").totalFailures()).isEqualTo(1);
        });
    }

    @Test
    void plainValue_rejectedWithFallback_answersFromFallbackWithTheRejection() {
        runner.run(context -> {
            RemoteWithFallbacks remote = context.getBean(RemoteWithFallbacks.class);
            forceOpen(context, "plain-fb");

            assertThat(remote.plain("a")).isEqualTo("fallback-a:CallNotPermittedException");

            assertThat(remote.invocations()).isZero();
            assertThat(metrics(context, "plain-fb").totalNotPermitted()).isEqualTo(1);
        });
    }

    @Test
    void plainValue_successWithFallback_returnsTheMethodsValue() {
        runner.run(context -> {
            RemoteWithFallbacks remote = context.getBean(RemoteWithFallbacks.class);

            assertThat(remote.plain("a")).isEqualTo("value-a");

            assertThat(metrics(context, "plain-fb").totalSuccesses()).isEqualTo(1);
        });
    }

    // --- primitives -------------------------------------------------------------------------------------------

    @Test
    void primitiveInt_successFailureAndRejection_recordedAndAnswered() {
        runner.run(context -> {
            Remote remote = context.getBean(Remote.class);
            RemoteWithFallbacks withFallback = context.getBean(RemoteWithFallbacks.class);

            assertThat(remote.count("a")).isEqualTo(42);
            assertThat(metrics(context, "int").totalSuccesses()).isEqualTo(1);

            IllegalStateException failure = new IllegalStateException("down");
            remote.failWith(failure);
            assertThatThrownBy(() -> remote.count("a")).isSameAs(failure);
            assertThat(metrics(context, "int").totalFailures()).isEqualTo(1);

            forceOpen(context, "int");
            assertThatThrownBy(() -> remote.count("a")).isInstanceOf(CallNotPermittedException.class);

            withFallback.failWith(failure);
            assertThat(withFallback.count("a")).isEqualTo(-1);
            assertThat(metrics(context, "int-fb").totalFailures()).isEqualTo(1);
            forceOpen(context, "int-fb");
            assertThat(withFallback.count("a")).isEqualTo(-1);
            assertThat(metrics(context, "int-fb").totalNotPermitted()).isEqualTo(1);
        });
    }

    @Test
    void primitiveBoolean_successFailureAndRejection_recordedAndAnswered() {
        runner.run(context -> {
            Remote remote = context.getBean(Remote.class);
            RemoteWithFallbacks withFallback = context.getBean(RemoteWithFallbacks.class);

            assertThat(remote.available()).isTrue();
            assertThat(metrics(context, "boolean").totalSuccesses()).isEqualTo(1);

            IllegalStateException failure = new IllegalStateException("down");
            remote.failWith(failure);
            assertThatThrownBy(remote::available).isSameAs(failure);
            assertThat(metrics(context, "boolean").totalFailures()).isEqualTo(1);

            forceOpen(context, "boolean");
            assertThatThrownBy(remote::available).isInstanceOf(CallNotPermittedException.class);

            withFallback.failWith(failure);
            assertThat(withFallback.available()).isFalse();
            assertThat(metrics(context, "boolean-fb").totalFailures()).isEqualTo(1);
            forceOpen(context, "boolean-fb");
            assertThat(withFallback.available()).isFalse();
        });
    }

    // --- void -------------------------------------------------------------------------------------------------

    @Test
    void voidMethod_successFailureAndRejection_recordedAndAnswered() {
        runner.run(context -> {
            Remote remote = context.getBean(Remote.class);
            RemoteWithFallbacks withFallback = context.getBean(RemoteWithFallbacks.class);
            List<String> sink = new ArrayList<>();

            remote.send(sink);
            assertThat(sink).containsExactly("sent");
            assertThat(metrics(context, "void").totalSuccesses()).isEqualTo(1);

            IllegalStateException failure = new IllegalStateException("down");
            remote.failWith(failure);
            assertThatThrownBy(() -> remote.send(sink)).isSameAs(failure);
            assertThat(metrics(context, "void").totalFailures()).isEqualTo(1);

            forceOpen(context, "void");
            assertThatThrownBy(() -> remote.send(sink)).isInstanceOf(CallNotPermittedException.class);

            sink.clear();
            withFallback.failWith(failure);
            withFallback.send(sink);
            forceOpen(context, "void-fb");
            withFallback.send(sink);
            assertThat(sink).containsExactly("fallback:IllegalStateException", "fallback:CallNotPermittedException");
            assertThat(metrics(context, "void-fb").totalFailures()).isEqualTo(1);
            assertThat(metrics(context, "void-fb").totalNotPermitted()).isEqualTo(1);
        });
    }

    // --- errors, ignored and unrecorded exceptions ----------------------------------------------------------

    @Test
    void error_isRecordedAndPropagates_neverAnsweredByAFallbackThatTakesThrowable() {
        runner.run(context -> {
            RemoteWithFallbacks remote = context.getBean(RemoteWithFallbacks.class);
            AssertionError error = new AssertionError("broken invariant");
            remote.failWith(error);

            assertThatThrownBy(() -> remote.plain("a")).isSameAs(error);

            assertThat(metrics(context, "plain-fb").totalFailures()).isEqualTo(1);
        });
    }

    @Test
    void errorWrappedInCompletionException_isRecordedAndPropagates_neverAnsweredByTheFallback() {
        runner.run(context -> {
            RemoteWithFallbacks remote = context.getBean(RemoteWithFallbacks.class);
            AssertionError error = new AssertionError("broken invariant");
            // What a blocking method that joins a task throws when the task threw an Error.
            CompletionException joined = new CompletionException(error);
            remote.failWith(joined);

            Object[] answer = new Object[1];
            Throwable thrown = catchThrowable(() -> answer[0] = remote.plain("a"));

            assertThat(thrown).as("propagated, but the fallback answered %s", answer[0]).isSameAs(joined);

            assertThat(metrics(context, "plain-fb").totalFailures()).isEqualTo(1);
        });
    }

    @Test
    void ignoredException_propagatesUnchanged_withoutFallback_andIsNotCountedAsFailure() {
        runner.run(context -> {
            Remote remote = context.getBean(Remote.class);
            RemoteWithFallbacks withFallback = context.getBean(RemoteWithFallbacks.class);
            IllegalArgumentException ignored = new IllegalArgumentException("bad id");
            remote.failWith(ignored);
            withFallback.failWith(ignored);

            assertThatThrownBy(() -> remote.plain("a")).isSameAs(ignored);
            assertThatThrownBy(() -> withFallback.plain("a")).isSameAs(ignored);

            for (String name : List.of("plain", "plain-fb")) {
                BreakerMetrics metrics = metrics(context, name);
                assertThat(metrics.totalFailures()).as(name).isZero();
                assertThat(metrics.totalSuccesses()).as(name).isZero();
                assertThat(metrics.totalIgnored()).as(name).isEqualTo(1);
            }
        });
    }

    @Test
    void exceptionNeitherRecordedNorIgnored_propagatesWithoutFallback_andCountsAsSuccess() {
        runner.run(context -> {
            RemoteWithFallbacks remote = context.getBean(RemoteWithFallbacks.class);
            UnsupportedOperationException notRecorded = new UnsupportedOperationException("not recorded");
            remote.failWith(notRecorded);

            assertThatThrownBy(() -> remote.selective("a")).isSameAs(notRecorded);
            assertThat(metrics(context, "selective").totalSuccesses()).isEqualTo(1);
            assertThat(metrics(context, "selective").totalFailures()).isZero();

            remote.failWith(new IOException("recorded"));
            assertThat(remote.selective("a")).isEqualTo("fallback-a:IOException");
            assertThat(metrics(context, "selective").totalFailures()).isEqualTo(1);
        });
    }

    /** Throws {@code failure} as it is, checked or not. */
    @SuppressWarnings("unchecked")
    static <T extends Throwable> void throwIfSet(@Nullable Throwable failure) throws T {
        if (failure != null) {
            throw (T) failure;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Config {

        @Bean
        Remote remote() {
            return new Remote();
        }

        @Bean
        RemoteWithFallbacks remoteWithFallbacks() {
            return new RemoteWithFallbacks();
        }
    }

    static class Remote {

        private volatile @Nullable Throwable failure;
        private volatile int invocations;

        /** Makes the protected methods throw {@code failure}; through the proxy, so that the target sees it. */
        public void failWith(@Nullable Throwable failure) {
            this.failure = failure;
        }

        public int invocations() {
            return invocations;
        }

        @CircuitBreaker(name = "plain")
        public String plain(String id) throws IOException {
            invocations++;
            throwIfSet(failure);
            return "value-" + id;
        }

        @CircuitBreaker(name = "int")
        public int count(String id) {
            throwIfSet(failure);
            return 42;
        }

        @CircuitBreaker(name = "boolean")
        public boolean available() {
            throwIfSet(failure);
            return true;
        }

        @CircuitBreaker(name = "void")
        public void send(List<String> sink) {
            throwIfSet(failure);
            sink.add("sent");
        }
    }

    static class RemoteWithFallbacks {

        private volatile @Nullable Throwable failure;
        private volatile int invocations;

        /** Makes the protected methods throw {@code failure}; through the proxy, so that the target sees it. */
        public void failWith(@Nullable Throwable failure) {
            this.failure = failure;
        }

        public int invocations() {
            return invocations;
        }

        @CircuitBreaker(name = "plain-fb", fallbackMethod = "plainFallback")
        public String plain(String id) throws IOException {
            invocations++;
            throwIfSet(failure);
            return "value-" + id;
        }

        String plainFallback(String id, Throwable error) {
            return "fallback-" + id + ":" + error.getClass().getSimpleName();
        }

        @CircuitBreaker(name = "int-fb", fallbackMethod = "countFallback")
        public int count(String id) {
            throwIfSet(failure);
            return 42;
        }

        int countFallback(String id) {
            return -1;
        }

        @CircuitBreaker(name = "boolean-fb", fallbackMethod = "availableFallback")
        public boolean available() {
            throwIfSet(failure);
            return true;
        }

        boolean availableFallback(Exception error) {
            return false;
        }

        @CircuitBreaker(name = "void-fb", fallbackMethod = "sendFallback")
        public void send(List<String> sink) {
            throwIfSet(failure);
            sink.add("sent");
        }

        void sendFallback(List<String> sink, Exception error) {
            sink.add("fallback:" + error.getClass().getSimpleName());
        }

        @CircuitBreaker(name = "selective", fallbackMethod = "plainFallback")
        public String selective(String id) throws IOException {
            throwIfSet(failure);
            return "value-" + id;
        }
    }
}
