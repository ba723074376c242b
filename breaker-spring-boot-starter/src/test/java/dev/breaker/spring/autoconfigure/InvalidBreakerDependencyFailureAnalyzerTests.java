package dev.breaker.spring.autoconfigure;

import dev.breaker.spring.annotation.CircuitBreaker;
import dev.breaker.spring.dependencies.InvalidBreakerDependencyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Unknown dependencies, annotations that disagree and cycles stop the application at startup, naming the property
 * key or the annotated method, and the cycle.
 */
@ExtendWith(OutputCaptureExtension.class)
class InvalidBreakerDependencyFailureAnalyzerTests {

    private static final String TESTS = InvalidBreakerDependencyFailureAnalyzerTests.class.getName();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, BreakerAutoConfiguration.class));

    private void assertAnalysis(String description, String action, Class<?>[] configurations, String... properties) {
        runner.withUserConfiguration(configurations).withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            assertThat(NestedExceptionUtils.getRootCause(context.getStartupFailure()))
                    .isInstanceOf(InvalidBreakerDependencyException.class);

            FailureAnalysis analysis = new InvalidBreakerDependencyFailureAnalyzer()
                    .analyze(context.getStartupFailure());

            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).isEqualTo("Invalid breaker dependencies:\n\n    " + description);
            assertThat(analysis.getAction()).isEqualTo(action);
        });
    }

    @Test
    void unknownNameInProperties_namesTheKeyWithItsIndex() {
        assertAnalysis("breaker.instances.checkout.depends-on[1] names 'paymnts' as a dependency of breaker "
                        + "'checkout', but no breaker has that name (known: [checkout, ledger, payments]).",
                "Name one of the known breakers there, or declare 'paymnts' under breaker.instances.",
                new Class<?>[] {Payments.class},
                "breaker.instances.checkout.depends-on=ledger,paymnts", "breaker.instances.ledger.half-open-calls=1");
    }

    @Test
    void unknownNameInAnAnnotation_namesTheMethod() {
        assertAnalysis("@CircuitBreaker(name = \"orders\", dependsOn = ...) on " + TESTS
                        + "$Orders.place(String) names 'checkout' as a dependency of breaker 'orders', but no "
                        + "breaker has that name (known: [orders]).",
                "Name one of the known breakers there, or declare 'checkout' under breaker.instances.",
                new Class<?>[] {Orders.class});
    }

    @Test
    void aBreakerNamedOnlyByAnAnnotation_isAKnownDependency() {
        runner.withUserConfiguration(Payments.class)
                .withPropertyValues("breaker.instances.checkout.depends-on=payments")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void cycleThroughPropertiesAndAnAnnotation_namesEveryStepAndWhereItWasDeclared() {
        assertAnalysis("Breakers depend on each other in a cycle: checkout -> orders -> checkout "
                        + "(checkout -> orders: breaker.instances.checkout.depends-on[0]; orders -> checkout: "
                        + "@CircuitBreaker(name = \"orders\", dependsOn = ...) on " + TESTS + "$Orders.place(String)).",
                "Remove one of these dependencies: a breaker cannot wait for itself to close.",
                new Class<?>[] {Orders.class}, "breaker.instances.checkout.depends-on=orders");
    }

    @Test
    void transitiveCycleInProperties() {
        assertAnalysis("Breakers depend on each other in a cycle: a -> b -> c -> a (a -> b: "
                        + "breaker.instances.a.depends-on[0]; b -> c: breaker.instances.b.depends-on[0]; c -> a: "
                        + "breaker.instances.c.depends-on[1]).",
                "Remove one of these dependencies: a breaker cannot wait for itself to close.",
                new Class<?>[0], "breaker.instances.a.depends-on=b", "breaker.instances.b.depends-on=c",
                "breaker.instances.c.depends-on=d,a", "breaker.instances.d.half-open-calls=1");
    }

    @Test
    void dependenciesInTheDefaults_makeEveryBreakerDependOnThem_itselfToo() {
        assertAnalysis("Breakers depend on each other in a cycle: payments -> payments (payments -> payments: "
                        + "breaker.defaults.depends-on[0]).",
                "Remove one of these dependencies: a breaker cannot wait for itself to close.",
                new Class<?>[0], "breaker.defaults.depends-on=payments",
                "breaker.instances.payments.half-open-calls=1");
    }

    @Test
    void twoAnnotationsOfOneBreakerNamingDifferentDependencies_nameBothMethods() {
        assertAnalysis("@CircuitBreaker(name = \"checkout\") names different dependencies on " + TESTS
                        + "$Checkout.cancel(String) (dependsOn [payments, ledger]) and on " + TESTS
                        + "$Checkout.place(String) (dependsOn [payments]); dependencies belong to the "
                        + "breaker, so every annotation of it that names some must name the same.",
                "Name the same dependsOn on both, or on one only (an annotation without dependsOn takes the "
                        + "breaker's), or set breaker.instances.checkout.depends-on instead.",
                new Class<?>[] {Checkout.class, Payments.class}, "breaker.instances.ledger.half-open-calls=1");
    }

    @Test
    void anAnnotationWithoutDependsOn_takesTheBreakers() {
        runner.withUserConfiguration(Payments.class, CheckoutAgreeing.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(dev.breaker.BreakerRegistry.class).find("checkout").orElseThrow().config()
                    .dependsOn()).containsExactly("payments");
        });
    }

    @Test
    void aBreakerCreatedInCodeWithoutTheAnnotationsDependencies_stopsTheStartNamingTheMethod() {
        runner.withUserConfiguration(EarlyCheckout.class, Payments.class, CheckoutAgreeing.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(NestedExceptionUtils.getRootCause(context.getStartupFailure()))
                    .isInstanceOf(InvalidBreakerDependencyException.class)
                    .hasMessage("@CircuitBreaker(name = \"checkout\") on " + TESTS + "$CheckoutAgreeing.place(String)"
                            + " declares dependsOn [payments], but breaker 'checkout' was created with []: it existed "
                            + "before this annotation was read (created in code, or the bean's type was not known "
                            + "before the bean was created).");
        });
    }

    @Test
    void springApplication_reportsTheAnalysis(CapturedOutput output) {
        SpringApplication application = new SpringApplication(CyclicApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setDefaultProperties(java.util.Map.of("breaker.instances.checkout.depends-on", "orders"));

        assertThatThrownBy(application::run).hasRootCauseInstanceOf(InvalidBreakerDependencyException.class);

        assertThat(output).contains("APPLICATION FAILED TO START", "Invalid breaker dependencies:",
                "Breakers depend on each other in a cycle: checkout -> orders -> checkout",
                "Remove one of these dependencies");
    }

    static class Payments {

        @CircuitBreaker(name = "payments")
        public String charge(String order) {
            return "charged " + order;
        }
    }

    static class Orders {

        @CircuitBreaker(name = "orders", dependsOn = "checkout")
        public String place(String order) {
            return "placed " + order;
        }
    }

    static class Checkout {

        @CircuitBreaker(name = "checkout", dependsOn = "payments")
        public String place(String order) {
            return "placed " + order;
        }

        @CircuitBreaker(name = "checkout", dependsOn = {"payments", "ledger"})
        public String cancel(String order) {
            return "cancelled " + order;
        }
    }

    static class CheckoutAgreeing {

        @CircuitBreaker(name = "checkout", dependsOn = "payments")
        public String place(String order) {
            return "placed " + order;
        }

        @CircuitBreaker(name = "checkout")
        public String status(String order) {
            return "status of " + order;
        }
    }

    /** Creates the checkout breaker in code, with a configuration of its own, before the annotated bean. */
    @Configuration(proxyBeanMethods = false)
    static class EarlyCheckout {

        EarlyCheckout(dev.breaker.BreakerRegistry registry) {
            registry.breaker("checkout", dev.breaker.BreakerConfig.ofDefaults());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Import({AopAutoConfiguration.class, BreakerAutoConfiguration.class})
    static class CyclicApplication {

        @Bean
        Orders orders() {
            return new Orders();
        }
    }
}
