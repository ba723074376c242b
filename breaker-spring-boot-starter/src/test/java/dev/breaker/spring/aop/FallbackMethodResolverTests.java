package dev.breaker.spring.aop;

import dev.breaker.spring.annotation.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fallbacks are checked when the application starts: a missing or mismatched one stops the context with an
 * {@link InvalidFallbackMethodException} naming the class, the protected method, the accepted signatures and what
 * was found.
 */
class FallbackMethodResolverTests {

    private static final String PREFIX = FallbackMethodResolverTests.class.getName() + "$";

    private final ApplicationContextRunner runner = BreakerContexts.runner();

    @Test
    void missingFallbackMethod_stopsTheContext() {
        runner.withUserConfiguration(MissingFallback.Config.class).run(context -> {
            InvalidFallbackMethodException failure = startupFailure(context);

            assertThat(failure).hasMessage("""
                    @CircuitBreaker(name = "missing", fallbackMethod = "noSuchMethod") on \
                    %1$sMissingFallback.find(String) has no usable fallback method.
                    Accepted, in %1$sMissingFallback or a superclass, any visibility:
                        String noSuchMethod(String)
                        String noSuchMethod(String, Throwable error)   (any Throwable subtype; the most specific \
                    match wins)
                    Found:
                        no method named 'noSuchMethod'""".formatted(PREFIX));
            assertThat(failure.fallbackMethod()).isEqualTo("noSuchMethod");
            assertThat(failure.method().getName()).isEqualTo("find");
            assertThat(failure.method().getDeclaringClass()).isEqualTo(MissingFallback.class);
        });
    }

    @Test
    void fallbackWithOtherParameterTypes_stopsTheContext() {
        runner.withUserConfiguration(WrongParameters.Config.class).run(context -> {
            assertThat(startupFailure(context)).hasMessage("""
                    @CircuitBreaker(name = "wrong-parameters", fallbackMethod = "fallback") on \
                    %1$sWrongParameters.find(String) has no usable fallback method.
                    Accepted, in %1$sWrongParameters or a superclass, any visibility:
                        String fallback(String)
                        String fallback(String, Throwable error)   (any Throwable subtype; the most specific match wins)
                    Found:
                        String fallback(Integer): its parameters (Integer) are not (String) optionally followed by one \
                    Throwable""".formatted(PREFIX));
        });
    }

    @Test
    void fallbackWhoseExtraParameterIsNotAThrowable_stopsTheContext() {
        runner.withUserConfiguration(NonThrowableExtraParameter.Config.class).run(context -> {
            assertThat(startupFailure(context).getMessage()).endsWith("""
                    Found:
                        String fallback(String, String): its parameters (String, String) are not (String) optionally \
                    followed by one Throwable""");
        });
    }

    @Test
    void fallbackWithIncompatibleReturnType_stopsTheContext() {
        runner.withUserConfiguration(IncompatibleReturnType.Config.class).run(context -> {
            assertThat(startupFailure(context)).hasMessage("""
                    @CircuitBreaker(name = "incompatible-return", fallbackMethod = "fallback") on \
                    %1$sIncompatibleReturnType.count(String) has no usable fallback method.
                    Accepted, in %1$sIncompatibleReturnType or a superclass, any visibility:
                        int fallback(String)
                        int fallback(String, Throwable error)   (any Throwable subtype; the most specific match wins)
                    Found:
                        String fallback(String): it returns String, which cannot stand in for int""".formatted(PREFIX));
        });
    }

    @Test
    void voidFallbackForAValueMethod_stopsTheContext() {
        runner.withUserConfiguration(VoidFallback.Config.class).run(context -> {
            assertThat(startupFailure(context).getMessage()).endsWith("""
                    Found:
                        void fallback(String): it returns void, which cannot stand in for String""");
        });
    }

    @Test
    void asyncMethod_withFallbackReturningAnotherPlainType_stopsTheContext() {
        runner.withUserConfiguration(AsyncPlainValueMismatch.Config.class).run(context -> {
            assertThat(startupFailure(context)).hasMessage("""
                    @CircuitBreaker(name = "async-mismatch", fallbackMethod = "fallback") on \
                    %1$sAsyncPlainValueMismatch.find(String) has no usable fallback method.
                    Accepted, in %1$sAsyncPlainValueMismatch or a superclass, any visibility:
                        CompletableFuture<String> or String fallback(String)
                        CompletableFuture<String> or String fallback(String, Throwable error)   (any Throwable \
                    subtype; the most specific match wins)
                    Found:
                        Integer fallback(String): it returns Integer, which cannot stand in for \
                    CompletableFuture<String> or String""".formatted(PREFIX));
        });
    }

