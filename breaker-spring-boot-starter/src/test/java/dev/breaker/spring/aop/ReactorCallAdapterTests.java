package dev.breaker.spring.aop;

import dev.breaker.Breaker;
import dev.breaker.CallNotPermittedException;
import dev.breaker.CircuitState;
import dev.breaker.Concurrently;
import dev.breaker.spring.annotation.CircuitBreaker;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static dev.breaker.spring.aop.BreakerContexts.breaker;
import static dev.breaker.spring.aop.BreakerContexts.forceOpen;
import static dev.breaker.spring.aop.BreakerContexts.freeTrialPermits;
import static dev.breaker.spring.aop.BreakerContexts.metrics;
import static dev.breaker.spring.aop.BreakerContexts.openAndLetWaitPass;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Methods returning a Reactor {@link Mono} or {@link Flux}, protected through a real Spring context: each
 * subscription asks for a permit (assembling the publisher asks for none), the terminal signal records the outcome,
 * a cancel after a value is a success, a cancel before any value gives the permit back, rejections are error
 * signals, and fallbacks may answer with a publisher or a plain value.
 */
@Timeout(30)
class ReactorCallAdapterTests {

    /** A bound for signals that arrive at once when the code is right, so that a wrong admission fails fast. */
    private static final Duration SIGNAL_TIMEOUT = Duration.ofSeconds(5);

    private final ApplicationContextRunner runner = BreakerContexts.runner()
            .withUserConfiguration(Config.class, BreakerContexts.FakeTimeConfiguration.class)
            .withPropertyValues(
                    "breaker.instances.mono-fb.ignore-exceptions=java.lang.IllegalArgumentException",
                    "breaker.instances.mono-trial.consecutive-failures=1",
                    "breaker.instances.mono-trial.half-open-calls=1",
                    "breaker.instances.mono-trials.consecutive-failures=1",
                    "breaker.instances.mono-trials.half-open-calls=2",
                    "breaker.instances.flux-trial.consecutive-failures=1",
                    "breaker.instances.flux-trial.half-open-calls=1",
                    "breaker.instances.flux-trials.consecutive-failures=1",
                    "breaker.instances.flux-trials.half-open-calls=2");

    // --- Mono ---------------------------------------------------------------------------------------------------

    @Test
    void mono_assembledButNotSubscribed_takesNoPermit_andCallsNothing() {
        runner.run(context -> {
            ReactiveRemote remote = context.getBean(ReactiveRemote.class);
            openWithTrialDue(context, remote, "mono-trial");
            remote.monoAnswer(Mono.just("value"));

            Mono<String> assembled = remote.monoTrial();
            remote.monoTrial();
            remote.monoTrial();

            assertThat(breaker(context, "mono-trial").state()).as("nobody asked for a permit yet")
                    .isEqualTo(CircuitState.OPEN);
            assertThat(metrics(context, "mono-trial").totalNotPermitted()).isZero();

            StepVerifier.create(assembled).expectNext("value").verifyComplete();
            assertThat(breaker(context, "mono-trial").state()).as("the one trial call succeeded")
                    .isEqualTo(CircuitState.CLOSED);
        });
    }

    @Test
    void mono_success_isRecordedOnTheTerminalSignal() {
        runner.run(context -> {
            ReactiveRemote remote = context.getBean(ReactiveRemote.class);
            Sinks.One<String> sink = Sinks.one();
            remote.monoAnswer(sink.asMono());

            StepVerifier.create(remote.mono("a"))
                    .then(() -> {
                        assertThat(metrics(context, "mono").totalSuccesses()).isZero();
                        sink.tryEmitValue("value-a");
                    })
                    .expectNext("value-a")
                    .verifyComplete();

            assertThat(metrics(context, "mono").totalSuccesses()).isEqualTo(1);
        });
    }

