package dev.breaker.spring.aop;

import dev.breaker.CallTimeoutException;
import dev.breaker.spring.annotation.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.breaker.spring.aop.BreakerContexts.metrics;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Timeouts of methods returning a {@link Mono} or {@link Flux}, through a real Spring context, on Reactor's virtual
 * time: the breaker's timeout is a failure recorded with a {@link CallTimeoutException}, the source cancelled and
 * the fallback answering; a timeout the subscriber applies itself is a cancel.
 */
@Timeout(30)
class ReactorCallTimeoutTests {

    private static final Duration LIMIT = Duration.ofSeconds(2);

    private final ApplicationContextRunner runner = BreakerContexts.runner()
            .withUserConfiguration(Config.class, BreakerContexts.FakeTimeConfiguration.class)
            .withPropertyValues(
                    "breaker.instances.mono.timeout=2s",
                    "breaker.instances.mono-fb.timeout=2s",
                    "breaker.instances.flux.timeout=2s",
                    "breaker.instances.flux-fb.timeout=2s");

    @Test
    void monoWithoutASignalWithinTheTimeout_failsWithCallTimeoutException_cancelsTheSource_andRecordsAFailure() {
        runner.run(context -> {
            ReactiveRemote remote = context.getBean(ReactiveRemote.class);
            remote.answer(Mono.never());

            StepVerifier.withVirtualTime(remote::mono)
                    .expectSubscription()
                    .expectNoEvent(LIMIT.minusMillis(1))
                    .thenAwait(Duration.ofMillis(1))
                    .expectErrorSatisfies(error -> assertThat(error).isInstanceOfSatisfying(
                            CallTimeoutException.class, timeout -> {
                                assertThat(timeout.breakerName()).isEqualTo("mono");
                                assertThat(timeout.timeout()).isEqualTo(LIMIT);
                            }))
                    .verify();

            assertThat(remote.cancelledSources()).isEqualTo(1);
            assertThat(metrics(context, "mono").totalFailures()).isEqualTo(1);
        });
    }

    @Test
    void monoTimingOut_withFallback_isAnsweredByTheFallback() {
        runner.run(context -> {
            ReactiveRemote remote = context.getBean(ReactiveRemote.class);
            remote.answer(Mono.never());

            StepVerifier.withVirtualTime(remote::monoWithFallback)
                    .thenAwait(LIMIT)
                    .expectNext("fallback:CallTimeoutException")
                    .verifyComplete();

            assertThat(remote.cancelledSources()).isEqualTo(1);
            assertThat(metrics(context, "mono-fb").totalFailures()).isEqualTo(1);
        });
    }

    @Test
    void monoAnsweringWithinTheTimeout_isASuccess() {
        runner.run(context -> {
            ReactiveRemote remote = context.getBean(ReactiveRemote.class);
            // Assembled on virtual time, like the breaker's timeout.
            StepVerifier.withVirtualTime(() -> {
                        remote.answer(Mono.delay(LIMIT.minusMillis(1)).map(tick -> "value"));
                        return remote.monoWithFallback();
                    })
                    .thenAwait(LIMIT)
                    .expectNext("value")
                    .verifyComplete();

            assertThat(metrics(context, "mono-fb").totalSuccesses()).isEqualTo(1);
            assertThat(metrics(context, "mono-fb").totalFailures()).isZero();
        });
    }

    @Test
    void fluxSignallingEachValueWithinTheTimeout_isASuccess_howeverLongItLasts() {
        runner.run(context -> {
            ReactiveRemote remote = context.getBean(ReactiveRemote.class);
            StepVerifier.withVirtualTime(() -> {
                        remote.answer(Flux.interval(Duration.ofSeconds(1)).take(5).map(tick -> "tick-" + tick));
                        return remote.flux();
                    })
                    .thenAwait(Duration.ofSeconds(5))
                    .expectNext("tick-0", "tick-1", "tick-2", "tick-3", "tick-4")
                    .verifyComplete();

            assertThat(metrics(context, "flux").totalSuccesses()).isEqualTo(1);
        });
    }

