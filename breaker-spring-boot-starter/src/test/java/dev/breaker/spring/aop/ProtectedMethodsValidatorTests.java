package dev.breaker.spring.aop;

import dev.breaker.Breaker;
import dev.breaker.BreakerRegistry;
import dev.breaker.spring.annotation.CircuitBreaker;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The breakers of {@code @CircuitBreaker} methods exist as soon as the context has started, before any call, with
 * their configuration; other beans create none. (Fallbacks checked at startup: {@link FallbackMethodResolverTests}.)
 */
class ProtectedMethodsValidatorTests {

    private final ApplicationContextRunner runner = BreakerContexts.runner()
            .withUserConfiguration(Config.class)
            .withPropertyValues(
                    "breaker.defaults.consecutive-failures=7",
                    "breaker.instances.configured.consecutive-failures=3");

    @ParameterizedTest(name = "spring.aop.proxy-target-class={0}")
    @ValueSource(booleans = {true, false})
    void breakersOfAnnotatedMethods_existRightAfterStartup_beforeAnyCall(boolean proxyTargetClass) {
        runner.withPropertyValues("spring.aop.proxy-target-class=" + proxyTargetClass).run(context -> {
            BreakerRegistry registry = context.getBean(BreakerRegistry.class);

            assertThat(registry.all()).extracting(Breaker::name).containsExactlyInAnyOrder(
                    "configured", "unlisted", "class-level", "on-interface", "with-fallback");
            assertThat(registry.all()).allSatisfy(breaker -> assertThat(breaker.metrics().totalCalls()).isZero());
        });
    }

    @ParameterizedTest(name = "spring.aop.proxy-target-class={0}")
    @ValueSource(booleans = {true, false})
    void breakersCreatedAtStartup_haveTheirConfiguration(boolean proxyTargetClass) {
        runner.withPropertyValues("spring.aop.proxy-target-class=" + proxyTargetClass).run(context -> {
            BreakerRegistry registry = context.getBean(BreakerRegistry.class);

            assertThat(registry.find("configured")).get()
                    .satisfies(breaker -> assertThat(breaker.config().consecutiveFailures()).isEqualTo(3));
            assertThat(registry.find("unlisted")).get().as("a name not under breaker.instances gets the defaults")
                    .satisfies(breaker -> assertThat(breaker.config().consecutiveFailures()).isEqualTo(7));
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Config {

        @Bean
        Annotated annotated() {
            return new Annotated();
        }

        @Bean
        WholeClass wholeClass() {
            return new WholeClass();
        }

        @Bean
        Contract contract() {
            return new ContractImplementation();
        }

        @Bean
        NotAnnotated notAnnotated() {
            return new NotAnnotated();
        }
    }

    static class Annotated {

        @CircuitBreaker(name = "configured")
        public String configured() {
            return "configured";
        }

        @CircuitBreaker(name = "unlisted")
        public String unlisted() {
            return "unlisted";
        }

        @CircuitBreaker(name = "with-fallback", fallbackMethod = "fallback")
        public String withFallback() {
            return "value";
        }

        String fallback() {
            return "fallback";
        }
    }

    @CircuitBreaker(name = "class-level")
    static class WholeClass {

        public String first() {
            return "first";
        }
    }

    interface Contract {
        @CircuitBreaker(name = "on-interface")
        String lookup();
    }

    static class ContractImplementation implements Contract {
        @Override
        public String lookup() {
            return "found";
        }
    }

    static class NotAnnotated {

        public String plain() {
            return "plain";
        }
    }
}
