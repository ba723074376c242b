package dev.breaker.spring.aop;

import dev.breaker.BreakerMetrics;
import dev.breaker.CallNotPermittedException;
import dev.breaker.RejectionReason;
import dev.breaker.spring.annotation.CircuitBreaker;
import dev.breaker.spring.annotation.Retry;
import dev.breaker.spring.autoconfigure.BreakerProperties;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.aop.framework.Advised;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.resilience.InvocationRejectedException;
import org.springframework.resilience.annotation.ConcurrencyLimit;
import org.springframework.resilience.annotation.EnableResilientMethods;
import org.springframework.resilience.annotation.Retryable;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.breaker.spring.aop.BlockingCallAdapterTests.throwIfSet;
import static dev.breaker.spring.aop.BreakerContexts.forceOpen;
import static dev.breaker.spring.aop.BreakerContexts.metrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * How the breaker advice composes with other advice on the same method, through a real Spring context:
 * {@code @Transactional} (ordered by {@code breaker.aspect-order} against the transaction advisor's order), and
 * Spring Framework 7's {@code @Retryable} and {@code @ConcurrencyLimit} (whose advice always wraps the breaker's).
 * What these tests pin down is written up in {@code docs/COMPOSITION.md} at the repository root.
 */
class BreakerAdvisorOrderTests {

    @Test
    void defaultAspectOrder_isJustBeforeTheLowestPrecedence() {
        assertThat(BreakerProperties.DEFAULT_ASPECT_ORDER).isEqualTo(Ordered.LOWEST_PRECEDENCE - 100);
        BreakerContexts.runner().run(context -> assertThat(context.getBean(BreakerAdvisor.class).getOrder())
                .isEqualTo(BreakerProperties.DEFAULT_ASPECT_ORDER));
    }

    @Test
    void aspectOrderProperty_setsTheAdvisorsOrder() {
        BreakerContexts.runner().withPropertyValues("breaker.aspect-order=42")
                .run(context -> assertThat(context.getBean(BreakerAdvisor.class).getOrder()).isEqualTo(42));
    }

    /** {@code @Transactional} on the same method. */
    @Nested
    class WithTransactional {

        private final ApplicationContextRunner runner = BreakerContexts.runner()
                .withUserConfiguration(TransactionInfrastructure.class, OrdersConfig.class);

        @Test
        void byDefault_theBreakerRunsOutsideTheTransaction_aRejectedCallStartsNoTransaction() {
            runner.withUserConfiguration(DefaultTransactionOrder.class).run(context -> {
                Orders orders = context.getBean(Orders.class);
                List<String> events = context.getBean(RecordingTransactionManager.class).events;
                forceOpen(context, "orders");

                assertThatThrownBy(() -> orders.place("a")).isInstanceOf(CallNotPermittedException.class);

                assertThat(events).isEmpty();
            });
        }

        @Test
        void byDefault_aSuccessfulCallRunsInTheTransaction() {
            runner.withUserConfiguration(DefaultTransactionOrder.class).run(context -> {
                Orders orders = context.getBean(Orders.class);
                List<String> events = context.getBean(RecordingTransactionManager.class).events;

                assertThat(orders.place("a")).isEqualTo("placed-a");

                assertThat(events).containsExactly("begin", "call in transaction", "commit");
                assertThat(metrics(context, "orders").totalSuccesses()).isEqualTo(1);
            });
        }

        @Test
        void byDefault_aFailedCallRollsBack_thenTheFallbackRunsOutsideAnyTransaction() {
            runner.withUserConfiguration(DefaultTransactionOrder.class).run(context -> {
                Orders orders = context.getBean(Orders.class);
                List<String> events = context.getBean(RecordingTransactionManager.class).events;
                orders.failWith(new IllegalStateException("down"));

                assertThat(orders.placeWithFallback("a")).isEqualTo("fallback-a");

                assertThat(events).containsExactly("begin", "call in transaction", "rollback",
                        "fallback without transaction");
                assertThat(metrics(context, "orders-fb").totalFailures()).isEqualTo(1);
            });
        }

        @Test
        void byDefault_aRejectedCallsFallbackRunsOutsideAnyTransaction() {
            runner.withUserConfiguration(DefaultTransactionOrder.class).run(context -> {
                Orders orders = context.getBean(Orders.class);
                List<String> events = context.getBean(RecordingTransactionManager.class).events;
                forceOpen(context, "orders-fb");

                assertThat(orders.placeWithFallback("a")).isEqualTo("fallback-a");

                assertThat(events).containsExactly("fallback without transaction");
            });
        }

