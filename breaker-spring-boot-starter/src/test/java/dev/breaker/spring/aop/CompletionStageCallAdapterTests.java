package dev.breaker.spring.aop;

import dev.breaker.Breaker;
import dev.breaker.CallNotPermittedException;
import dev.breaker.CircuitState;
import dev.breaker.Concurrently;
import dev.breaker.spring.annotation.CircuitBreaker;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static dev.breaker.spring.aop.BreakerContexts.breaker;
import static dev.breaker.spring.aop.BreakerContexts.forceOpen;
import static dev.breaker.spring.aop.BreakerContexts.freeTrialPermits;
import static dev.breaker.spring.aop.BreakerContexts.metrics;
import static dev.breaker.spring.aop.BreakerContexts.openAndLetWaitPass;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Methods returning {@link CompletableFuture} or {@link CompletionStage}, protected through a real Spring context:
 * the outcome is recorded when the stage completes, a cancelled stage gives its permit back, rejections become
 * failed stages, and fallbacks may answer with a stage or a plain value.
 */
class CompletionStageCallAdapterTests {

    /** A bound for completions a caller's timer makes on another thread within a millisecond. */
    private static final Duration SIGNAL_TIMEOUT = Duration.ofSeconds(5);

    private final ApplicationContextRunner runner = BreakerContexts.runner()
            .withUserConfiguration(Config.class, BreakerContexts.FakeTimeConfiguration.class)
            .withPropertyValues(
                    "breaker.instances.future-fb.ignore-exceptions=java.lang.IllegalArgumentException",
                    "breaker.instances.trial.consecutive-failures=1",
                    "breaker.instances.trial.half-open-calls=1",
                    "breaker.instances.trial-fb.consecutive-failures=1",
                    "breaker.instances.trial-fb.half-open-calls=1");

    // --- CompletableFuture without fallback ----------------------------------------------------------------

