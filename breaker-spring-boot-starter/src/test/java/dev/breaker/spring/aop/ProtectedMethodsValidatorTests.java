package dev.breaker.spring.aop;

import dev.breaker.Breaker;
import dev.breaker.BreakerRegistry;
import dev.breaker.spring.annotation.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The breakers of {@code @CircuitBreaker} methods exist as soon as the context has started, before any call, with
 * their configuration; other beans create none; a method no proxy can intercept (private, static, final on a
 * class-based proxy) stops the application. (Fallbacks checked at startup: {@link FallbackMethodResolverTests}.)
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

    // --- methods a proxy cannot intercept ------------------------------------------------------------------

    /** Defect: a private, final or static {@code @CircuitBreaker} method started unprotected, silently. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(classes = {PrivateMethod.class, FinalMethod.class, StaticMethod.class})
    void methodAProxyCannotIntercept_stopsTheApplicationAtStartup_namingItAndWhy(Class<?> beanClass) {
        BreakerContexts.runner().withBean(beanClass).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageStartingWith("@CircuitBreaker(name = \"unreachable\") on " + beanClass.getName()
                            + ".call() cannot protect it: the method is ");
        });
    }

    @Test
    void privateMethod_isRefused_becauseNoProxyCanInterceptIt() {
        BreakerContexts.runner().withBean(PrivateMethod.class).run(context -> assertThat(context.getStartupFailure())
                .rootCause().hasMessageContaining("the method is private"));
    }

    @Test
    void staticMethod_isRefused_becauseItIsNeverCalledOnTheProxy() {
        BreakerContexts.runner().withBean(StaticMethod.class).run(context -> assertThat(context.getStartupFailure())
                .rootCause().hasMessageContaining("the method is static"));
    }

    @Test
    void finalMethod_onAClassBasedProxy_isRefused() {
        BreakerContexts.runner().withBean(FinalMethod.class).run(context -> assertThat(context.getStartupFailure())
                .rootCause().hasMessageContaining("the method is final"));
    }

    @Test
    void finalMethodImplementingAnInterface_onAClassBasedProxy_isRefused() {
        BreakerContexts.runner().withUserConfiguration(FinalImplementationConfig.class)
                .withPropertyValues("spring.aop.proxy-target-class=true")
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("the method is final"));
    }

    /** A JDK proxy calls the target's method through its interface, so final does not stop it intercepting. */
    @Test
    void finalMethodImplementingAnInterface_onAnInterfaceProxy_startsAndIsProtected() {
        BreakerContexts.runner().withUserConfiguration(FinalImplementationConfig.class)
                .withPropertyValues("spring.aop.proxy-target-class=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Lookup lookup = context.getBean(Lookup.class);

                    assertThat(lookup.find()).isEqualTo("found");

                    assertThat(BreakerContexts.metrics(context, "final-on-interface").totalSuccesses()).isEqualTo(1);
                });
    }

    @Test
    void publicFinalMethodOfAnAnnotatedClass_onAClassBasedProxy_isRefused() {
        BreakerContexts.runner().withBean(WholeClassWithFinalMethod.class)
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageStartingWith("@CircuitBreaker(name = \"whole-class\") on "
                                + WholeClassWithFinalMethod.class.getName() + " covers its public methods, and "
                                + WholeClassWithFinalMethod.class.getName() + ".fixed() cannot be protected: "
                                + "the method is final"));
    }

    @Test
    void staticMethodOfAnAnnotatedClass_isNotCoveredByTheClassAnnotation_andTheApplicationStarts() {
        BreakerContexts.runner().withBean(WholeClassWithStaticMethod.class).run(context -> {
            assertThat(context).hasNotFailed();

            assertThat(WholeClassWithStaticMethod.helper()).isEqualTo("helper");
            assertThat(context.getBean(WholeClassWithStaticMethod.class).call()).isEqualTo("call");

            assertThat(BreakerContexts.metrics(context, "whole-class-static").totalCalls()).isEqualTo(1);
        });
    }

    @Test
    void interceptableMethods_start() {
        BreakerContexts.runner().withBean(InterceptableMethods.class).run(context -> {
            assertThat(context).hasNotFailed();
            InterceptableMethods bean = context.getBean(InterceptableMethods.class);

            bean.publicMethod();
            bean.packagePrivateMethod();
            bean.protectedMethod();

            assertThat(BreakerContexts.metrics(context, "interceptable").totalSuccesses()).isEqualTo(3);
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

    static class PrivateMethod {

        @CircuitBreaker(name = "unreachable")
        private String call() {
            return "call";
        }
    }

    static class FinalMethod {

        @CircuitBreaker(name = "unreachable")
        public final String call() {
            return "call";
        }
    }

    static class StaticMethod {

        @CircuitBreaker(name = "unreachable")
        public static String call() {
            return "call";
        }
    }

    public interface Lookup {
        String find();
    }

    static class FinalImplementation implements Lookup {

        @Override
        @CircuitBreaker(name = "final-on-interface")
        public final String find() {
            return "found";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FinalImplementationConfig {

        @Bean
        Lookup lookup() {
            return new FinalImplementation();
        }
    }

    @CircuitBreaker(name = "whole-class")
    static class WholeClassWithFinalMethod {

        public String call() {
            return "call";
        }

        public final String fixed() {
            return "fixed";
        }
    }

    @CircuitBreaker(name = "whole-class-static")
    static class WholeClassWithStaticMethod {

        public String call() {
            return "call";
        }

        public static String helper() {
            return "helper";
        }
    }

    static class InterceptableMethods {

        @CircuitBreaker(name = "interceptable")
        public String publicMethod() {
            return "public";
        }

        @CircuitBreaker(name = "interceptable")
        String packagePrivateMethod() {
            return "package-private";
        }

        @CircuitBreaker(name = "interceptable")
        protected String protectedMethod() {
            return "protected";
        }
    }
}