        @Test
        void transactionOrderedFirst_theTransactionWrapsTheBreaker_aRejectedCallBeginsAndRollsBack() {
            runner.withUserConfiguration(TransactionFirst.class).run(context -> {
                Orders orders = context.getBean(Orders.class);
                List<String> events = context.getBean(RecordingTransactionManager.class).events;
                forceOpen(context, "orders");

                assertThatThrownBy(() -> orders.place("a")).isInstanceOf(CallNotPermittedException.class);

                assertThat(events).containsExactly("begin", "rollback");
            });
        }

        @Test
        void transactionOrderedFirst_theFallbackOfAFailedCallRunsInTheSameTransaction_whichCommits() {
            runner.withUserConfiguration(TransactionFirst.class).run(context -> {
                Orders orders = context.getBean(Orders.class);
                List<String> events = context.getBean(RecordingTransactionManager.class).events;
                orders.failWith(new IllegalStateException("down"));

                assertThat(orders.placeWithFallback("a")).isEqualTo("fallback-a");

                assertThat(events).as("the failed call's work is committed with the fallback's")
                        .containsExactly("begin", "call in transaction", "fallback in transaction", "commit");
            });
        }

        @Test
        void aspectOrderProperty_decidesAgainstAnExplicitTransactionOrder() {
            // @EnableTransactionManagement(order = 100): the default breaker order (LOWEST_PRECEDENCE - 100) is
            // greater, so the transaction runs outside...
            runner.withUserConfiguration(TransactionOrder100.class).run(context -> {
                forceOpen(context, "orders");
                assertThatThrownBy(() -> context.getBean(Orders.class).place("a"))
                        .isInstanceOf(CallNotPermittedException.class);
                assertThat(context.getBean(RecordingTransactionManager.class).events)
                        .containsExactly("begin", "rollback");
            });
            // ...and breaker.aspect-order below 100 puts the breaker outside again.
            runner.withUserConfiguration(TransactionOrder100.class)
                    .withPropertyValues("breaker.aspect-order=50")
                    .run(context -> {
                        forceOpen(context, "orders");
                        assertThatThrownBy(() -> context.getBean(Orders.class).place("a"))
                                .isInstanceOf(CallNotPermittedException.class);
                        assertThat(context.getBean(RecordingTransactionManager.class).events).isEmpty();
                    });
        }
    }

    /** {@code @Transactional} and the breaker with the same order. */
    @Nested
    class WithTransactionalAtTheSameOrder {

        @Test
        void aspectOrderEqualToTheTransactionOrder_isATie_thatHerePutsTheTransactionOutside() {
            // Both LOWEST_PRECEDENCE: Spring leaves advisors of equal order in the order their beans were
            // registered, here the transaction advisor (user configuration) before the breaker's (auto-configuration).
            // Observed, not promised: give the two different orders instead.
            BreakerContexts.runner()
                    .withUserConfiguration(TransactionInfrastructure.class, DefaultTransactionOrder.class,
                            OrdersConfig.class)
                    .withPropertyValues("breaker.aspect-order=" + Ordered.LOWEST_PRECEDENCE)
                    .run(context -> {
                        Orders orders = context.getBean(Orders.class);
                        forceOpen(context, "orders");

                        assertThatThrownBy(() -> orders.place("a")).isInstanceOf(CallNotPermittedException.class);

                        assertThat(context.getBean(RecordingTransactionManager.class).events)
                                .containsExactly("begin", "rollback");
                        assertThat(adviceChain(orders)).containsExactly("TransactionInterceptor",
                                "BreakerMethodInterceptor");
                    });
        }
    }

    /** Spring Framework 7's {@code @Retryable} on the same method. */
    @Nested
    class WithRetryable {

        private final ApplicationContextRunner runner = BreakerContexts.runner()
                .withUserConfiguration(ResilientMethods.class, RetriedConfig.class);

        @Test
        void retryWrapsTheBreaker_eachAttemptIsACallOfItsOwn() {
            runner.run(context -> {
                Retried retried = context.getBean(Retried.class);

                assertThatThrownBy(retried::call).isInstanceOf(IllegalStateException.class);

                assertThat(retried.attempts()).isEqualTo(3);
                assertThat(metrics(context, "retried").totalFailures()).as("1 call + 2 retries").isEqualTo(3);
            });
        }