    @Test
    void mono_empty_isRecordedAsSuccess() {
        runner.run(context -> {
            ReactiveRemote remote = context.getBean(ReactiveRemote.class);
            remote.monoAnswer(Mono.empty());

            StepVerifier.create(remote.mono("a")).verifyComplete();

            assertThat(metrics(context, "mono").totalSuccesses()).isEqualTo(1);
        });
    }

    @Test
    void mono_failure_isRecordedOnTheErrorSignal_andReachesTheSubscriber() {
        runner.run(context -> {
            ReactiveRemote remote = context.getBean(ReactiveRemote.class);
            Sinks.One<String> sink = Sinks.one();
            remote.monoAnswer(sink.asMono());
            IOException failure = new IOException("down");

            StepVerifier.create(remote.mono("a"))
                    .then(() -> {
                        assertThat(metrics(context, "mono").totalFailures()).isZero();
                        sink.tryEmitError(failure);
                    })
                    .expectErrorSatisfies(error -> assertThat(error).isSameAs(failure))
                    .verify();

            assertThat(metrics(context, "mono").totalFailures()).isEqualTo(1);
        });
    }

    @Test
    void mono_eachSubscription_isOneCall() {
        runner.run(context -> {
            ReactiveRemote remote = context.getBean(ReactiveRemote.class);
            remote.monoAnswer(Mono.just("value"));
            Mono<String> mono = remote.mono("a");

            StepVerifier.create(mono).expectNext("value").verifyComplete();
            StepVerifier.create(mono).expectNext("value").verifyComplete();

            assertThat(metrics(context, "mono").totalSuccesses()).isEqualTo(2);
        });
    }

    @Test
    void mono_rejectedWithoutFallback_signalsCallNotPermitted_insteadOfThrowing() {
        runner.run(context -> {
            ReactiveRemote remote = context.getBean(ReactiveRemote.class);
            forceOpen(context, "mono");

            Mono<String> rejected = remote.mono("a");

            StepVerifier.create(rejected).expectError(CallNotPermittedException.class).verify(SIGNAL_TIMEOUT);
            assertThat(metrics(context, "mono").totalNotPermitted()).isEqualTo(1);
        });
    }

    @Test
    void mono_methodThrowingBeforeReturningAMono_isAnErrorSignalAtSubscription_andRecorded() {
        runner.run(context -> {
            ReactiveRemote remote = context.getBean(ReactiveRemote.class);
            IllegalStateException failure = new IllegalStateException("could not even assemble");
            remote.throwOnCall(failure);

            Mono<String> mono = remote.mono("a");
            assertThat(metrics(context, "mono").totalFailures()).isZero();

            StepVerifier.create(mono).expectErrorSatisfies(error -> assertThat(error).isSameAs(failure)).verify();
            assertThat(metrics(context, "mono").totalFailures()).isEqualTo(1);
        });
    }

    @Test
    void mono_failureAndRejection_answeredByAMonoFallback() {
        runner.run(context -> {
            ReactiveRemote remote = context.getBean(ReactiveRemote.class);
            remote.monoAnswer(Mono.error(new IOException("down")));

            StepVerifier.create(remote.monoWithFallback("a")).expectNext("fallback-a:IOException").verifyComplete();

            forceOpen(context, "mono-fb");
            StepVerifier.create(remote.monoWithFallback("b")).expectNext("fallback-b:CallNotPermittedException")
                    .verifyComplete();
            assertThat(metrics(context, "mono-fb").totalFailures()).isEqualTo(1);
            assertThat(metrics(context, "mono-fb").totalNotPermitted()).isEqualTo(1);
        });
    }

    @Test
    void mono_failureAndRejection_answeredByAPlainValueFallback() {
        runner.run(context -> {
            ReactiveRemote remote = context.getBean(ReactiveRemote.class);
            remote.monoAnswer(Mono.error(new IOException("down")));

            StepVerifier.create(remote.monoWithValueFallback("a")).expectNext("value-fallback-a").verifyComplete();

            forceOpen(context, "mono-value-fb");
            StepVerifier.create(remote.monoWithValueFallback("b")).expectNext("value-fallback-b").verifyComplete();
        });
    }

