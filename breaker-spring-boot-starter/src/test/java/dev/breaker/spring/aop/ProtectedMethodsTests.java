package dev.breaker.spring.aop;

import dev.breaker.CallNotPermittedException;
import dev.breaker.spring.annotation.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.breaker.spring.aop.BreakerContexts.forceOpen;
import static dev.breaker.spring.aop.BreakerContexts.metrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Which methods are protected, through a real Spring context: annotated methods, every public method of an annotated
 * class, methods annotated on an interface; through JDK and CGLIB proxies; and not calls a bean makes to itself.
 */
class ProtectedMethodsTests {

    private final ApplicationContextRunner runner = BreakerContexts.runner();

    // --- class-level annotation -----------------------------------------------------------------------------

    @Test
    void classLevelAnnotation_protectsEveryPublicMethod() {
        runner.withUserConfiguration(ClassLevel.Config.class).run(context -> {
            ClassLevel bean = context.getBean(ClassLevel.class);

            assertThat(bean.first()).isEqualTo("first");
            assertThat(bean.second()).isEqualTo(2);

            assertThat(metrics(context, "class-level").totalSuccesses()).isEqualTo(2);
            forceOpen(context, "class-level");
            assertThatThrownBy(bean::first).isInstanceOf(CallNotPermittedException.class);
            assertThatThrownBy(bean::second).isInstanceOf(CallNotPermittedException.class);
        });
    }

    @Test
    void classLevelAnnotation_leavesNonPublicAndObjectMethodsUnprotected() {
        runner.withUserConfiguration(ClassLevel.Config.class).run(context -> {
            ClassLevel bean = context.getBean(ClassLevel.class);
            forceOpen(context, "class-level");

            assertThat(bean.packagePrivate()).isEqualTo("package-private");
            assertThat(bean.protectedMethod()).isEqualTo("protected");
            assertThat(bean.toString()).isNotNull();
            assertThat(bean.hashCode()).isEqualTo(bean.hashCode());
            assertThat(bean.equals(bean)).isTrue();

            assertThat(metrics(context, "class-level").totalCalls()).isZero();
        });
    }

    @Test
    void classLevelAnnotation_leavesObjectMethodsUnprotected_evenWhenTheClassOverridesThem() {
        runner.withUserConfiguration(ClassLevelWithObjectMethods.Config.class).run(context -> {
            ClassLevelWithObjectMethods bean = context.getBean(ClassLevelWithObjectMethods.class);
            forceOpen(context, "class-level-object-methods");

            Object[] answer = new Object[1];
            Throwable thrown = catchThrowable(() -> answer[0] = bean.toString());

            assertThat(thrown).as("toString() of a bean whose breaker is open").isNull();
            assertThat(answer[0]).isEqualTo("ClassLevelWithObjectMethods");
            assertThat(bean.equals(bean)).isTrue();
            assertThat(bean.hashCode()).isEqualTo(bean.hashCode());
            assertThat(metrics(context, "class-level-object-methods").totalCalls()).isZero();
        });
    }

    @Test
    void methodAnnotation_winsOverTheClassAnnotation() {
        runner.withUserConfiguration(ClassLevel.Config.class).run(context -> {
            ClassLevel bean = context.getBean(ClassLevel.class);

            assertThat(bean.ownBreaker()).isEqualTo("own");

            assertThat(metrics(context, "method-level").totalSuccesses()).isEqualTo(1);
            assertThat(metrics(context, "class-level").totalCalls()).isZero();
        });
    }

    // --- proxies --------------------------------------------------------------------------------------------

    @Test
    void jdkProxy_whenProxyTargetClassIsFalse_protectsCallsThroughTheInterface() {
        runner.withUserConfiguration(GreeterConfig.class)
                .withPropertyValues("spring.aop.proxy-target-class=false")
                .run(context -> {
                    Greeter greeter = context.getBean(Greeter.class);
                    assertThat(AopUtils.isJdkDynamicProxy(greeter)).isTrue();

                    assertThat(greeter.greet("Ada")).isEqualTo("Hello, Ada");
                    assertThat(metrics(context, "greeter").totalSuccesses()).isEqualTo(1);

                    forceOpen(context, "greeter");
                    assertThat(greeter.greet("Ada")).as("answered by the target's private fallback")
                            .isEqualTo("Sorry, Ada (CallNotPermittedException)");
                    assertThat(metrics(context, "greeter").totalNotPermitted()).isEqualTo(1);
                });
    }

    @Test
    void cglibProxy_byDefault_protectsCallsThroughTheClass() {
        runner.withUserConfiguration(GreeterConfig.class).run(context -> {
            Greeter greeter = context.getBean(Greeter.class);
            assertThat(AopUtils.isCglibProxy(greeter)).isTrue();
            assertThat(greeter).isInstanceOf(AnnotatedGreeter.class);

            assertThat(greeter.greet("Ada")).isEqualTo("Hello, Ada");
            assertThat(metrics(context, "greeter").totalSuccesses()).isEqualTo(1);

            forceOpen(context, "greeter");
            assertThat(((AnnotatedGreeter) greeter).greet("Ada")).isEqualTo("Sorry, Ada (CallNotPermittedException)");
        });
    }

