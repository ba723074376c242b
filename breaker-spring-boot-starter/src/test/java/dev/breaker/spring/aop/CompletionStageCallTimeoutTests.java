package dev.breaker.spring.aop;

import dev.breaker.Breaker;
import dev.breaker.CallTimeoutException;
import dev.breaker.CircuitState;
import dev.breaker.Concurrently;
import dev.breaker.spring.annotation.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;

import static dev.breaker.spring.aop.BreakerContexts.freeTrialPermits;
import static dev.breaker.spring.aop.BreakerContexts.metrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Timeouts of methods returning a {@link CompletableFuture} or {@link CompletionStage}, through a real Spring
 * context. The adapter's scheduler is a manual one: a test fires a call's timeout when it wants, so that every
 * order of timeout, completion and the caller's own completion is played without waiting; one test uses the real
 * shared scheduler.
 */
@Timeout(60)
class CompletionStageCallTimeoutTests {

    private final ApplicationContextRunner runner = BreakerContexts.runner()
            .withUserConfiguration(Config.class, BreakerContexts.FakeTimeConfiguration.class)
            .withPropertyValues(
                    "breaker.instances.future.timeout=2s",
                    "breaker.instances.future-fb.timeout=2s",
                    "breaker.instances.adaptive.timeout=adaptive",
                    "breaker.instances.adaptive.adaptive-timeout.max=3s");