    @Test
    void mono_ignoredException_propagatesUnchanged_withoutFallbackOrFailure() {
        runner.run(context -> {
            ReactiveRemote remote = context.getBean(ReactiveRemote.class);
            IllegalArgumentException ignored = new IllegalArgumentException("bad id");
            remote.monoAnswer(Mono.error(ignored));

            StepVerifier.create(remote.monoWithFallback("a"))
                    .expectErrorSatisfies(error -> assertThat(error).isSameAs(ignored)).verify();

            assertThat(metrics(context, "mono-fb").totalFailures()).isZero();
            assertThat(metrics(context, "mono-fb").totalIgnored()).isEqualTo(1);
        });
    }

    @Test
    void mono_error_isRecordedAndPropagates_neverAnsweredByTheFallback() {
        runner.run(context -> {
            ReactiveRemote remote = context.getBean(ReactiveRemote.class);
            AssertionError error = new AssertionError("broken invariant");
            remote.monoAnswer(Mono.error(error));

            StepVerifier.create(remote.monoWithFallback("a"))
                    .expectErrorSatisfies(signalled -> assertThat(signalled).isSameAs(error)).verify();

            assertThat(metrics(context, "mono-fb").totalFailures()).isEqualTo(1);
        });
    }

    @Test
    void mono_cancelledSubscription_givesItsHalfOpenPermitBack_soAnotherTrialCallIsAdmitted() {
        runner.run(context -> {
            ReactiveRemote remote = context.getBean(ReactiveRemote.class);
            openWithTrialDue(context, remote, "mono-trial");
            remote.monoAnswer(Mono.never());

            Disposable first = remote.monoTrial().subscribe();
            assertThat(breaker(context, "mono-trial").state()).isEqualTo(CircuitState.HALF_OPEN);
            StepVerifier.create(remote.monoTrial()).as("the only trial permit is taken")
                    .expectError(CallNotPermittedException.class).verify(SIGNAL_TIMEOUT);

            first.dispose();

            remote.monoAnswer(Mono.just("value"));
            StepVerifier.create(remote.monoTrial()).as("admitted with the permit given back")
                    .expectNext("value").verifyComplete();
            assertThat(breaker(context, "mono-trial").state()).isEqualTo(CircuitState.CLOSED);
            assertThat(metrics(context, "mono-trial").totalNotPermitted()).isEqualTo(1);
        });
    }

    @Test
    void mono_cancelledAfterItsValue_isRecordedOnce_andDoesNotGiveAHalfOpenPermitBackTwice() {
        runner.run(context -> {
            ReactiveRemote remote = context.getBean(ReactiveRemote.class);
            openWithTrialDue(context, remote, "mono-trials");
            remote.monoAnswer(Mono.just("value"));

            // take(1) cancels its source right after the value, before the Mono's completion.
            StepVerifier.create(Flux.from(remote.monoTrials()).take(1)).expectNext("value").verifyComplete();
            assertThat(metrics(context, "mono-trials").totalSuccesses()).isEqualTo(1);
            assertThat(breaker(context, "mono-trials").state()).isEqualTo(CircuitState.HALF_OPEN);

            remote.monoAnswer(Mono.never());
            Disposable second = remote.monoTrials().subscribe();
            AtomicReference<@Nullable Throwable> thirdSignal = new AtomicReference<>();
            Disposable third = remote.monoTrials().subscribe(value -> { }, thirdSignal::set);

            assertThat(thirdSignal.get()).as("a third trial call where 2 are allowed must be rejected")
                    .isInstanceOf(CallNotPermittedException.class);
            second.dispose();
            third.dispose();
        });
    }

    // --- Flux ---------------------------------------------------------------------------------------------------