        @Test
        void retryWrapsTheBreaker_whateverTheAspectOrder() {
            runner.withPropertyValues("breaker.aspect-order=" + Ordered.HIGHEST_PRECEDENCE).run(context -> {
                Retried retried = context.getBean(Retried.class);

                assertThatThrownBy(retried::call).isInstanceOf(IllegalStateException.class);

                assertThat(metrics(context, "retried").totalFailures()).isEqualTo(3);
                assertThat(adviceChain(retried)).containsSubsequence("RetryAnnotationInterceptor",
                        "BreakerMethodInterceptor");
            });
        }

        @Test
        void retryWrapsTheBreaker_soAnOpenBreakerIsAskedOncePerAttempt() {
            runner.run(context -> {
                Retried retried = context.getBean(Retried.class);
                forceOpen(context, "retried");

                assertThatThrownBy(retried::call).isInstanceOf(CallNotPermittedException.class);

                assertThat(retried.attempts()).isZero();
                assertThat(metrics(context, "retried").totalNotPermitted()).isEqualTo(3);
            });
        }

        @Test
        void retryExcludingCallNotPermittedException_givesUpAtTheFirstRejection() {
            runner.run(context -> {
                Retried retried = context.getBean(Retried.class);
                forceOpen(context, "retried-excluding");

                assertThatThrownBy(retried::callExcludingRejections).isInstanceOf(CallNotPermittedException.class);

                assertThat(metrics(context, "retried-excluding").totalNotPermitted()).isEqualTo(1);
            });
        }

        @Test
        void breakerOpeningDuringRetries_rejectsTheRemainingAttempts() {
            runner.withPropertyValues("breaker.instances.retried.consecutive-failures=2").run(context -> {
                Retried retried = context.getBean(Retried.class);

                assertThatThrownBy(retried::call).isInstanceOf(CallNotPermittedException.class);

                assertThat(retried.attempts()).isEqualTo(2);
                assertThat(metrics(context, "retried").totalFailures()).isEqualTo(2);
                assertThat(metrics(context, "retried").totalNotPermitted()).isEqualTo(1);
            });
        }

        @Test
        @Timeout(10)
        void retryOfAMono_resubscribes_andEachSubscriptionIsACallOfItsOwn() {
            runner.run(context -> {
                Retried retried = context.getBean(Retried.class);

                StepVerifier.create(retried.mono()).expectError(IllegalStateException.class)
                        .verify(Duration.ofSeconds(5));

                assertThat(retried.attempts()).isEqualTo(3);
                assertThat(metrics(context, "retried-mono").totalFailures()).isEqualTo(3);
            });
        }

        @Test
        void breakerWithFallback_answersTheFirstFailure_soRetryNeverRetries() {
            runner.run(context -> {
                Retried retried = context.getBean(Retried.class);

                assertThat(retried.callWithFallback()).isEqualTo("fallback(IllegalStateException)");

                assertThat(retried.attempts()).isEqualTo(1);
                assertThat(metrics(context, "retried-fb").totalFailures()).isEqualTo(1);
            });
        }
    }

    /** Spring Framework 7's {@code @ConcurrencyLimit} on the same method. */
    @Nested
    class WithConcurrencyLimit {

        private final ApplicationContextRunner runner = BreakerContexts.runner()
                .withUserConfiguration(ResilientMethods.class, LimitedConfig.class);

        @Test
        @Timeout(10)
        void concurrencyLimitWrapsTheBreaker_aCallItTurnsAwayNeverReachesTheBreakerOrItsFallback() {
            runner.run(context -> {
                Limited limited = context.getBean(Limited.class);
                CompletableFuture<String> holding = CompletableFuture.supplyAsync(limited::hold);
                try {
                    limited.awaitHolding();

                    assertThatThrownBy(limited::hold).as("a second concurrent call")
                            .isInstanceOf(InvocationRejectedException.class);
                    assertThat(metrics(context, "limited").totalCalls()).as("nothing recorded: not even asked")
                            .isZero();
                } finally {
                    limited.release();
                }
                assertThat(holding.join()).isEqualTo("held");
                assertThat(metrics(context, "limited").totalSuccesses()).isEqualTo(1);
                assertThat(adviceChain(limited)).containsSubsequence("ConcurrencyLimitInterceptor",
                        "BreakerMethodInterceptor");
            });
        }