    @Test
    void asyncMethod_withFallbackReturningAFutureOfAnotherType_stopsTheContext() {
        runner.withUserConfiguration(AsyncGenericMismatch.Config.class).run(context -> {
            assertThat(context).as("CompletableFuture<Integer> cannot stand in for CompletableFuture<String>")
                    .hasFailed();
            assertThat(startupFailure(context).getMessage()).endsWith("""
                    Found:
                        CompletableFuture fallback(String): it returns CompletableFuture<Integer>, which cannot stand \
                    in for CompletableFuture<String>""");
        });
    }

    @Test
    void monoMethod_withFluxFallback_stopsTheContext() {
        runner.withUserConfiguration(MonoWithFluxFallback.Config.class).run(context -> {
            assertThat(startupFailure(context).getMessage()).endsWith("""
                    Found:
                        Flux fallback(String): it returns Flux, which cannot stand in for Mono<String> or String""");
        });
    }

    @Test
    void monoMethod_withFallbackReturningAMonoOfAnotherType_stopsTheContext() {
        runner.withUserConfiguration(MonoGenericMismatch.Config.class).run(context -> {
            assertThat(context).as("Mono<Integer> cannot stand in for Mono<String>").hasFailed();
            assertThat(startupFailure(context).getMessage()).endsWith("""
                    Found:
                        Mono fallback(String): it returns Mono<Integer>, which cannot stand in for Mono<String>""");
        });
    }

    @Test
    void methodWithoutParameters_messageShowsEmptyParameterLists() {
        runner.withUserConfiguration(NoParameters.Config.class).run(context -> {
            assertThat(startupFailure(context)).hasMessage("""
                    @CircuitBreaker(name = "no-parameters", fallbackMethod = "absent") on %1$sNoParameters.status() \
                    has no usable fallback method.
                    Accepted, in %1$sNoParameters or a superclass, any visibility:
                        String absent()
                        String absent(Throwable error)   (any Throwable subtype; the most specific match wins)
                    Found:
                        no method named 'absent'""".formatted(PREFIX));
        });
    }

    @Test
    void severalUnusableOverloads_areAllListed() {
        runner.withUserConfiguration(SeveralUnusable.Config.class).run(context -> {
            assertThat(startupFailure(context).getMessage()).contains(
                    "\n    String fallback(Integer): its parameters (Integer) are not (String) optionally followed by "
                            + "one Throwable",
                    "\n    long fallback(String): it returns long, which cannot stand in for String");
        });
    }

    @Test
    void classLevelFallback_mustFitEveryPublicMethod() {
        runner.withUserConfiguration(ClassLevelFallback.Config.class).run(context -> {
            InvalidFallbackMethodException failure = startupFailure(context);

            assertThat(failure.method().getName()).isEqualTo("count");
            assertThat(failure.getMessage()).startsWith("""
                    @CircuitBreaker(name = "class-level", fallbackMethod = "fallback") on \
                    %1$sClassLevelFallback.count() has no usable fallback method.""".formatted(PREFIX));
        });
    }

    @Test
    void oneUsableAmongSeveralOverloads_startsAndUsesIt() {
        runner.withUserConfiguration(OneUsable.Config.class).run(context -> {
            assertThat(context).hasNotFailed();
            OneUsable bean = context.getBean(OneUsable.class);
            BreakerContexts.forceOpen(context, "one-usable");

            assertThat(bean.find("a")).isEqualTo("fallback-a");
        });
    }