    @Test
    void flux_assembledButNotSubscribed_takesNoPermit() {
        runner.run(context -> {
            ReactiveRemote remote = context.getBean(ReactiveRemote.class);
            remote.fluxAnswer(Flux.just("a", "b"));

            Flux<String> assembled = remote.flux();

            assertThat(metrics(context, "flux").totalCalls()).isZero();
            forceOpen(context, "flux");
            StepVerifier.create(assembled).as("the permit is asked for at subscription, when the breaker is open")
                    .expectError(CallNotPermittedException.class).verify(SIGNAL_TIMEOUT);
        });
    }

    @Test
    void flux_success_isRecordedOnCompletion_notOnElements() {
        runner.run(context -> {
            ReactiveRemote remote = context.getBean(ReactiveRemote.class);
            Sinks.Many<String> sink = Sinks.many().unicast().onBackpressureBuffer();
            remote.fluxAnswer(sink.asFlux());

            StepVerifier.create(remote.flux())
                    .then(() -> sink.tryEmitNext("a"))
                    .expectNext("a")
                    .then(() -> {
                        assertThat(metrics(context, "flux").totalSuccesses()).isZero();
                        sink.tryEmitComplete();
                    })
                    .verifyComplete();

            assertThat(metrics(context, "flux").totalSuccesses()).isEqualTo(1);
        });
    }

    @Test
    void flux_failure_isRecordedOnTheErrorSignal_andReachesTheSubscriber() {
        runner.run(context -> {
            ReactiveRemote remote = context.getBean(ReactiveRemote.class);
            IOException failure = new IOException("down");
            remote.fluxAnswer(Flux.concat(Flux.just("a"), Flux.error(failure)));

            StepVerifier.create(remote.flux()).expectNext("a")
                    .expectErrorSatisfies(error -> assertThat(error).isSameAs(failure)).verify();

            assertThat(metrics(context, "flux").totalFailures()).isEqualTo(1);
        });
    }

    @Test
    void flux_rejectedWithoutFallback_signalsCallNotPermitted() {
        runner.run(context -> {
            ReactiveRemote remote = context.getBean(ReactiveRemote.class);
            forceOpen(context, "flux");

            StepVerifier.create(remote.flux()).expectError(CallNotPermittedException.class).verify(SIGNAL_TIMEOUT);
            assertThat(metrics(context, "flux").totalNotPermitted()).isEqualTo(1);
        });
    }

    @Test
    void flux_failureAfterSomeElements_keepsThemAndContinuesWithTheFallbacksElements() {
        runner.run(context -> {
            ReactiveRemote remote = context.getBean(ReactiveRemote.class);
            remote.fluxAnswer(Flux.concat(Flux.just("a"), Flux.error(new IOException("down"))));

            StepVerifier.create(remote.fluxWithFallback()).expectNext("a", "fallback-1", "fallback-2")
                    .verifyComplete();

            forceOpen(context, "flux-fb");
            StepVerifier.create(remote.fluxWithFallback()).expectNext("fallback-1", "fallback-2").verifyComplete();
            assertThat(metrics(context, "flux-fb").totalFailures()).isEqualTo(1);
            assertThat(metrics(context, "flux-fb").totalNotPermitted()).isEqualTo(1);
        });
    }

    @Test
    void flux_failureAndRejection_answeredByAPlainValueFallback_asOneElement() {
        runner.run(context -> {
            ReactiveRemote remote = context.getBean(ReactiveRemote.class);
            remote.fluxAnswer(Flux.error(new IOException("down")));

            StepVerifier.create(remote.fluxWithValueFallback()).expectNext("value-fallback").verifyComplete();

            forceOpen(context, "flux-value-fb");
            StepVerifier.create(remote.fluxWithValueFallback()).expectNext("value-fallback").verifyComplete();
        });
    }