        @Test
        @Timeout(10)
        void concurrencyLimitBlocking_makesASecondCallWait_soTheBreakersLimitNeverRejectsIt() throws Exception {
            runner.withUserConfiguration(BothLimitsConfig.class)
                    .withPropertyValues("breaker.instances.waiting.max-concurrent-calls=1").run(context -> {
                        BothLimits limits = context.getBean(BothLimits.class);
                        CompletableFuture<String> first = CompletableFuture.supplyAsync(limits::waiting);
                        limits.awaitEntered(1);
                        CompletableFuture<String> second = new CompletableFuture<>();
                        Thread caller = new Thread(() -> second.complete(limits.waiting()), "second-caller");
                        caller.start();

                        await().atMost(Duration.ofSeconds(5)).until(() -> caller.getState() == Thread.State.WAITING);
                        assertThat(limits.entered()).as("the second call waits outside the method").isEqualTo(1);
                        assertThat(second).isNotDone();
                        limits.release();

                        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("done");
                        assertThat(second.get(5, TimeUnit.SECONDS)).as("admitted once the first had ended")
                                .isEqualTo("done");
                        assertThat(metrics(context, "waiting").totalNotPermitted()).isZero();
                        assertThat(metrics(context, "waiting").totalSuccesses()).isEqualTo(2);
                    });
        }

        @Test
        @Timeout(10)
        void maxConcurrentCalls_rejectsASecondCallAtOnce_countedByReason_answeredByTheFallback() throws Exception {
            runner.withUserConfiguration(BothLimitsConfig.class)
                    .withPropertyValues("breaker.instances.rejecting.max-concurrent-calls=1").run(context -> {
                        BothLimits limits = context.getBean(BothLimits.class);
                        CompletableFuture<String> first = CompletableFuture.supplyAsync(limits::rejecting);
                        limits.awaitEntered(1);

                        assertThat(limits.rejecting()).as("on the caller's thread, without waiting")
                                .isEqualTo("busy: CONCURRENCY_LIMIT");

                        assertThat(limits.entered()).isEqualTo(1);
                        BreakerMetrics rejecting = metrics(context, "rejecting");
                        assertThat(rejecting.notPermittedByReason()).containsEntry(RejectionReason.CONCURRENCY_LIMIT,
                                1L);
                        assertThat(rejecting.totalFailures()).as("not a failure of the dependency").isZero();
                        assertThat(rejecting.callsInFlight()).isEqualTo(1);
                        limits.release();
                        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("done");
                        assertThat(metrics(context, "rejecting").callsInFlight()).isZero();
                    });
        }

        @Test
        void allThree_concurrencyLimitOutermost_thenRetry_thenBreaker() {
            runner.withUserConfiguration(RetriedConfig.class).run(context -> {
                Limited limited = context.getBean(Limited.class);

                assertThat(adviceChain(limited)).containsSubsequence("ConcurrencyLimitInterceptor",
                        "RetryAnnotationInterceptor", "BreakerMethodInterceptor");
                assertThatThrownBy(limited::limitedAndRetried).isInstanceOf(IllegalStateException.class);
                assertThat(metrics(context, "limited-retried").totalFailures()).isEqualTo(3);
            });
        }
    }

    /**
     * {@code @CircuitBreaker(retry = @Retry(...))}: the breaker outside, the attempts inside its one permit, one
     * outcome recorded per call, the fallback after the last attempt.
     */
    @Nested
    class WithRetryOnTheAnnotation {

        private final ApplicationContextRunner runner = BreakerContexts.runner()
                .withUserConfiguration(AttemptedConfig.class)
                .withPropertyValues("breaker.instances.attempted-ignoring.ignore-exceptions="
                        + IllegalArgumentException.class.getName());

        @Test
        void attemptsInsideTheBreaker_recordOneSuccess_whenALaterAttemptSucceeds() {
            runner.run(context -> {
                Attempted attempted = context.getBean(Attempted.class);
                attempted.failFirst(2);

                assertThat(attempted.call()).isEqualTo("attempt 3");

                assertThat(attempted.attempts()).isEqualTo(3);
                assertThat(metrics(context, "attempted").totalSuccesses()).isEqualTo(1);
                assertThat(metrics(context, "attempted").totalFailures()).as("the failed attempts are not calls")
                        .isZero();
            });
        }

        @Test
        void attemptsInsideTheBreaker_recordOneFailure_theLastAttemptsError() {
            runner.run(context -> {
                Attempted attempted = context.getBean(Attempted.class);
                attempted.failFirst(10);

                assertThatThrownBy(attempted::call).isInstanceOf(IllegalStateException.class)
                        .hasMessage("attempt 3 failed");

                assertThat(attempted.attempts()).isEqualTo(3);
                assertThat(metrics(context, "attempted").totalFailures()).isEqualTo(1);
            });
        }