    @Test
    void fluxStallingAfterAValue_timesOut_isAFailure_andTheFallbackAnswersTheRest() {
        runner.run(context -> {
            ReactiveRemote remote = context.getBean(ReactiveRemote.class);
            remote.answer(Flux.concat(Flux.just("first"), Mono.never()));

            StepVerifier.withVirtualTime(remote::fluxWithFallback)
                    .expectNext("first")
                    .thenAwait(LIMIT)
                    .expectNext("fallback:CallTimeoutException")
                    .verifyComplete();

            assertThat(remote.cancelledSources()).isEqualTo(1);
            assertThat(metrics(context, "flux-fb").totalFailures()).as("the value before does not make a success")
                    .isEqualTo(1);
            assertThat(metrics(context, "flux-fb").totalSuccesses()).isZero();
        });
    }

    @Test
    void fluxTimingOut_withoutFallback_failsWithCallTimeoutException() {
        runner.run(context -> {
            ReactiveRemote remote = context.getBean(ReactiveRemote.class);
            remote.answer(Flux.never());

            StepVerifier.withVirtualTime(remote::flux)
                    .thenAwait(LIMIT)
                    .expectError(CallTimeoutException.class)
                    .verify();

            assertThat(metrics(context, "flux").totalFailures()).isEqualTo(1);
        });
    }

    /** The subscriber's own timeout cancels its subscription: a cancel, which gives the permit back. */
    @Test
    void subscribersOwnShorterTimeout_isACancel_notAFailure() {
        runner.run(context -> {
            ReactiveRemote remote = context.getBean(ReactiveRemote.class);
            remote.answer(Mono.never());

            StepVerifier.withVirtualTime(() -> remote.mono().timeout(Duration.ofMillis(500)))
                    .thenAwait(Duration.ofMillis(500))
                    .expectError(TimeoutException.class)
                    .verify();

            assertThat(remote.cancelledSources()).isEqualTo(1);
            assertThat(metrics(context, "mono").totalCalls()).as("nothing recorded").isZero();
        });
    }

    @Test
    void annotationTimeout_appliesWhileTheBreakerHasNone() {
        runner.run(context -> {
            ReactiveRemote remote = context.getBean(ReactiveRemote.class);
            remote.answer(Mono.never());

            StepVerifier.withVirtualTime(remote::annotated)
                    .thenAwait(Duration.ofMillis(300))
                    .expectErrorSatisfies(error -> assertThat(((CallTimeoutException) error).timeout())
                            .isEqualTo(Duration.ofMillis(300)))
                    .verify();

            assertThat(metrics(context, "annotated").totalFailures()).isEqualTo(1);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Config {

        @Bean
        ReactiveRemote reactiveRemote() {
            return new ReactiveRemote();
        }
    }

    static class ReactiveRemote {

        private volatile Flux<String> answer = Flux.just("value");
        private final AtomicInteger cancelledSources = new AtomicInteger();

        /** What the protected methods answer from now on, each value of a Flux, the first of a Mono. */
        void answer(Flux<String> answer) {
            this.answer = answer;
        }

        void answer(Mono<String> answer) {
            this.answer = answer.flux();
        }

        int cancelledSources() {
            return cancelledSources.get();
        }

        private Flux<String> source() {
            return answer.doOnCancel(cancelledSources::incrementAndGet);
        }

        @CircuitBreaker(name = "mono")
        public Mono<String> mono() {
            return source().next();
        }

        @CircuitBreaker(name = "mono-fb", fallbackMethod = "fallback")
        public Mono<String> monoWithFallback() {
            return source().next();
        }

        @CircuitBreaker(name = "flux")
        public Flux<String> flux() {
            return source();
        }

        @CircuitBreaker(name = "flux-fb", fallbackMethod = "fallback")
        public Flux<String> fluxWithFallback() {
            return source();
        }

        String fallback(Exception error) {
            return "fallback:" + error.getClass().getSimpleName();
        }

        @CircuitBreaker(name = "annotated", timeout = "300ms")
        public Mono<String> annotated() {
            return source().next();
        }
    }
}