    @Test
    void flux_cancelledBeforeAnyValue_givesItsHalfOpenPermitBack_soAnotherTrialCallIsAdmitted() {
        runner.run(context -> {
            ReactiveRemote remote = context.getBean(ReactiveRemote.class);
            openAndLetWaitPass(context, "flux-trial", () -> {
                remote.fluxAnswer(Flux.error(new IOException("down")));
                StepVerifier.create(remote.fluxTrial()).expectError(IOException.class).verify();
            });
            remote.fluxAnswer(Flux.never());

            StepVerifier.create(remote.fluxTrial())
                    .then(() -> StepVerifier.create(remote.fluxTrial()).as("the only trial permit is taken")
                            .expectError(CallNotPermittedException.class).verify(SIGNAL_TIMEOUT))
                    .thenCancel()
                    .verify();

            assertThat(metrics(context, "flux-trial").totalSuccesses()).as("nothing was emitted: no outcome").isZero();
            remote.fluxAnswer(Flux.just("a", "b"));
            StepVerifier.create(remote.fluxTrial()).as("admitted with the permit given back")
                    .expectNext("a", "b").verifyComplete();
            assertThat(breaker(context, "flux-trial").state()).isEqualTo(CircuitState.CLOSED);
            assertThat(metrics(context, "flux-trial").totalNotPermitted()).isEqualTo(1);
        });
    }