    @Test
    void completableFuture_success_isRecordedOnlyWhenTheFutureCompletes() {
        runner.run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            CompletableFuture<String> pending = new CompletableFuture<>();
            remote.answerWith(pending);

            CompletableFuture<String> result = remote.future("a");

            assertThat(result).isSameAs(pending).isNotDone();
            assertThat(metrics(context, "future").totalSuccesses()).isZero();

            pending.complete("value-a");

            assertThat(result).isCompletedWithValue("value-a");
            assertThat(metrics(context, "future").totalSuccesses()).isEqualTo(1);
            assertThat(metrics(context, "future").totalFailures()).isZero();
        });
    }

    @Test
    void completableFuture_failure_isRecordedWhenTheFutureFails_andReachesTheCaller() {
        runner.run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            CompletableFuture<String> pending = new CompletableFuture<>();
            remote.answerWith(pending);

            CompletableFuture<String> result = remote.future("a");
            assertThat(metrics(context, "future").totalFailures()).isZero();
            IOException failure = new IOException("down");
            pending.completeExceptionally(failure);

            assertThatThrownBy(result::get).isInstanceOf(ExecutionException.class).hasCause(failure);
            assertThat(metrics(context, "future").totalFailures()).isEqualTo(1);
        });
    }

    @Test
    void completableFuture_rejectedWithoutFallback_answersWithAFailedFutureInsteadOfThrowing() {
        runner.run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            forceOpen(context, "future");

            CompletableFuture<String> result = remote.future("a");

            assertThat(result).isCompletedExceptionally();
            assertThatThrownBy(result::join).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(CallNotPermittedException.class);
            assertThat(remote.invocations()).isZero();
            assertThat(metrics(context, "future").totalNotPermitted()).isEqualTo(1);
        });
    }

    @Test
    void completableFuture_methodThrowingBeforeReturningAFuture_isRecordedAndThrowsToTheCaller() {
        runner.run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            IllegalStateException failure = new IllegalStateException("could not even start");
            remote.throwOnCall(failure);

            assertThatThrownBy(() -> remote.future("a")).isSameAs(failure);
            assertThat(metrics(context, "future").totalFailures()).isEqualTo(1);
        });
    }

    // --- CompletableFuture with fallbacks ------------------------------------------------------------------

    @Test
    void completableFuture_failureWithAsyncFallback_answersFromTheFallbacksFuture() {
        runner.run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            CompletableFuture<String> pending = new CompletableFuture<>();
            remote.answerWith(pending);

            CompletableFuture<String> result = remote.futureWithAsyncFallback("a");
            assertThat(result).isNotDone();
            pending.completeExceptionally(new IOException("down"));

            assertThat(result).isCompletedWithValue("async-fallback-a:IOException");
            assertThat(metrics(context, "future-fb").totalFailures()).isEqualTo(1);
        });
    }

    @Test
    void completableFuture_successWithAsyncFallback_completesWithTheMethodsValue() {
        runner.run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            CompletableFuture<String> pending = new CompletableFuture<>();
            remote.answerWith(pending);

            CompletableFuture<String> result = remote.futureWithAsyncFallback("a");
            assertThat(metrics(context, "future-fb").totalSuccesses()).isZero();
            pending.complete("value-a");

            assertThat(result).isCompletedWithValue("value-a");
            assertThat(metrics(context, "future-fb").totalSuccesses()).isEqualTo(1);
        });
    }

    @Test
    void completableFuture_rejectedWithAsyncFallback_answersFromTheFallback() {
        runner.run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            forceOpen(context, "future-fb");

            assertThat(remote.futureWithAsyncFallback("a"))
                    .isCompletedWithValue("async-fallback-a:CallNotPermittedException");
            assertThat(remote.invocations()).isZero();
        });
    }

    @Test
    void completableFuture_failureWithPlainValueFallback_answersWithTheAdaptedValue() {
        runner.run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            remote.answerWith(CompletableFuture.failedFuture(new IOException("down")));

            assertThat(remote.futureWithValueFallback("a")).isCompletedWithValue("value-fallback-a");

            forceOpen(context, "future-value-fb");
            assertThat(remote.futureWithValueFallback("b")).isCompletedWithValue("value-fallback-b");
            assertThat(metrics(context, "future-value-fb").totalFailures()).isEqualTo(1);
            assertThat(metrics(context, "future-value-fb").totalNotPermitted()).isEqualTo(1);
        });
    }

    @Test
    void completableFuture_methodThrowingBeforeReturningAFuture_isAnsweredByTheFallback() {
        runner.run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            remote.throwOnCall(new IllegalStateException("could not even start"));

            assertThat(remote.futureWithAsyncFallback("a"))
                    .isCompletedWithValue("async-fallback-a:IllegalStateException");
            assertThat(metrics(context, "future-fb").totalFailures()).isEqualTo(1);
        });
    }

    @Test
    void completableFuture_ignoredException_failsTheFutureUnchanged_withoutFallbackOrFailure() {
        runner.run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            IllegalArgumentException ignored = new IllegalArgumentException("bad id");
            remote.answerWith(CompletableFuture.failedFuture(ignored));

            CompletableFuture<String> result = remote.futureWithAsyncFallback("a");

            assertThatThrownBy(result::get).isInstanceOf(ExecutionException.class).hasCause(ignored);
            assertThat(metrics(context, "future-fb").totalFailures()).isZero();
            assertThat(metrics(context, "future-fb").totalIgnored()).isEqualTo(1);
        });
    }

    @Test
    void completableFuture_errorWithinAnAsyncTask_isRecordedAndFailsTheFuture_neverAnsweredByTheFallback() {
        runner.run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            AssertionError error = new AssertionError("broken invariant");
            // What a task run by supplyAsync looks like when it throws an Error: the future holds it wrapped in a
            // CompletionException.
            remote.answerWith(CompletableFuture.supplyAsync(() -> {
                throw error;
            }, Runnable::run));

            CompletableFuture<String> result = remote.futureWithAsyncFallback("a");

            assertThat(metrics(context, "future-fb").totalFailures()).isEqualTo(1);
            assertThat(result).as("not answered by the fallback").isCompletedExceptionally();
            assertThatThrownBy(result::join).isInstanceOf(CompletionException.class).hasCause(error);
        });
    }

    @Test
    void completableFuture_errorAsTheFuturesOwnFailure_isRecordedAndFailsTheFuture_neverAnsweredByTheFallback() {
        runner.run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            AssertionError error = new AssertionError("broken invariant");
            remote.answerWith(CompletableFuture.failedFuture(error));

            CompletableFuture<String> result = remote.futureWithAsyncFallback("a");

            assertThat(metrics(context, "future-fb").totalFailures()).isEqualTo(1);
            assertThatThrownBy(result::get).isInstanceOf(ExecutionException.class).hasCause(error);
        });
    }

    @Test
    void completableFuture_fallbackThatFails_failsTheFutureWithTheFallbacksException() {
        runner.run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            remote.answerWith(CompletableFuture.failedFuture(new IOException("down")));
            remote.failFallbacksWith(new IllegalStateException("fallback down too"));

            CompletableFuture<String> result = remote.futureWithAsyncFallback("a");

            assertThatThrownBy(result::get).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(IllegalStateException.class).hasMessage("fallback down too");
        });
    }

    // --- CompletionStage -------------------------------------------------------------------------------------

    @Test
    void completionStage_successFailureAndRejection_recordedOnCompletion() {
        runner.run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            CompletableFuture<String> pending = new CompletableFuture<>();
            remote.answerWith(pending);

            CompletionStage<String> success = remote.stage("a");
            assertThat(metrics(context, "stage").totalSuccesses()).isZero();
            pending.complete("value-a");
            assertThat(success.toCompletableFuture()).isCompletedWithValue("value-a");
            assertThat(metrics(context, "stage").totalSuccesses()).isEqualTo(1);

            IOException failure = new IOException("down");
            remote.answerWith(CompletableFuture.failedFuture(failure));
            assertThatThrownBy(remote.stage("a").toCompletableFuture()::get).hasCause(failure);
            assertThat(metrics(context, "stage").totalFailures()).isEqualTo(1);

            forceOpen(context, "stage");
            assertThatThrownBy(remote.stage("a").toCompletableFuture()::get)
                    .hasCauseInstanceOf(CallNotPermittedException.class);
        });
    }

    @Test
    void completionStage_failureAndRejection_answeredByStageFallback() {
        runner.run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            remote.answerWith(CompletableFuture.failedFuture(new IOException("down")));

            assertThat(remote.stageWithFallback("a").toCompletableFuture())
                    .isCompletedWithValue("stage-fallback-a:IOException");

            forceOpen(context, "stage-fb");
            assertThat(remote.stageWithFallback("b").toCompletableFuture())
                    .isCompletedWithValue("stage-fallback-b:CallNotPermittedException");
            assertThat(metrics(context, "stage-fb").totalFailures()).isEqualTo(1);
            assertThat(metrics(context, "stage-fb").totalNotPermitted()).isEqualTo(1);
        });
    }

    // --- cancellation ----------------------------------------------------------------------------------------

    @Test
    void cancelledFuture_givesItsHalfOpenPermitBack_soAnotherTrialCallIsAdmitted() {
        runner.run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            openAndLetWaitPass(context, "trial", () -> {
                remote.answerWith(CompletableFuture.failedFuture(new IOException("down")));
                remote.trial().exceptionally(error -> null);
            });
            CompletableFuture<String> trial = new CompletableFuture<>();
            remote.answerWith(trial);

            CompletableFuture<String> first = remote.trial();
            assertThat(breaker(context, "trial").state()).isEqualTo(CircuitState.HALF_OPEN);
            assertThat(remote.trial()).as("the only trial permit is taken").isCompletedExceptionally();

            first.cancel(true);

            CompletableFuture<String> next = new CompletableFuture<>();
            remote.answerWith(next);
            assertThat(remote.trial()).as("admitted with the permit given back").isSameAs(next).isNotDone();
            assertThat(metrics(context, "trial").totalNotPermitted()).isEqualTo(1);
            assertThat(metrics(context, "trial").totalFailures()).as("the cancelled call is not recorded")
                    .isEqualTo(1);
            next.complete("value");
            assertThat(breaker(context, "trial").state()).isEqualTo(CircuitState.CLOSED);
        });
    }

    @Test
    void cancelledAnswerOfAMethodWithFallback_cancelsTheMethodsFuture_andGivesThePermitBack() {
        runner.run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            openAndLetWaitPass(context, "trial-fb", () -> {
                remote.answerWith(CompletableFuture.failedFuture(new IOException("down")));
                remote.trialWithFallback();
            });
            CompletableFuture<String> trial = new CompletableFuture<>();
            remote.answerWith(trial);

            CompletableFuture<String> answer = remote.trialWithFallback();
            assertThat(remote.trialWithFallback()).as("rejected, answered by the fallback")
                    .isCompletedWithValue("fallback:CallNotPermittedException");

            answer.cancel(true);

            assertThat(trial).as("the method's own future").isCancelled();
            CompletableFuture<String> next = new CompletableFuture<>();
            remote.answerWith(next);
            CompletableFuture<String> admitted = remote.trialWithFallback();
            assertThat(admitted).isNotDone();
            assertThat(metrics(context, "trial-fb").totalNotPermitted()).isEqualTo(1);
            next.complete("value");
            assertThat(admitted).isCompletedWithValue("value");
        });
    }

    // --- the caller completes the answer of a method with a fallback -----------------------------------------

    /**
     * Defect: when the caller completed the answer of a method with a fallback itself, the method's own future was
     * left running and held its permit, so a hung dependency wedged a half-open breaker.
     */
    @Test
    void answerCompletedOnTimeoutByTheCaller_cancelsTheHungCall_andGivesItsTrialPermitBack() {
        runner.run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            CompletableFuture<String> hung = trialDueWithHungCall(context, remote);

            CompletableFuture<String> answer = remote.trialWithFallback().completeOnTimeout("default", 1,
                    TimeUnit.MILLISECONDS);

            // The timer thread ends the call, then cancels the method's future: once cancelled, the call has ended.
            assertThat(hung).as("the method's own future").failsWithin(SIGNAL_TIMEOUT)
                    .withThrowableOfType(CancellationException.class);
            assertThat(answer).isCompletedWithValue("default");
            assertThat(metrics(context, "trial-fb").totalSuccesses()).as("the caller's value is not the call's")
                    .isZero();
            assertTrialPermitGivenBack(context, remote);
        });
    }

    @Test
    void answerCompletedByTheCaller_cancelsTheCall_andGivesItsTrialPermitBack() {
        runner.run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            CompletableFuture<String> hung = trialDueWithHungCall(context, remote);

            CompletableFuture<String> answer = remote.trialWithFallback();
            assertThat(answer.complete("cached")).isTrue();

            assertThat(hung).isCancelled();
            assertThat(answer).isCompletedWithValue("cached");
            assertTrialPermitGivenBack(context, remote);
        });
    }

    @Test
    void answerTimedOutByTheCaller_cancelsTheCall_andRecordsTheTimeoutAsAFailure_soTheBreakerReopens() {
        runner.run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            CompletableFuture<String> hung = trialDueWithHungCall(context, remote);

            CompletableFuture<String> answer = remote.trialWithFallback().orTimeout(1, TimeUnit.MILLISECONDS);

            assertThat(hung).failsWithin(SIGNAL_TIMEOUT).withThrowableOfType(CancellationException.class);
            assertThatThrownBy(answer::join).hasCauseInstanceOf(TimeoutException.class);
            assertThat(metrics(context, "trial-fb").totalFailures()).as("the one that opened it, and the timeout")
                    .isEqualTo(2);
            assertThat(breaker(context, "trial-fb").state()).as("the trial call failed")
                    .isEqualTo(CircuitState.OPEN);
        });
    }

    @Test
    void callCompletingAfterTheCallerCompletedTheAnswer_recordsNothingMore_andLeavesTheAnswerAlone() {
        runner.run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            CompletableFuture<String> source = new CompletableFuture<>();
            remote.answerWith(source);
            CompletableFuture<String> answer = remote.futureWithAsyncFallback("a");
            answer.completeExceptionally(new TimeoutException("caller gave up"));

            // A source that ignores the cancel and completes anyway.
            source.obtrudeValue("late");

            assertThat(metrics(context, "future-fb").totalFailures()).isEqualTo(1);
            assertThat(metrics(context, "future-fb").totalSuccesses()).isZero();
            assertThatThrownBy(answer::join).hasCauseInstanceOf(TimeoutException.class);
        });
    }

    @Test
    void answerCompletedByTheCallerAfterTheCallCompleted_changesNothing() {
        runner.run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            CompletableFuture<String> source = new CompletableFuture<>();
            remote.answerWith(source);
            CompletableFuture<String> answer = remote.futureWithAsyncFallback("a");

            source.complete("value");
            assertThat(answer.complete("too late")).isFalse();
            answer.cancel(true);

            assertThat(answer).isCompletedWithValue("value");
            assertThat(metrics(context, "future-fb").totalSuccesses()).isEqualTo(1);
            assertThat(metrics(context, "future-fb").totalFailures()).isZero();
        });
    }

    /**
     * Without a fallback the method's own future is returned, so whoever completes it decides the outcome: a value
     * the caller puts in is recorded as the call's success, a timeout as its failure, a cancel gives the permit back.
     */
    @Test
    void futureOfAMethodWithoutFallback_completedByTheCaller_isRecordedAsTheCallsOwnOutcome() {
        runner.run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            remote.answerWith(new CompletableFuture<>());
            CompletableFuture<String> completed = remote.future("a");
            completed.complete("caller's value");
            assertThat(metrics(context, "future").totalSuccesses()).isEqualTo(1);

            remote.answerWith(new CompletableFuture<>());
            remote.future("a").orTimeout(1, TimeUnit.MILLISECONDS);
            // Recorded on the timer thread, by the method's future's callback.
            await().atMost(SIGNAL_TIMEOUT)
                    .untilAsserted(() -> assertThat(metrics(context, "future").totalFailures()).isEqualTo(1));

            remote.answerWith(new CompletableFuture<>());
            remote.future("a").cancel(true);
            assertThat(metrics(context, "future").totalCalls()).as("the cancelled call is not recorded")
                    .isEqualTo(2);
        });
    }

    /**
     * Many calls of a method with a fallback, each raced by two threads: one completes the method's future (with a
     * value, by cancelling it, or not at all), the other completes the answer (with a value or by cancelling it).
     * Every trial permit must be settled exactly once: recorded as a success or given back, never both, never
     * neither.
     */
    @Test
    void racingCompletionsOfCallAndAnswer_settleEveryTrialPermitExactlyOnce() throws Exception {
        int calls = 2_000;
        ApplicationContextRunner stress = runner.withPropertyValues(
                "breaker.instances.stress.consecutive-failures=1",
                "breaker.instances.stress.half-open-calls=" + calls,
                "breaker.instances.stress.minimum-calls=" + calls);
        stress.run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            openAndLetWaitPass(context, "stress", () -> {
                remote.answerWith(CompletableFuture.failedFuture(new IOException("down")));
                remote.stress();
            });
            List<CompletableFuture<String>> sources = new ArrayList<>();
            List<CompletableFuture<String>> answers = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                CompletableFuture<String> source = new CompletableFuture<>();
                remote.answerWith(source);
                sources.add(source);
                answers.add(remote.stress());
            }
            Breaker breaker = breaker(context, "stress");
            assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
            assertThat(metrics(context, "stress").totalNotPermitted()).as("every call got a trial permit").isZero();

            Concurrently.inParallel(2, thread -> {
                for (int i = 0; i < calls; i++) {
                    if (thread == 0) {
                        switch (i % 3) {
                            case 0 -> sources.get(i).cancel(true);
                            case 1 -> sources.get(i).complete("value");
                            default -> { } // hung: only the answer's completion can settle it
                        }
                    } else if (i % 2 == 0) {
                        answers.get(i).cancel(true);
                    } else {
                        answers.get(i).complete("caller");
                    }
                }
            });

            assertThat(answers).allSatisfy(answer -> assertThat(answer).isDone());
            assertThat(sources).as("completed, or cancelled when the answer was completed first")
                    .allSatisfy(source -> assertThat(source).isDone());
            long recorded = metrics(context, "stress").totalSuccesses();
            long givenBack = calls - recorded;
            assertThat(breaker.state()).as("%d of %d trial calls recorded", recorded, calls)
                    .isEqualTo(givenBack == 0 ? CircuitState.CLOSED : CircuitState.HALF_OPEN);
            if (givenBack > 0) {
                assertThat(freeTrialPermits(breaker, calls)).as("trial permits free again: exactly those given back")
                        .isEqualTo(givenBack);
            }
        });
    }

    private static CompletableFuture<String> trialDueWithHungCall(ApplicationContext context, AsyncRemote remote) {
        openAndLetWaitPass(context, "trial-fb", () -> {
            remote.answerWith(CompletableFuture.failedFuture(new IOException("down")));
            remote.trialWithFallback();
        });
        CompletableFuture<String> hung = new CompletableFuture<>();
        remote.answerWith(hung);
        return hung;
    }

    /** The only trial permit is free again: the next call is admitted, and its success closes the breaker. */
    private static void assertTrialPermitGivenBack(ApplicationContext context, AsyncRemote remote) {
        CompletableFuture<String> next = new CompletableFuture<>();
        remote.answerWith(next);
        CompletableFuture<String> admitted = remote.trialWithFallback();
        assertThat(admitted).as("admitted, not answered by the fallback").isNotDone();
        next.complete("value");
        assertThat(admitted).isCompletedWithValue("value");
        assertThat(breaker(context, "trial-fb").state()).isEqualTo(CircuitState.CLOSED);
        assertThat(metrics(context, "trial-fb").totalNotPermitted()).isZero();
    }

    @Configuration(proxyBeanMethods = false)
    static class Config {

        @Bean
        AsyncRemote asyncRemote() {
            return new AsyncRemote();
        }
    }

    static class AsyncRemote {

        private volatile CompletableFuture<String> answer = CompletableFuture.completedFuture("value");
        private volatile @Nullable RuntimeException thrownOnCall;
        private volatile @Nullable RuntimeException fallbackFailure;
        private volatile int invocations;

        /** The future the protected methods return from now on. */
        public void answerWith(CompletableFuture<String> answer) {
            this.answer = answer;
        }

        /** Makes the protected methods throw before returning a future. */
        public void throwOnCall(RuntimeException failure) {
            this.thrownOnCall = failure;
        }

        public void failFallbacksWith(RuntimeException failure) {
            this.fallbackFailure = failure;
        }

        public int invocations() {
            return invocations;
        }

        private CompletableFuture<String> answer() {
            invocations++;
            RuntimeException failure = thrownOnCall;
            if (failure != null) {
                throw failure;
            }
            return answer;
        }

        @CircuitBreaker(name = "future")
        public CompletableFuture<String> future(String id) {
            return answer();
        }

        @CircuitBreaker(name = "future-fb", fallbackMethod = "asyncFallback")
        public CompletableFuture<String> futureWithAsyncFallback(String id) {
            return answer();
        }

        private CompletableFuture<String> asyncFallback(String id, Throwable error) {
            RuntimeException failure = fallbackFailure;
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            return CompletableFuture.completedFuture("async-fallback-" + id + ":" + error.getClass().getSimpleName());
        }

        @CircuitBreaker(name = "future-value-fb", fallbackMethod = "valueFallback")
        public CompletableFuture<String> futureWithValueFallback(String id) {
            return answer();
        }

        private String valueFallback(String id) {
            return "value-fallback-" + id;
        }

        @CircuitBreaker(name = "stage")
        public CompletionStage<String> stage(String id) {
            return answer();
        }

        @CircuitBreaker(name = "stage-fb", fallbackMethod = "stageFallback")
        public CompletionStage<String> stageWithFallback(String id) {
            return answer();
        }

        CompletionStage<String> stageFallback(String id, Exception error) {
            return CompletableFuture.completedStage("stage-fallback-" + id + ":" + error.getClass().getSimpleName());
        }

        @CircuitBreaker(name = "trial")
        public CompletableFuture<String> trial() {
            return answer();
        }

        @CircuitBreaker(name = "trial-fb", fallbackMethod = "trialFallback")
        public CompletableFuture<String> trialWithFallback() {
            return answer();
        }

        String trialFallback(CallNotPermittedException rejection) {
            return "fallback:" + rejection.getClass().getSimpleName();
        }

        @CircuitBreaker(name = "stress", fallbackMethod = "stressFallback")
        public CompletableFuture<String> stress() {
            return answer();
        }

        String stressFallback(Exception error) {
            return "fallback";
        }
    }
}