        @Test
        void theFallback_answersAfterTheLastAttempt() {
            runner.run(context -> {
                Attempted attempted = context.getBean(Attempted.class);
                attempted.failFirst(10);

                assertThat(attempted.callWithFallback()).isEqualTo("fallback(attempt 3 failed)");

                assertThat(attempted.attempts()).isEqualTo(3);
                assertThat(metrics(context, "attempted-fb").totalFailures()).isEqualTo(1);
            });
        }

        @Test
        void anOpenBreaker_rejectsTheCallOnce_withoutAnAttempt() {
            runner.run(context -> {
                Attempted attempted = context.getBean(Attempted.class);
                forceOpen(context, "attempted-fb");

                assertThat(attempted.callWithFallback()).isEqualTo("fallback(CallNotPermittedException)");

                assertThat(attempted.attempts()).isZero();
                assertThat(metrics(context, "attempted-fb").totalNotPermitted()).isEqualTo(1);
            });
        }

        @Test
        void anErrorTheBreakerIgnores_isNotAttemptedAgain() {
            runner.run(context -> {
                Attempted attempted = context.getBean(Attempted.class);

                assertThatThrownBy(attempted::callIgnoring).isInstanceOf(IllegalArgumentException.class);

                assertThat(attempted.attempts()).isEqualTo(1);
                assertThat(metrics(context, "attempted-ignoring").totalIgnored()).isEqualTo(1);
            });
        }

        @Test
        void theWaitsGrowByTheMultiplier() {
            runner.run(context -> {
                Attempted attempted = context.getBean(Attempted.class);
                attempted.failFirst(10);
                long start = System.nanoTime();

                assertThatThrownBy(attempted::callWithBackoff).isInstanceOf(IllegalStateException.class);

                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("waits of 40ms and 80ms")
                        .isGreaterThanOrEqualTo(Duration.ofMillis(120));
                assertThat(attempted.attempts()).isEqualTo(3);
            });
        }

        @Test
        void aHalfOpenBreakersTrial_spansEveryAttempt() {
            runner.withUserConfiguration(BreakerContexts.FakeTimeConfiguration.class)
                    .withPropertyValues("breaker.instances.attempted.consecutive-failures=1",
                            "breaker.instances.attempted.half-open-calls=1")
                    .run(context -> {
                        Attempted attempted = context.getBean(Attempted.class);
                        attempted.failFirst(3);
                        BreakerContexts.openAndLetWaitPass(context, "attempted",
                                () -> assertThatThrownBy(attempted::call).isInstanceOf(IllegalStateException.class));
                        attempted.failFirst(1);

                        assertThat(attempted.call()).isEqualTo("attempt 2");

                        assertThat(BreakerContexts.breaker(context, "attempted").state())
                                .as("one trial call, which succeeded").isEqualTo(dev.breaker.CircuitState.CLOSED);
                    });
        }

        @Test
        void withTransactional_eachAttemptRunsInATransactionOfItsOwn() {
            runner.withUserConfiguration(TransactionInfrastructure.class, DefaultTransactionOrder.class)
                    .run(context -> {
                        Attempted attempted = context.getBean(Attempted.class);
                        List<String> events = context.getBean(RecordingTransactionManager.class).events;
                        attempted.useEvents(events);
                        attempted.failFirst(1);

                        assertThat(attempted.transactional()).isEqualTo("attempt 2");

                        assertThat(events).containsExactly("begin", "attempt in transaction", "rollback", "begin",
                                "attempt in transaction", "commit");
                        assertThat(metrics(context, "attempted-tx").totalSuccesses()).isEqualTo(1);
                    });
        }

        @Test
        void withSpringsRetryableToo_itsRetriesWrapTheBreakersAttempts() {
            runner.withUserConfiguration(ResilientMethods.class).run(context -> {
                Attempted attempted = context.getBean(Attempted.class);
                attempted.failFirst(10);

                assertThatThrownBy(attempted::retriedTwice).isInstanceOf(IllegalStateException.class);

                assertThat(attempted.attempts()).as("2 retryable calls of 2 attempts each").isEqualTo(4);
                assertThat(metrics(context, "attempted-twice").totalFailures()).isEqualTo(2);
                assertThat(adviceChain(attempted)).containsSubsequence("RetryAnnotationInterceptor",
                        "BreakerMethodInterceptor");
            });
        }

        @Test
        void withConcurrencyLimit_theLimitIsOutermost_andTheAttemptsHoldItsPermit() {
            runner.withUserConfiguration(ResilientMethods.class).run(context -> {
                Attempted attempted = context.getBean(Attempted.class);
                attempted.failFirst(1);

                assertThat(attempted.limited()).isEqualTo("attempt 2");

                assertThat(metrics(context, "attempted-limited").totalSuccesses()).isEqualTo(1);
                assertThat(adviceChain(attempted)).containsSubsequence("ConcurrencyLimitInterceptor",
                        "BreakerMethodInterceptor");
            });
        }