    /**
     * Defect: a Flux cancelled after it emitted (blockFirst, next, take) gave its permit back instead of recording a
     * success, so a half-open breaker whose trial calls were all consumed that way never closed.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fluxConsumersThatCancelAfterAValue")
    void flux_cancelledAfterAValue_isASuccess_soTrialCallsCloseTheBreaker(Consumer<Flux<String>> consume) {
        runner.run(context -> {
            ReactiveRemote remote = context.getBean(ReactiveRemote.class);
            openAndLetWaitPass(context, "flux-trials", () -> {
                remote.fluxAnswer(Flux.error(new IOException("down")));
                StepVerifier.create(remote.fluxTrials()).expectError(IOException.class).verify();
            });
            // Two values, then nothing: only the subscriber's cancel ends the call.
            remote.fluxAnswer(Flux.just("a", "b").concatWith(Flux.never()));

            consume.accept(remote.fluxTrials());
            assertThat(breaker(context, "flux-trials").state()).isEqualTo(CircuitState.HALF_OPEN);
            consume.accept(remote.fluxTrials());

            assertThat(breaker(context, "flux-trials").state()).as("both trial calls succeeded")
                    .isEqualTo(CircuitState.CLOSED);
            assertThat(metrics(context, "flux-trials").totalSuccesses()).isEqualTo(2);
            assertThat(metrics(context, "flux-trials").totalFailures()).as("the one that opened it").isEqualTo(1);
            assertThat(metrics(context, "flux-trials").totalNotPermitted()).isZero();
        });
    }

    static Stream<Arguments> fluxConsumersThatCancelAfterAValue() {
        return Stream.of(
                onFlux("blockFirst()", flux -> assertThat(flux.blockFirst(SIGNAL_TIMEOUT)).isEqualTo("a")),
                onFlux("next().block()", flux -> assertThat(flux.next().block(SIGNAL_TIMEOUT)).isEqualTo("a")),
                onFlux("next().toFuture()", flux -> assertThat(flux.next().toFuture())
                        .succeedsWithin(SIGNAL_TIMEOUT).isEqualTo("a")),
                onFlux("take(1)", flux -> StepVerifier.create(flux.take(1)).expectNext("a").verifyComplete()),
                onFlux("take(2)", flux -> StepVerifier.create(flux.take(2)).expectNext("a", "b")
                        .verifyComplete()),
                onFlux("subscribe() then dispose()", flux -> {
                    List<String> received = new CopyOnWriteArrayList<>();
                    Disposable subscription = flux.subscribe(received::add);
                    assertThat(received).containsExactly("a", "b");
                    subscription.dispose();
                }),
                onFlux("StepVerifier thenCancel()", flux -> StepVerifier.create(flux).expectNext("a")
                        .thenCancel().verify()));
    }

    /**
     * Guards the Mono side of the same defect: whichever way a Mono's value is consumed (some of which cancel right
     * after it), the value is the call's success.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("monoConsumersThatMayCancelAfterTheValue")
    void mono_consumedInAnyWay_isASuccess_soTrialCallsCloseTheBreaker(Consumer<Mono<String>> consume) {
        runner.run(context -> {
            ReactiveRemote remote = context.getBean(ReactiveRemote.class);
            openWithTrialDue(context, remote, "mono-trials");
            remote.monoAnswer(Mono.just("value"));

            consume.accept(remote.monoTrials());
            assertThat(breaker(context, "mono-trials").state()).isEqualTo(CircuitState.HALF_OPEN);
            consume.accept(remote.monoTrials());

            assertThat(breaker(context, "mono-trials").state()).as("both trial calls succeeded")
                    .isEqualTo(CircuitState.CLOSED);
            assertThat(metrics(context, "mono-trials").totalSuccesses()).isEqualTo(2);
            assertThat(metrics(context, "mono-trials").totalNotPermitted()).isZero();
        });
    }

    static Stream<Arguments> monoConsumersThatMayCancelAfterTheValue() {
        return Stream.of(
                onMono("block()", mono -> assertThat(mono.block(SIGNAL_TIMEOUT)).isEqualTo("value")),
                onMono("toFuture()", mono -> assertThat(mono.toFuture()).succeedsWithin(SIGNAL_TIMEOUT)
                        .isEqualTo("value")),
                onMono("Flux.from(mono).take(1)", mono -> StepVerifier.create(Flux.from(mono).take(1))
                        .expectNext("value").verifyComplete()),
                onMono("flux().blockFirst()", mono -> assertThat(mono.flux().blockFirst(SIGNAL_TIMEOUT))
                        .isEqualTo("value")),
                onMono("subscribe() then dispose()", mono -> {
                    List<String> received = new CopyOnWriteArrayList<>();
                    Disposable subscription = mono.subscribe(received::add);
                    assertThat(received).containsExactly("value");
                    subscription.dispose();
                }),
                onMono("StepVerifier thenCancel()", mono -> StepVerifier.create(mono).expectNext("value")
                        .thenCancel().verify()));
    }

    private static Arguments onFlux(String name, Consumer<Flux<String>> consume) {
        return Arguments.of(Named.of(name, consume));
    }

    private static Arguments onMono(String name, Consumer<Mono<String>> consume) {
        return Arguments.of(Named.of(name, consume));
    }

    /**
     * Many Flux subscriptions, each raced by two threads: one emits a value, the other cancels. Each trial permit
     * must end exactly once: a success if the value came first, given back if the cancel did.
     */
    @Test
    void racingValueAndCancel_endEveryTrialPermitExactlyOnce() throws Exception {
        int calls = 1_000;
        runner.withPropertyValues(
                "breaker.instances.flux-stress.consecutive-failures=1",
                "breaker.instances.flux-stress.half-open-calls=" + calls,
                "breaker.instances.flux-stress.minimum-calls=" + calls).run(context -> {
                    ReactiveRemote remote = context.getBean(ReactiveRemote.class);
                    openAndLetWaitPass(context, "flux-stress", () -> {
                        remote.fluxAnswer(Flux.error(new IOException("down")));
                        StepVerifier.create(remote.fluxStress()).expectError(IOException.class).verify();
                    });
                    List<Sinks.Many<String>> sinks = new ArrayList<>();
                    List<Disposable> subscriptions = new ArrayList<>();
                    for (int i = 0; i < calls; i++) {
                        Sinks.Many<String> sink = Sinks.many().unicast().onBackpressureBuffer();
                        remote.fluxAnswer(sink.asFlux());
                        sinks.add(sink);
                        subscriptions.add(remote.fluxStress().subscribe());
                    }
                    Breaker breaker = breaker(context, "flux-stress");
                    assertThat(metrics(context, "flux-stress").totalNotPermitted()).isZero();

                    Concurrently.inParallel(2, thread -> {
                        for (int i = 0; i < calls; i++) {
                            if (thread == 0) {
                                sinks.get(i).tryEmitNext("value");
                            } else {
                                subscriptions.get(i).dispose();
                            }
                        }
                    });

                    long recorded = metrics(context, "flux-stress").totalSuccesses();
                    long givenBack = calls - recorded;
                    assertThat(breaker.state()).as("%d of %d trial calls recorded", recorded, calls)
                            .isEqualTo(givenBack == 0 ? CircuitState.CLOSED : CircuitState.HALF_OPEN);
                    if (givenBack > 0) {
                        assertThat(freeTrialPermits(breaker, calls)).as("exactly the permits given back")
                                .isEqualTo(givenBack);
                    }
                });
    }