    private static InvalidFallbackMethodException startupFailure(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidFallbackMethodException.class);
        Throwable root = context.getStartupFailure();
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return (InvalidFallbackMethodException) root;
    }

    static class MissingFallback {

        @CircuitBreaker(name = "missing", fallbackMethod = "noSuchMethod")
        public String find(String id) {
            return id;
        }

        @Configuration(proxyBeanMethods = false)
        static class Config {
            @Bean
            MissingFallback bean() {
                return new MissingFallback();
            }
        }
    }

    static class WrongParameters {

        @CircuitBreaker(name = "wrong-parameters", fallbackMethod = "fallback")
        public String find(String id) {
            return id;
        }

        String fallback(Integer id) {
            return "fallback";
        }

        @Configuration(proxyBeanMethods = false)
        static class Config {
            @Bean
            WrongParameters bean() {
                return new WrongParameters();
            }
        }
    }

    static class NonThrowableExtraParameter {

        @CircuitBreaker(name = "extra-parameter", fallbackMethod = "fallback")
        public String find(String id) {
            return id;
        }

        String fallback(String id, String reason) {
            return "fallback";
        }

        @Configuration(proxyBeanMethods = false)
        static class Config {
            @Bean
            NonThrowableExtraParameter bean() {
                return new NonThrowableExtraParameter();
            }
        }
    }

    static class IncompatibleReturnType {

        @CircuitBreaker(name = "incompatible-return", fallbackMethod = "fallback")
        public int count(String id) {
            return 1;
        }

        String fallback(String id) {
            return "fallback";
        }

        @Configuration(proxyBeanMethods = false)
        static class Config {
            @Bean
            IncompatibleReturnType bean() {
                return new IncompatibleReturnType();
            }
        }
    }

    static class VoidFallback {

        @CircuitBreaker(name = "void-fallback", fallbackMethod = "fallback")
        public String find(String id) {
            return id;
        }

        void fallback(String id) {
        }

        @Configuration(proxyBeanMethods = false)
        static class Config {
            @Bean
            VoidFallback bean() {
                return new VoidFallback();
            }
        }
    }

    static class AsyncPlainValueMismatch {

        @CircuitBreaker(name = "async-mismatch", fallbackMethod = "fallback")
        public CompletableFuture<String> find(String id) {
            return CompletableFuture.completedFuture(id);
        }

        Integer fallback(String id) {
            return 0;
        }

        @Configuration(proxyBeanMethods = false)
        static class Config {
            @Bean
            AsyncPlainValueMismatch bean() {
                return new AsyncPlainValueMismatch();
            }
        }
    }

    static class AsyncGenericMismatch {

        @CircuitBreaker(name = "async-generic-mismatch", fallbackMethod = "fallback")
        public CompletableFuture<String> find(String id) {
            return CompletableFuture.completedFuture(id);
        }

        CompletableFuture<Integer> fallback(String id) {
            return CompletableFuture.completedFuture(0);
        }

        @Configuration(proxyBeanMethods = false)
        static class Config {
            @Bean
            AsyncGenericMismatch bean() {
                return new AsyncGenericMismatch();
            }
        }
    }

    static class MonoWithFluxFallback {

        @CircuitBreaker(name = "mono-flux", fallbackMethod = "fallback")
        public Mono<String> find(String id) {
            return Mono.just(id);
        }

        Flux<String> fallback(String id) {
            return Flux.just(id);
        }

        @Configuration(proxyBeanMethods = false)
        static class Config {
            @Bean
            MonoWithFluxFallback bean() {
                return new MonoWithFluxFallback();
            }
        }
    }

    static class MonoGenericMismatch {

        @CircuitBreaker(name = "mono-generic-mismatch", fallbackMethod = "fallback")
        public Mono<String> find(String id) {
            return Mono.just(id);
        }

        Mono<Integer> fallback(String id) {
            return Mono.just(0);
        }

        @Configuration(proxyBeanMethods = false)
        static class Config {
            @Bean
            MonoGenericMismatch bean() {
                return new MonoGenericMismatch();
            }
        }
    }

    static class NoParameters {

        @CircuitBreaker(name = "no-parameters", fallbackMethod = "absent")
        public String status() {
            return "up";
        }

        @Configuration(proxyBeanMethods = false)
        static class Config {
            @Bean
            NoParameters bean() {
                return new NoParameters();
            }
        }
    }

    static class SeveralUnusable {

        @CircuitBreaker(name = "several-unusable", fallbackMethod = "fallback")
        public String find(String id) {
            return id;
        }

        String fallback(Integer id) {
            return "fallback";
        }

        long fallback(String id) {
            return 0L;
        }

        @Configuration(proxyBeanMethods = false)
        static class Config {
            @Bean
            SeveralUnusable bean() {
                return new SeveralUnusable();
            }
        }
    }

    @CircuitBreaker(name = "class-level", fallbackMethod = "fallback")
    static class ClassLevelFallback {

        public String find(String id) {
            return id;
        }

        public int count() {
            return 1;
        }

        String fallback(String id) {
            return "fallback";
        }

        @Configuration(proxyBeanMethods = false)
        static class Config {
            @Bean
            ClassLevelFallback bean() {
                return new ClassLevelFallback();
            }
        }
    }

    static class OneUsable {

        @CircuitBreaker(name = "one-usable", fallbackMethod = "fallback")
        public String find(String id) {
            return id;
        }

        String fallback(Integer id) {
            return "unusable";
        }

        String fallback(String id) {
            return "fallback-" + id;
        }

        @Configuration(proxyBeanMethods = false)
        static class Config {
            @Bean
            OneUsable bean() {
                return new OneUsable();
            }
        }
    }
}
