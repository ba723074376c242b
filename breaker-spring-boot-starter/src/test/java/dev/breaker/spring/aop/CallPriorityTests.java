package dev.breaker.spring.aop;

import dev.breaker.Breaker;
import dev.breaker.CallNotPermittedException;
import dev.breaker.Priority;
import dev.breaker.spring.annotation.CircuitBreaker;
import dev.breaker.spring.priority.BreakerPriority;
import dev.breaker.spring.priority.WarningBreakers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static dev.breaker.spring.aop.BreakerContexts.breaker;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a protected call's priority comes from, highest first: a {@link Priority} scope (or, for Reactor, the
 * subscriber's context), the method's annotation, the breaker's default. Seen through a breaker that sheds sheddable
 * calls while it warns: a call of priority SHEDDABLE is rejected with reason PRIORITY, any other is let through.
 */
@Timeout(30)
class CallPriorityTests {

    private static final Duration SIGNAL_TIMEOUT = Duration.ofSeconds(5);

    private final ApplicationContextRunner runner = BreakerContexts.runner()
            .withUserConfiguration(Config.class)
            .withPropertyValues(
                    "breaker.defaults.sliding-window.size=4",
                    "breaker.defaults.minimum-calls=4",
                    "breaker.defaults.escalation.enabled=true",
                    "breaker.defaults.shed-on-warning=true",
                    "breaker.instances.search.escalation.enabled=true",
                    "breaker.instances.batch.escalation.enabled=true",
                    "breaker.instances.batch.default-priority=sheddable");

    private static void warn(ApplicationContext context, String name) {
        WarningBreakers.warn(breaker(context, name));
    }

    @Test
    void theAnnotationsPriority_isTheCallsPriority() {
        runner.run(context -> {
            Search search = context.getBean(Search.class);
            warn(context, "search");

            assertThat(search.suggestions("a")).isEqualTo("shed: PRIORITY");
            assertThat(search.results("a")).as("the same breaker, a method without priority").isEqualTo("results a");

            assertThat(breaker(context, "search").metrics().notPermittedByPriority())
                    .containsEntry(Priority.SHEDDABLE, 1L);
        });
    }

    @Test
    void aScope_winsOverTheAnnotation() {
        runner.run(context -> {
            Search search = context.getBean(Search.class);
            warn(context, "search");

            assertThat(Priority.get(Priority.CRITICAL, () -> search.suggestions("a"))).isEqualTo("suggestions a");
            assertThat(Priority.get(Priority.SHEDDABLE, () -> search.results("a"))).isEqualTo("shed: PRIORITY");
        });
    }

    @Test
    void withoutScopeOrAnnotation_theBreakersDefaultPriority() {
        runner.run(context -> {
            Batch batch = context.getBean(Batch.class);
            warn(context, "batch");

            assertThat(batch.export("a")).as("default-priority sheddable").isEqualTo("shed: PRIORITY");
            assertThat(batch.urgentExport("a")).as("priority = CRITICAL").isEqualTo("exported a");
        });
    }

    @Test
    void reactor_theSubscribersContext_winsOverTheAnnotation() {
        runner.run(context -> {
            ReactiveSearch search = context.getBean(ReactiveSearch.class);
            warn(context, "search");

            assertThat(search.suggestions("a").block(SIGNAL_TIMEOUT)).isEqualTo("shed: PRIORITY");
            assertThat(search.suggestions("a").contextWrite(BreakerPriority.withPriority(Priority.CRITICAL))
                    .block(SIGNAL_TIMEOUT)).isEqualTo("suggestions a");
            assertThat(search.results("a").contextWrite(BreakerPriority.withPriority(Priority.SHEDDABLE))
                    .collectList().block(SIGNAL_TIMEOUT)).containsExactly("shed: PRIORITY");
            assertThat(search.results("a").collectList().block(SIGNAL_TIMEOUT)).containsExactly("result a");
        });
    }