    /** Opens {@code name} with one failed Mono call and lets its wait pass: the next call to ask is a trial. */
    private static void openWithTrialDue(ApplicationContext context, ReactiveRemote remote, String name) {
        openAndLetWaitPass(context, name, () -> {
            remote.monoAnswer(Mono.error(new IOException("down")));
            Mono<String> call = name.equals("mono-trial") ? remote.monoTrial() : remote.monoTrials();
            StepVerifier.create(call).expectError(IOException.class).verify();
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

        private volatile Mono<String> mono = Mono.just("value");
        private volatile Flux<String> flux = Flux.just("a", "b");
        private volatile @Nullable RuntimeException thrownOnCall;

        /** The Mono the protected Mono methods return from now on. */
        public void monoAnswer(Mono<String> mono) {
            this.mono = mono;
        }

        /** The Flux the protected Flux methods return from now on. */
        public void fluxAnswer(Flux<String> flux) {
            this.flux = flux;
        }

        /** Makes the protected methods throw before returning a publisher. */
        public void throwOnCall(RuntimeException failure) {
            this.thrownOnCall = failure;
        }

        private Mono<String> mono() {
            RuntimeException failure = thrownOnCall;
            if (failure != null) {
                throw failure;
            }
            return mono;
        }

        @CircuitBreaker(name = "mono")
        public Mono<String> mono(String id) {
            return mono();
        }

        @CircuitBreaker(name = "mono-fb", fallbackMethod = "monoFallback")
        public Mono<String> monoWithFallback(String id) {
            return mono();
        }

        Mono<String> monoFallback(String id, Throwable error) {
            return Mono.just("fallback-" + id + ":" + error.getClass().getSimpleName());
        }

        @CircuitBreaker(name = "mono-value-fb", fallbackMethod = "monoValueFallback")
        public Mono<String> monoWithValueFallback(String id) {
            return mono();
        }

        String monoValueFallback(String id) {
            return "value-fallback-" + id;
        }

        @CircuitBreaker(name = "mono-trial")
        public Mono<String> monoTrial() {
            return mono();
        }

        @CircuitBreaker(name = "mono-trials")
        public Mono<String> monoTrials() {
            return mono();
        }

        @CircuitBreaker(name = "flux")
        public Flux<String> flux() {
            return flux;
        }

        @CircuitBreaker(name = "flux-fb", fallbackMethod = "fluxFallback")
        public Flux<String> fluxWithFallback() {
            return flux;
        }

        Flux<String> fluxFallback(Exception error) {
            return Flux.just("fallback-1", "fallback-2");
        }

        @CircuitBreaker(name = "flux-value-fb", fallbackMethod = "fluxValueFallback")
        public Flux<String> fluxWithValueFallback() {
            return flux;
        }

        String fluxValueFallback() {
            return "value-fallback";
        }

        @CircuitBreaker(name = "flux-trial")
        public Flux<String> fluxTrial() {
            return flux;
        }

        @CircuitBreaker(name = "flux-trials")
        public Flux<String> fluxTrials() {
            return flux;
        }

        @CircuitBreaker(name = "flux-stress")
        public Flux<String> fluxStress() {
            return flux;
        }
    }
}