    @ParameterizedTest(name = "spring.aop.proxy-target-class={0}")
    @ValueSource(booleans = {true, false})
    void annotationOnTheInterfaceMethod_protectsTheImplementation(boolean proxyTargetClass) {
        runner.withUserConfiguration(InterfaceAnnotatedConfig.class)
                .withPropertyValues("spring.aop.proxy-target-class=" + proxyTargetClass)
                .run(context -> {
                    AnnotatedContract contract = context.getBean(AnnotatedContract.class);
                    assertThat(AopUtils.isCglibProxy(contract)).isEqualTo(proxyTargetClass);
                    assertThat(AopUtils.isJdkDynamicProxy(contract)).isEqualTo(!proxyTargetClass);

                    assertThat(contract.lookup("a")).isEqualTo("found-a");
                    assertThat(metrics(context, "interface-level").totalSuccesses()).isEqualTo(1);

                    forceOpen(context, "interface-level");
                    assertThatThrownBy(() -> contract.lookup("a")).isInstanceOf(CallNotPermittedException.class);
                });
    }

    // --- self-invocation ------------------------------------------------------------------------------------

    @Test
    void selfInvocation_thisOther_isNotProtected_becauseSpringAopOnlyAdvisesCallsThroughTheProxy() {
        runner.withUserConfiguration(SelfCalling.Config.class).run(context -> {
            SelfCalling bean = context.getBean(SelfCalling.class);
            forceOpen(context, "inner");

            assertThat(bean.outer()).as("inner() ran although its breaker is open").isEqualTo("outer+inner");

            assertThat(metrics(context, "outer").totalSuccesses()).isEqualTo(1);
            assertThat(metrics(context, "inner").totalCalls()).as("nothing recorded for the inner call").isZero();
            assertThatThrownBy(bean::inner).as("the same method called through the proxy is protected")
                    .isInstanceOf(CallNotPermittedException.class);
        });
    }

    @Test
    void selfInvocation_throughTheBeansOwnProxy_isProtected() {
        runner.withUserConfiguration(SelfCallingThroughProxy.Config.class).run(context -> {
            SelfCallingThroughProxy bean = context.getBean(SelfCallingThroughProxy.class);

            assertThat(bean.outer()).isEqualTo("outer+inner");
            assertThat(metrics(context, "inner-via-proxy").totalSuccesses()).isEqualTo(1);

            forceOpen(context, "inner-via-proxy");
            assertThatThrownBy(bean::outer).isInstanceOf(CallNotPermittedException.class);
        });
    }

    @CircuitBreaker(name = "class-level")
    static class ClassLevel {

        public String first() {
            return "first";
        }

        public int second() {
            return 2;
        }

        String packagePrivate() {
            return "package-private";
        }

        protected String protectedMethod() {
            return "protected";
        }

        @CircuitBreaker(name = "method-level")
        public String ownBreaker() {
            return "own";
        }

        @Configuration(proxyBeanMethods = false)
        static class Config {
            @Bean
            ClassLevel classLevel() {
                return new ClassLevel();
            }
        }
    }

    @CircuitBreaker(name = "class-level-object-methods")
    static class ClassLevelWithObjectMethods {

        public String work() {
            return "work";
        }

        @Override
        public String toString() {
            return "ClassLevelWithObjectMethods";
        }

        @Override
        public boolean equals(Object other) {
            return other == this;
        }

        @Override
        public int hashCode() {
            return 42;
        }

        @Configuration(proxyBeanMethods = false)
        static class Config {
            @Bean
            ClassLevelWithObjectMethods classLevelWithObjectMethods() {
                return new ClassLevelWithObjectMethods();
            }
        }
    }

    interface Greeter {
        String greet(String name);
    }

    static class AnnotatedGreeter implements Greeter {

        @Override
        @CircuitBreaker(name = "greeter", fallbackMethod = "sorry")
        public String greet(String name) {
            return "Hello, " + name;
        }

        private String sorry(String name, Exception error) {
            return "Sorry, " + name + " (" + error.getClass().getSimpleName() + ")";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class GreeterConfig {
        @Bean
        Greeter greeter() {
            return new AnnotatedGreeter();
        }
    }

    interface AnnotatedContract {
        @CircuitBreaker(name = "interface-level")
        String lookup(String id);
    }

    static class PlainImplementation implements AnnotatedContract {
        @Override
        public String lookup(String id) {
            return "found-" + id;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class InterfaceAnnotatedConfig {
        @Bean
        AnnotatedContract contract() {
            return new PlainImplementation();
        }
    }

    static class SelfCalling {

        @CircuitBreaker(name = "outer")
        public String outer() {
            return "outer+" + inner();
        }

        @CircuitBreaker(name = "inner")
        public String inner() {
            return "inner";
        }

        @Configuration(proxyBeanMethods = false)
        static class Config {
            @Bean
            SelfCalling selfCalling() {
                return new SelfCalling();
            }
        }
    }

    /** The usual way around the limitation: call the other method through the bean's own proxy. */
    static class SelfCallingThroughProxy {

        private final ObjectProvider<SelfCallingThroughProxy> self;

        SelfCallingThroughProxy(ObjectProvider<SelfCallingThroughProxy> self) {
            this.self = self;
        }

        public String outer() {
            return "outer+" + self.getObject().inner();
        }

        @CircuitBreaker(name = "inner-via-proxy")
        public String inner() {
            return "inner";
        }

        @Configuration(proxyBeanMethods = false)
        static class Config {
            @Bean
            SelfCallingThroughProxy selfCallingThroughProxy(ObjectProvider<SelfCallingThroughProxy> self) {
                return new SelfCallingThroughProxy(self);
            }
        }
    }
}