    @Test
    void completionStage_startedInAScope_asksForItsPermitInTheScope_thoughItRunsElsewhere() {
        runner.run(context -> {
            AsyncSearch search = context.getBean(AsyncSearch.class);
            warn(context, "search");

            CompletableFuture<String> shed = Priority.get(Priority.SHEDDABLE, () -> search.results("a"));
            CompletableFuture<String> admitted = search.results("b");

            assertThat(shed.get(SIGNAL_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                    .isEqualTo("shed: PRIORITY");
            assertThat(admitted.get(SIGNAL_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                    .isEqualTo("results b");
            assertThat(search.calls()).as("the shed call never ran").isEqualTo(1);
        });
    }

    @Test
    void twoPrioritiesOnOneAnnotation_stopTheStart() {
        BreakerContexts.runner().withUserConfiguration(Undecided.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessage("@CircuitBreaker(name = \"search\") on "
                    + Undecided.class.getName() + ".find(String) names 2 priorities [CRITICAL, SHEDDABLE]; name one, "
                    + "or none for the breaker's default-priority.");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Config {

        @Bean
        Search search() {
            return new Search();
        }

        @Bean
        Batch batch() {
            return new Batch();
        }

        @Bean
        ReactiveSearch reactiveSearch() {
            return new ReactiveSearch();
        }

        @Bean(destroyMethod = "shutdown")
        ExecutorService searchExecutor() {
            return Executors.newSingleThreadExecutor();
        }

        @Bean
        AsyncSearch asyncSearch(ExecutorService searchExecutor) {
            return new AsyncSearch(searchExecutor);
        }
    }

    static class Search {

        @CircuitBreaker(name = "search", priority = Priority.SHEDDABLE, fallbackMethod = "shed")
        public String suggestions(String query) {
            return "suggestions " + query;
        }

        @CircuitBreaker(name = "search", fallbackMethod = "shed")
        public String results(String query) {
            return "results " + query;
        }

        String shed(String query, CallNotPermittedException rejected) {
            return "shed: " + rejected.reason();
        }
    }

    static class Batch {

        @CircuitBreaker(name = "batch", fallbackMethod = "shed")
        public String export(String id) {
            return "exported " + id;
        }

        @CircuitBreaker(name = "batch", priority = Priority.CRITICAL, fallbackMethod = "shed")
        public String urgentExport(String id) {
            return "exported " + id;
        }

        String shed(String id, CallNotPermittedException rejected) {
            return "shed: " + rejected.reason();
        }
    }

    static class ReactiveSearch {

        @CircuitBreaker(name = "search", priority = Priority.SHEDDABLE, fallbackMethod = "shed")
        public Mono<String> suggestions(String query) {
            return Mono.fromSupplier(() -> "suggestions " + query);
        }

        @CircuitBreaker(name = "search", fallbackMethod = "shedAll")
        public Flux<String> results(String query) {
            return Flux.just("result " + query);
        }

        Mono<String> shed(String query, CallNotPermittedException rejected) {
            return Mono.just("shed: " + rejected.reason());
        }

        Flux<String> shedAll(String query, CallNotPermittedException rejected) {
            return Flux.just("shed: " + rejected.reason());
        }
    }

    static class AsyncSearch {

        private final Executor executor;
        private volatile int calls;

        AsyncSearch(Executor executor) {
            this.executor = executor;
        }

        @CircuitBreaker(name = "search", fallbackMethod = "shed")
        public CompletableFuture<String> results(String query) {
            calls++;
            return CompletableFuture.supplyAsync(() -> "results " + query, executor);
        }

        CompletableFuture<String> shed(String query, CallNotPermittedException rejected) {
            return CompletableFuture.completedFuture("shed: " + rejected.reason());
        }

        public int calls() {
            return calls;
        }
    }

    static class Undecided {

        @CircuitBreaker(name = "search", priority = {Priority.CRITICAL, Priority.SHEDDABLE})
        public String find(String query) {
            return query;
        }
    }
}