        @Test
        @Timeout(10)
        void aMono_isInvokedAndSubscribedAgain_andRecordedOnce() {
            runner.run(context -> {
                Attempted attempted = context.getBean(Attempted.class);
                attempted.failFirst(2);

                StepVerifier.create(attempted.mono()).expectNext("attempt 3").verifyComplete();

                assertThat(attempted.attempts()).isEqualTo(3);
                assertThat(metrics(context, "attempted-mono").totalSuccesses()).isEqualTo(1);
                assertThat(metrics(context, "attempted-mono").totalFailures()).isZero();
            });
        }

        @Test
        @Timeout(10)
        void aFlux_isSubscribedAgainFromItsStart_andRecordedOnce() {
            runner.run(context -> {
                Attempted attempted = context.getBean(Attempted.class);
                attempted.failFirst(10);

                StepVerifier.create(attempted.flux()).expectNext("a", "a", "a")
                        .expectErrorMessage("attempt 3 failed").verify(Duration.ofSeconds(5));

                assertThat(metrics(context, "attempted-flux").totalFailures()).isEqualTo(1);
            });
        }

        @Test
        @Timeout(10)
        void aCompletionStage_isAttemptedAgainWhenItFails_andTheFallbackAnswersAfterTheLast() {
            runner.run(context -> {
                Attempted attempted = context.getBean(Attempted.class);
                attempted.failFirst(10);

                assertThat(attempted.stage().toCompletableFuture().join()).isEqualTo("fallback(attempt 3 failed)");

                assertThat(attempted.attempts()).isEqualTo(3);
                assertThat(metrics(context, "attempted-stage").totalFailures()).isEqualTo(1);
            });
        }

        @Test
        @Timeout(10)
        void aCompletionStage_thatSucceedsOnALaterAttempt_isOneSuccess() {
            runner.run(context -> {
                Attempted attempted = context.getBean(Attempted.class);
                attempted.failFirst(1);

                assertThat(attempted.stage().toCompletableFuture().join()).isEqualTo("attempt 2");

                assertThat(metrics(context, "attempted-stage").totalSuccesses()).isEqualTo(1);
                assertThat(metrics(context, "attempted-stage").totalFailures()).isZero();
            });
        }

