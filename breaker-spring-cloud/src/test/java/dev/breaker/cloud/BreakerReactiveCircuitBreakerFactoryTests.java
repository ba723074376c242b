package dev.breaker.cloud;

import dev.breaker.Breaker;
import dev.breaker.BreakerRegistry;
import dev.breaker.CallNotPermittedException;
import dev.breaker.spring.autoconfigure.BreakerAutoConfiguration;
import dev.breaker.spring.autoconfigure.BreakerReconfigurationAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.circuitbreaker.NoFallbackAvailableException;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreaker;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory;
import org.springframework.context.ApplicationContext;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Spring Cloud's reactive contract on Breaker: one permit per subscription, as for annotated methods. */
class BreakerReactiveCircuitBreakerFactoryTests {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(BreakerAutoConfiguration.class,
                    BreakerReconfigurationAutoConfiguration.class, BreakerSpringCloudAutoConfiguration.class))
            .withPropertyValues("breaker.instances.search.consecutive-failures=2");

    private static ReactiveCircuitBreaker search(ApplicationContext context) {
        return context.getBean(ReactiveCircuitBreakerFactory.class).create("search");
    }

    private static Breaker breaker(ApplicationContext context) {
        return context.getBean(BreakerRegistry.class).find("search").orElseThrow();
    }

    @Test
    void aMono_isOneCallPerSubscription() {
        runner.run(context -> {
            Mono<String> protectedMono = search(context).run(Mono.just("found"));

            StepVerifier.create(protectedMono).expectNext("found").verifyComplete();
            StepVerifier.create(protectedMono).expectNext("found").verifyComplete();

            assertThat(breaker(context).metrics().totalSuccesses()).isEqualTo(2);
        });
    }

    @Test
    void aFailedMono_withoutAFallback_failsWithNoFallbackAvailable() {
        runner.run(context -> {
            StepVerifier.create(search(context).run(Mono.error(new IllegalStateException("down"))))
                    .expectError(NoFallbackAvailableException.class).verify(WAIT);

            assertThat(breaker(context).metrics().totalFailures()).isEqualTo(1);
        });
    }

    @Test
    void anOpenBreaker_answersFromTheFallback_withoutSubscribing() {
        runner.run(context -> {
            ReactiveCircuitBreaker search = search(context);
            for (int i = 0; i < 2; i++) {
                StepVerifier.create(search.run(Mono.<String>error(new IllegalStateException("down")),
                        error -> Mono.just("fallback"))).expectNext("fallback").verifyComplete();
            }
            AtomicInteger subscriptions = new AtomicInteger();

            StepVerifier.create(search.run(Mono.fromCallable(() -> {
                        subscriptions.incrementAndGet();
                        return "never";
                    }), error -> Mono.just(error.getClass().getSimpleName())))
                    .expectNext(CallNotPermittedException.class.getSimpleName()).verifyComplete();

            assertThat(subscriptions).hasValue(0);
            assertThat(breaker(context).metrics().totalNotPermitted()).isEqualTo(1);
        });
    }

    @Test
    void aFlux_isASuccessWhenItCompletes_andAFailureWhenItErrs() {
        runner.run(context -> {
            ReactiveCircuitBreaker search = search(context);

            StepVerifier.create(search.run(Flux.just("a", "b"))).expectNext("a", "b").verifyComplete();
            StepVerifier.create(search.run(Flux.just("a").concatWith(Flux.error(new IllegalStateException("x"))),
                    error -> Flux.just("fallback"))).expectNext("a", "fallback").verifyComplete();

            assertThat(breaker(context).metrics().totalSuccesses()).isEqualTo(1);
            assertThat(breaker(context).metrics().totalFailures()).isEqualTo(1);
        });
    }

    @Test
    void aSubscriptionCancelledBeforeAValue_givesItsPermitBack_unrecorded() {
        runner.run(context -> {
            StepVerifier.create(search(context).run(Mono.never())).thenCancel().verify(WAIT);

            assertThat(breaker(context).metrics().totalCalls()).isZero();
            assertThat(breaker(context).metrics().totalNotPermitted()).isZero();
        });
    }
}
