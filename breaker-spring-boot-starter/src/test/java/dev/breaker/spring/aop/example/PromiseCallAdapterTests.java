package dev.breaker.spring.aop.example;

import dev.breaker.BreakerMetrics;
import dev.breaker.BreakerRegistry;
import dev.breaker.spring.annotation.CircuitBreaker;
import dev.breaker.spring.aop.CallAdapter;
import dev.breaker.spring.aop.ContainerCallAdapter;
import dev.breaker.spring.aop.ProtectedCall;
import dev.breaker.spring.autoconfigure.BreakerAutoConfiguration;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CallAdapter} is an extension point: an adapter for a future type of the application's own, written in
 * another package against the starter's public API only, protects methods returning it like the built-in adapters
 * protect {@code CompletableFuture}s, fallbacks included.
 */
class PromiseCallAdapterTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, BreakerAutoConfiguration.class))
            .withUserConfiguration(Config.class);

    @Test
    void outcome_isRecordedWhenThePromiseSettles_notWhenTheMethodReturns() {
        runner.run(context -> {
            Remote remote = context.getBean(Remote.class);
            Promise<String> pending = new Promise<>();
            remote.answerWith(pending);

            Promise<String> answer = remote.find("a");
            assertThat(metrics(context, "promise").totalCalls()).isZero();
            pending.resolve("value");

            assertThat(answer.value()).isEqualTo("value");
            assertThat(metrics(context, "promise").totalSuccesses()).isEqualTo(1);
        });
    }

    @Test
    void failure_isRecorded_andAnsweredByAPlainValueFallback() {
        runner.run(context -> {
            Remote remote = context.getBean(Remote.class);
            remote.answerWith(Promise.rejected(new IOException("down")));

            assertThat(remote.find("a").value()).isEqualTo("fallback-a:IOException");
            assertThat(metrics(context, "promise").totalFailures()).isEqualTo(1);
        });
    }

    @Test
    void rejection_isAnsweredByTheFallback_withoutCallingTheMethod() {
        runner.run(context -> {
            Remote remote = context.getBean(Remote.class);
            context.getBean(BreakerRegistry.class).breaker("promise").forceOpen();
            remote.answerWith(Promise.rejected(new AssertionError("must not be called")));

            assertThat(remote.find("a").value()).isEqualTo("fallback-a:CallNotPermittedException");
            assertThat(metrics(context, "promise").totalNotPermitted()).isEqualTo(1);
        });
    }

    @Test
    void fallbackOfAnotherType_stopsTheApplication_namingWhatTheAdapterAccepts() {
        runner.withBean(BadFallback.class).run(context -> assertThat(context.getStartupFailure()).rootCause()
                .hasMessageContaining("it returns Integer, which cannot stand in for Promise<String> or String"));
    }

    private static BreakerMetrics metrics(ApplicationContext context, String name) {
        return context.getBean(BreakerRegistry.class).find(name).orElseThrow().metrics();
    }

    /** The application's own future type: settled once, with a value or an error; callbacks run on settling. */
    static final class Promise<T> {

        private @Nullable T value;
        private @Nullable Throwable error;
        private boolean settled;
        private final List<BiConsumer<? super @Nullable T, ? super @Nullable Throwable>> callbacks = new ArrayList<>();

        static <T> Promise<T> resolved(@Nullable T value) {
            Promise<T> promise = new Promise<>();
            promise.resolve(value);
            return promise;
        }

        static <T> Promise<T> rejected(Throwable error) {
            Promise<T> promise = new Promise<>();
            promise.reject(error);
            return promise;
        }

        synchronized void resolve(@Nullable T value) {
            settle(value, null);
        }

        synchronized void reject(Throwable error) {
            settle(null, error);
        }

        synchronized void onSettled(BiConsumer<? super @Nullable T, ? super @Nullable Throwable> callback) {
            if (settled) {
                callback.accept(value, error);
            } else {
                callbacks.add(callback);
            }
        }

        synchronized @Nullable T value() {
            assertThat(settled).as("settled").isTrue();
            assertThat(error).as("error").isNull();
            return value;
        }

        private void settle(@Nullable T value, @Nullable Throwable error) {
            if (settled) {
                return;
            }
            this.value = value;
            this.error = error;
            this.settled = true;
            callbacks.forEach(callback -> callback.accept(value, error));
        }
    }

    /** The adapter: one permit per call, ended exactly once when the promise settles. */
    static final class PromiseCallAdapter extends ContainerCallAdapter {

        PromiseCallAdapter() {
            super(Promise.class);
        }

        @Override
        public boolean supports(Method method) {
            return method.getReturnType() == Promise.class;
        }

        @Override
        public @Nullable Object invoke(MethodInvocation invocation, ProtectedCall call) throws Throwable {
            long permit = call.acquire();
            if (!ProtectedCall.isPermitted(permit)) {
                try {
                    return promise(call.rejected(invocation, permit));
                } catch (Exception rejection) {
                    return Promise.rejected(rejection);
                }
            }
            long start = call.startTimer();
            Promise<?> source;
            try {
                source = (Promise<?>) invocation.proceed();
            } catch (Throwable error) {
                if (call.failed(permit, start, error)) {
                    return promise(call.fallBack(invocation, error));
                }
                throw error;
            }
            Promise<Object> answer = new Promise<>();
            source.onSettled((value, error) -> {
                if (error == null) {
                    call.succeeded(permit, start, value);
                    answer.resolve(value);
                } else if (call.failed(permit, start, error)) {
                    try {
                        promise(call.fallBack(invocation, error)).onSettled((fallback, failure) -> {
                            if (failure == null) {
                                answer.resolve(fallback);
                            } else {
                                answer.reject(failure);
                            }
                        });
                    } catch (Throwable failure) {
                        answer.reject(failure);
                    }
                } else {
                    answer.reject(error);
                }
            });
            return answer;
        }

        /** A fallback's answer, which may be a promise or a plain value. */
        @SuppressWarnings("unchecked")
        private static Promise<Object> promise(@Nullable Object answer) {
            return answer instanceof Promise<?> promise ? (Promise<Object>) promise : Promise.resolved(answer);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Config {

        @Bean
        PromiseCallAdapter promiseCallAdapter() {
            return new PromiseCallAdapter();
        }

        @Bean
        Remote remote() {
            return new Remote();
        }
    }

    static class Remote {

        private volatile Promise<String> answer = Promise.resolved("value");

        /** The promise the protected method returns from now on. */
        public void answerWith(Promise<String> answer) {
            this.answer = answer;
        }

        @CircuitBreaker(name = "promise", fallbackMethod = "fallback")
        public Promise<String> find(String id) {
            return answer;
        }

        String fallback(String id, Exception error) {
            return "fallback-" + id + ":" + error.getClass().getSimpleName();
        }
    }

    static class BadFallback {

        @CircuitBreaker(name = "bad", fallbackMethod = "fallback")
        public Promise<String> find(String id) {
            return Promise.resolved(id);
        }

        Integer fallback(String id) {
            return 0;
        }
    }
}