    @Test
    void timeoutWithoutFallback_failsTheAnswer_cancelsTheMethodsFuture_andRecordsAFailure() {
        runner.run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            ManualScheduler scheduler = context.getBean(ManualScheduler.class);
            CompletableFuture<String> pending = new CompletableFuture<>();
            remote.answerWith(pending);

            CompletableFuture<String> answer = remote.future();
            assertThat(answer).as("an answer of its own, which the timeout can fail").isNotSameAs(pending).isNotDone();
            assertThat(scheduler.only().nanos()).isEqualTo(Duration.ofSeconds(2).toNanos());

            scheduler.only().fire();

            assertThatThrownBy(answer::join).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOfSatisfying(CallTimeoutException.class, e -> {
                        assertThat(e.breakerName()).isEqualTo("future");
                        assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(2));
                    });
            assertThat(pending).as("the source, cancelled").isCancelled();
            assertThat(metrics(context, "future").totalFailures()).isEqualTo(1);
        });
    }

    @Test
    void timeoutWithFallback_isAnsweredByTheFallback() {
        runner.run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            ManualScheduler scheduler = context.getBean(ManualScheduler.class);
            CompletableFuture<String> pending = new CompletableFuture<>();
            remote.answerWith(pending);

            CompletableFuture<String> answer = remote.futureWithFallback();
            scheduler.only().fire();

            assertThat(answer).isCompletedWithValue("fallback:CallTimeoutException");
            assertThat(pending).isCancelled();
            assertThat(metrics(context, "future-fb").totalFailures()).isEqualTo(1);
        });
    }

    @Test
    void futureCompletingInTime_isASuccess_andCancelsItsTimeout() {
        runner.run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            ManualScheduler scheduler = context.getBean(ManualScheduler.class);
            CompletableFuture<String> pending = new CompletableFuture<>();
            remote.answerWith(pending);

            CompletableFuture<String> answer = remote.futureWithFallback();
            pending.complete("value");

            assertThat(answer).isCompletedWithValue("value");
            assertThat(scheduler.only().future()).as("the timeout, cancelled").isCancelled();
            scheduler.only().task().run(); // even if it ran anyway
            assertThat(answer).isCompletedWithValue("value");
            assertThat(metrics(context, "future-fb").totalSuccesses()).isEqualTo(1);
            assertThat(metrics(context, "future-fb").totalFailures()).isZero();
        });
    }

    @Test
    void futureAlreadyCompleted_schedulesNoTimeout() {
        runner.run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            remote.answerWith(CompletableFuture.completedFuture("value"));

            assertThat(remote.future()).isCompletedWithValue("value");
            assertThat(context.getBean(ManualScheduler.class).scheduled()).isEmpty();
        });
    }

    @Test
    void answerCompletedByTheCallerFirst_cancelsTheTimeout_andTheMethodsFuture() {
        runner.run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            ManualScheduler scheduler = context.getBean(ManualScheduler.class);
            CompletableFuture<String> pending = new CompletableFuture<>();
            remote.answerWith(pending);

            CompletableFuture<String> answer = remote.future();
            answer.complete("the caller's");
            scheduler.only().task().run();

            assertThat(answer).isCompletedWithValue("the caller's");
            assertThat(pending).isCancelled();
            assertThat(scheduler.only().future()).isCancelled();
            assertThat(metrics(context, "future").totalCalls()).as("the permit was given back").isZero();
        });
    }

    @Test
    void adaptiveTimeout_isTheMaximumUntilEnoughCallsAreKnown() {
        runner.run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            remote.answerWith(new CompletableFuture<>());

            remote.adaptive();

            assertThat(context.getBean(ManualScheduler.class).only().nanos())
                    .isEqualTo(Duration.ofSeconds(3).toNanos());
        });
    }

    @Test
    void annotationTimeout_appliesWhileTheBreakerHasNone() {
        runner.run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            ManualScheduler scheduler = context.getBean(ManualScheduler.class);
            remote.answerWith(new CompletableFuture<>());

            CompletionStage<String> answer = remote.annotated();
            assertThat(scheduler.only().nanos()).isEqualTo(Duration.ofMillis(500).toNanos());
            scheduler.only().fire();

            assertThatThrownBy(() -> answer.toCompletableFuture().join())
                    .hasCauseInstanceOf(CallTimeoutException.class);
            assertThat(metrics(context, "annotated").totalFailures()).isEqualTo(1);
        });
    }

    /** The default scheduler is the core's shared one: a hung future really times out. */
    @Test
    void sharedScheduler_timesOutAHungFuture() {
        BreakerContexts.runner().withUserConfiguration(AsyncRemoteConfig.class)
                .withPropertyValues("breaker.instances.future-fb.timeout=20ms")
                .run(context -> {
                    AsyncRemote remote = context.getBean(AsyncRemote.class);
                    CompletableFuture<String> hung = new CompletableFuture<>();
                    remote.answerWith(hung);

                    CompletableFuture<String> answer = remote.futureWithFallback();

                    assertThat(answer).succeedsWithin(Duration.ofSeconds(10))
                            .isEqualTo("fallback:CallTimeoutException");
                    assertThat(hung).isCancelled();
                    await().atMost(Duration.ofSeconds(10)).untilAsserted(
                            () -> assertThat(metrics(context, "future-fb").totalFailures()).isEqualTo(1));
                });
    }

    /**
     * Many trial calls of a half-open breaker, each raced by three threads: one completes the method's future, one
     * fires its timeout, one completes the answer as a caller would. Exactly one of them ends each call: a success
     * or a timeout recorded, or the trial permit given back (the caller won), never two of these, never none.
     */
    @Test
    void racingCompletionTimeoutAndCaller_endEveryTrialPermitExactlyOnce() throws Exception {
        int calls = 3_000;
        runner.withPropertyValues("breaker.instances.future-fb.consecutive-failures=1",
                "breaker.instances.future-fb.half-open-calls=" + calls,
                "breaker.instances.future-fb.minimum-calls=" + calls).run(context -> {
            AsyncRemote remote = context.getBean(AsyncRemote.class);
            ManualScheduler scheduler = context.getBean(ManualScheduler.class);
            BreakerContexts.openAndLetWaitPass(context, "future-fb", () -> {
                remote.answerWith(CompletableFuture.failedFuture(new IllegalStateException("down")));
                remote.futureWithFallback();
            });
            List<CompletableFuture<String>> sources = new ArrayList<>();
            List<CompletableFuture<String>> answers = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                CompletableFuture<String> source = new CompletableFuture<>();
                remote.answerWith(source);
                sources.add(source);
                answers.add(remote.futureWithFallback());
            }
            List<ManualScheduler.Scheduled> timeouts = scheduler.scheduled();
            assertThat(timeouts).as("every call got a trial permit and a timeout").hasSize(calls);
            Breaker breaker = BreakerContexts.breaker(context, "future-fb");
            assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);

            Concurrently.inParallel(3, thread -> {
                for (int i = 0; i < calls; i++) {
                    switch (thread) {
                        case 0 -> sources.get(i).complete("value");
                        case 1 -> timeouts.get(i).fire();
                        default -> answers.get(i).complete("caller");
                    }
                }
            });

            assertThat(answers).allSatisfy(answer -> assertThat(answer).isDone());
            long successes = metrics(context, "future-fb").totalSuccesses();
            long timedOut = metrics(context, "future-fb").totalFailures() - 1;
            long givenBack = calls - successes - timedOut;
            assertThat(givenBack).as("%d successes and %d timeouts recorded", successes, timedOut)
                    .isBetween(0L, (long) calls);
            assertThat(successes).isPositive();
            assertThat(timedOut).isPositive();
            if (givenBack > 0) {
                assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
                assertThat(freeTrialPermits(breaker, calls)).as("trial permits free again: exactly those given back")
                        .isEqualTo(givenBack);
            } else {
                assertThat(breaker.state()).as("every trial call recorded: a verdict").isNotEqualTo(
                        CircuitState.HALF_OPEN);
            }
        });
    }

    /** A scheduler whose tasks run when a test fires them. */
    static final class ManualScheduler implements CompletionStageCallAdapter.Scheduler {

        /** One scheduled task: fired unless cancelled, as a real scheduler would run it. */
        record Scheduled(long nanos, Runnable task, CompletableFuture<Void> future) {

            void fire() {
                if (!future.isCancelled()) {
                    task.run();
                }
            }
        }

        private final List<Scheduled> scheduled = new CopyOnWriteArrayList<>();

        @Override
        public Future<?> schedule(long nanos, Runnable task) {
            Scheduled added = new Scheduled(nanos, task, new CompletableFuture<>());
            scheduled.add(added);
            return added.future();
        }

        List<Scheduled> scheduled() {
            return List.copyOf(scheduled);
        }

        Scheduled only() {
            assertThat(scheduled).hasSize(1);
            return scheduled.get(0);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Config {

        @Bean
        ManualScheduler manualScheduler() {
            return new ManualScheduler();
        }

        @Bean
        CompletionStageCallAdapter manuallyTimedAdapter(ManualScheduler scheduler) {
            return new CompletionStageCallAdapter(scheduler);
        }

        @Bean
        AsyncRemote asyncRemote() {
            return new AsyncRemote();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class AsyncRemoteConfig {

        @Bean
        AsyncRemote asyncRemote() {
            return new AsyncRemote();
        }
    }

    static class AsyncRemote {

        private volatile CompletableFuture<String> answer = CompletableFuture.completedFuture("value");

        void answerWith(CompletableFuture<String> answer) {
            this.answer = answer;
        }

        @CircuitBreaker(name = "future")
        public CompletableFuture<String> future() {
            return answer;
        }

        @CircuitBreaker(name = "future-fb", fallbackMethod = "fallback")
        public CompletableFuture<String> futureWithFallback() {
            return answer;
        }

        String fallback(Exception error) {
            return "fallback:" + error.getClass().getSimpleName();
        }

        @CircuitBreaker(name = "adaptive")
        public CompletableFuture<String> adaptive() {
            return answer;
        }

        @CircuitBreaker(name = "annotated", timeout = "500ms")
        public CompletionStage<String> annotated() {
            return answer;
        }
    }
}