        @Test
        void aRetryThatCannotBeApplied_stopsTheApplication_namingTheMethod() {
            BreakerContexts.runner().withBean(BadRetry.class).run(context -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidRetryException.class)
                        .hasMessage("@CircuitBreaker(name = \"bad\", retry = @Retry(...)) on "
                                + BadRetry.class.getName() + ".call: backoff is 'soon', but it must be a duration "
                                + "such as 100ms, 2s or PT0.1S.");
                assertThat(context.getStartupFailure()).rootCause()
                        .as("explained by the failure analysis of annotated methods, with what to do")
                        .asInstanceOf(InstanceOfAssertFactories.type(InvalidAnnotatedMethodException.class))
                        .extracting(InvalidAnnotatedMethodException::action).isEqualTo("Correct the retry attribute "
                                + "of the @CircuitBreaker on " + BadRetry.class.getName() + ".call as described, or "
                                + "remove it.");
            });
        }
    }

    /** The simple class names of the advice on {@code proxy}, outermost first. */
    private static List<String> adviceChain(Object proxy) {
        return Arrays.stream(((Advised) proxy).getAdvisors())
                .map(advisor -> advisor.getAdvice().getClass().getSimpleName()).toList();
    }

    // --- transactions -----------------------------------------------------------------------------------------

    /** A real transaction manager that records what it is asked to do, and the events of the beans below. */
    static final class RecordingTransactionManager extends AbstractPlatformTransactionManager {

        private static final long serialVersionUID = 1L;

        final transient List<String> events = new CopyOnWriteArrayList<>();

        @Override
        protected Object doGetTransaction() {
            return new Object();
        }

        @Override
        protected void doBegin(Object transaction, TransactionDefinition definition) {
            events.add("begin");
        }

        @Override
        protected void doCommit(DefaultTransactionStatus status) {
            events.add("commit");
        }

        @Override
        protected void doRollback(DefaultTransactionStatus status) {
            events.add("rollback");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TransactionInfrastructure {

        @Bean
        RecordingTransactionManager transactionManager() {
            return new RecordingTransactionManager();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableTransactionManagement
    static class DefaultTransactionOrder {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableTransactionManagement(order = 0)
    static class TransactionFirst {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableTransactionManagement(order = 100)
    static class TransactionOrder100 {
    }

    @Configuration(proxyBeanMethods = false)
    static class OrdersConfig {

        @Bean
        Orders orders(RecordingTransactionManager transactionManager) {
            return new Orders(transactionManager.events);
        }
    }

    static class Orders {

        private final List<String> events;
        private volatile @Nullable Throwable failure;

        Orders(List<String> events) {
            this.events = events;
        }

        public void failWith(@Nullable Throwable failure) {
            this.failure = failure;
        }

        @Transactional
        @CircuitBreaker(name = "orders")
        public String place(String id) {
            return work(id);
        }

        @Transactional
        @CircuitBreaker(name = "orders-fb", fallbackMethod = "fallback")
        public String placeWithFallback(String id) {
            return work(id);
        }

        private String work(String id) {
            events.add(TransactionSynchronizationManager.isActualTransactionActive() ? "call in transaction"
                    : "call without transaction");
            throwIfSet(failure);
            return "placed-" + id;
        }

        String fallback(String id, Exception error) {
            events.add(TransactionSynchronizationManager.isActualTransactionActive() ? "fallback in transaction"
                    : "fallback without transaction");
            return "fallback-" + id;
        }
    }

    // --- @Retryable and @ConcurrencyLimit ---------------------------------------------------------------------

    @Configuration(proxyBeanMethods = false)
    @EnableResilientMethods
    static class ResilientMethods {
    }

    @Configuration(proxyBeanMethods = false)
    static class RetriedConfig {

        @Bean
        Retried retried() {
            return new Retried();
        }
    }

    static class Retried {

        private final AtomicInteger attempts = new AtomicInteger();

        public int attempts() {
            return attempts.get();
        }

        @Retryable(maxRetries = 2, delay = 0)
        @CircuitBreaker(name = "retried")
        public String call() {
            throw new IllegalStateException("attempt " + attempts.incrementAndGet());
        }

        @Retryable(maxRetries = 2, delay = 0, excludes = CallNotPermittedException.class)
        @CircuitBreaker(name = "retried-excluding")
        public String callExcludingRejections() {
            throw new IllegalStateException("attempt " + attempts.incrementAndGet());
        }

        @Retryable(maxRetries = 2, delay = 0)
        @CircuitBreaker(name = "retried-fb", fallbackMethod = "fallback")
        public String callWithFallback() {
            throw new IllegalStateException("attempt " + attempts.incrementAndGet());
        }

        String fallback(Exception error) {
            return "fallback(" + error.getClass().getSimpleName() + ")";
        }

        @Retryable(maxRetries = 2, delay = 0)
        @CircuitBreaker(name = "retried-mono")
        public Mono<String> mono() {
            return Mono.error(() -> new IllegalStateException("attempt " + attempts.incrementAndGet()));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class LimitedConfig {

        @Bean
        Limited limited() {
            return new Limited();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BothLimitsConfig {

        @Bean
        BothLimits bothLimits() {
            return new BothLimits();
        }
    }

    /**
     * Spring's {@code @ConcurrencyLimit} (blocking, its default policy) and the breaker's max-concurrent-calls on one
     * method: the smaller limit acts. Each method holds its caller until {@link #release()}.
     */
    static class BothLimits {

        private final AtomicInteger entered = new AtomicInteger();
        private final CountDownLatch released = new CountDownLatch(1);

        /** @ConcurrencyLimit 1 (blocks), breaker limit 1: the second call waits, then is admitted. */
        @ConcurrencyLimit(1)
        @CircuitBreaker(name = "waiting", fallbackMethod = "busy")
        public String waiting() {
            return hold();
        }

        /** @ConcurrencyLimit 2, breaker limit 1: the second call passes the first, and the breaker rejects it. */
        @ConcurrencyLimit(2)
        @CircuitBreaker(name = "rejecting", fallbackMethod = "busy")
        public String rejecting() {
            return hold();
        }

        private String hold() {
            entered.incrementAndGet();
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "done";
        }

        String busy(CallNotPermittedException rejected) {
            return "busy: " + rejected.reason();
        }

        public int entered() {
            return entered.get();
        }

        public void awaitEntered(int calls) {
            await().atMost(Duration.ofSeconds(5)).until(() -> entered.get() >= calls);
        }

        public void release() {
            released.countDown();
        }
    }

    static class Limited {

        private final CountDownLatch holding = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        /** Takes the method's only concurrency permit and keeps it until {@link #release()}. */
        @ConcurrencyLimit(limit = 1, policy = ConcurrencyLimit.ThrottlePolicy.REJECT)
        @CircuitBreaker(name = "limited", fallbackMethod = "fallback")
        public String hold() {
            holding.countDown();
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "held";
        }

        String fallback(Exception error) {
            return "fallback(" + error.getClass().getSimpleName() + ")";
        }

        @ConcurrencyLimit(limit = 1, policy = ConcurrencyLimit.ThrottlePolicy.REJECT)
        @Retryable(maxRetries = 2, delay = 0)
        @CircuitBreaker(name = "limited-retried")
        public String limitedAndRetried() {
            throw new IllegalStateException("down");
        }

        public void awaitHolding() throws InterruptedException {
            holding.await();
        }

        public void release() {
            released.countDown();
        }
    }

    // --- @CircuitBreaker(retry = @Retry(...)) -----------------------------------------------------------------

    @Configuration(proxyBeanMethods = false)
    static class AttemptedConfig {

        @Bean
        Attempted attempted() {
            return new Attempted();
        }
    }

    static class Attempted {

        private final AtomicInteger attempts = new AtomicInteger();
        private volatile int failFirst;
        private volatile List<String> events = new CopyOnWriteArrayList<>();

        void failFirst(int attemptsToFail) {
            attempts.set(0);
            this.failFirst = attemptsToFail;
        }

        void useEvents(List<String> events) {
            this.events = events;
        }

        public int attempts() {
            return attempts.get();
        }

        private String attempt() {
            int attempt = attempts.incrementAndGet();
            if (attempt <= failFirst) {
                throw new IllegalStateException("attempt " + attempt + " failed");
            }
            return "attempt " + attempt;
        }

        @CircuitBreaker(name = "attempted", retry = @Retry(maxAttempts = 3))
        public String call() {
            return attempt();
        }

        @CircuitBreaker(name = "attempted-fb", fallbackMethod = "fallback", retry = @Retry(maxAttempts = 3))
        public String callWithFallback() {
            return attempt();
        }

        String fallback(Exception error) {
            return "fallback(" + (error instanceof CallNotPermittedException ? "CallNotPermittedException"
                    : error.getMessage()) + ")";
        }

        @CircuitBreaker(name = "attempted-ignoring", retry = @Retry(maxAttempts = 3))
        public String callIgnoring() {
            attempts.incrementAndGet();
            throw new IllegalArgumentException("bad request");
        }

        @CircuitBreaker(name = "attempted-backoff",
                retry = @Retry(maxAttempts = 3, backoff = "40ms", multiplier = 2, maxBackoff = "1s"))
        public String callWithBackoff() {
            return attempt();
        }

        @Transactional
        @CircuitBreaker(name = "attempted-tx", retry = @Retry(maxAttempts = 3))
        public String transactional() {
            events.add(TransactionSynchronizationManager.isActualTransactionActive() ? "attempt in transaction"
                    : "attempt without transaction");
            return attempt();
        }

        @Retryable(maxRetries = 1, delay = 0)
        @CircuitBreaker(name = "attempted-twice", retry = @Retry(maxAttempts = 2))
        public String retriedTwice() {
            return attempt();
        }

        @ConcurrencyLimit(limit = 1, policy = ConcurrencyLimit.ThrottlePolicy.REJECT)
        @CircuitBreaker(name = "attempted-limited", retry = @Retry(maxAttempts = 2))
        public String limited() {
            return attempt();
        }

        @CircuitBreaker(name = "attempted-mono", retry = @Retry(maxAttempts = 3))
        public Mono<String> mono() {
            return Mono.fromCallable(this::attempt);
        }

        @CircuitBreaker(name = "attempted-flux", retry = @Retry(maxAttempts = 3))
        public Flux<String> flux() {
            return Flux.just("a").concatWith(Mono.fromCallable(this::attempt));
        }

        @CircuitBreaker(name = "attempted-stage", fallbackMethod = "stageFallback",
                retry = @Retry(maxAttempts = 3, backoff = "1ms"))
        public CompletionStage<String> stage() {
            return CompletableFuture.supplyAsync(this::attempt);
        }

        CompletionStage<String> stageFallback(Exception error) {
            return CompletableFuture.completedFuture("fallback(" + error.getMessage() + ")");
        }
    }

    static class BadRetry {

        @CircuitBreaker(name = "bad", retry = @Retry(maxAttempts = 2, backoff = "soon"))
        public String call() {
            return "never";
        }
    }
}
