package dev.breaker.spring.autoconfigure;

import dev.breaker.spring.annotation.CircuitBreaker;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Explains a {@code @CircuitBreaker} method that no proxy can intercept, which stopped the application. */
@ExtendWith(OutputCaptureExtension.class)
class UninterceptableMethodFailureAnalyzerTests {

    private static final String PRIVATE = UninterceptableMethodFailureAnalyzerTests.class.getName() + "$Private";
    private static final String FINAL = UninterceptableMethodFailureAnalyzerTests.class.getName() + "$Final";
    private static final String STATIC = UninterceptableMethodFailureAnalyzerTests.class.getName() + "$Static";

    private static final String PRIVATE_DESCRIPTION = "@CircuitBreaker(name = \"inventory\") on " + PRIVATE
            + ".stock(String) cannot protect it: the method is private, and a proxy intercepts only methods it can "
            + "override or implement; every call would run unprotected.";
    private static final String PRIVATE_ACTION = "Make it public, protected or package-private, and call it from "
            + "another bean (a call from the same object bypasses the proxy); or remove @CircuitBreaker from "
            + PRIVATE + ".stock(String).";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, BreakerAutoConfiguration.class));

    @Test
    void analyze_privateMethod_saysWhyAndWhatToDo() {
        runner.withBean(Private.class).run(context -> {
            FailureAnalysis analysis = new InvalidAnnotatedMethodFailureAnalyzer().analyze(context.getStartupFailure());

            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).isEqualTo(PRIVATE_DESCRIPTION);
            assertThat(analysis.getAction()).isEqualTo(PRIVATE_ACTION);
        });
    }

    @Test
    void analyze_finalMethodOnAClassBasedProxy_saysWhyAndWhatToDo() {
        runner.withBean(Final.class).run(context -> {
            FailureAnalysis analysis = new InvalidAnnotatedMethodFailureAnalyzer().analyze(context.getStartupFailure());

            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).isEqualTo("@CircuitBreaker(name = \"inventory\") on " + FINAL
                    + ".stock(String) cannot protect it: the method is final, and a class-based (CGLIB) proxy cannot "
                    + "override it; every call would run unprotected.");
            assertThat(analysis.getAction()).isEqualTo("Remove 'final', or declare the method on an interface and "
                    + "let the bean be proxied by its interfaces (spring.aop.proxy-target-class=false); or remove "
                    + "@CircuitBreaker from " + FINAL + ".stock(String).");
        });
    }

    @Test
    void analyze_staticMethod_saysWhyAndWhatToDo() {
        runner.withBean(Static.class).run(context -> {
            FailureAnalysis analysis = new InvalidAnnotatedMethodFailureAnalyzer().analyze(context.getStartupFailure());

            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).isEqualTo("@CircuitBreaker(name = \"inventory\") on " + STATIC
                    + ".stock(String) cannot protect it: the method is static, and a static method is never called "
                    + "on the bean's proxy; every call would run unprotected.");
            assertThat(analysis.getAction()).isEqualTo("Make it an instance method and call it through the bean, or "
                    + "protect the call in code with BreakerRegistry.breaker(\"inventory\"); or remove "
                    + "@CircuitBreaker from " + STATIC + ".stock(String).");
        });
    }

    @Test
    void springApplication_reportsTheAnalysis_whenAnAnnotatedMethodIsPrivate(CapturedOutput output) {
        SpringApplication application = new SpringApplication(PrivateApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);

        assertThatThrownBy(application::run).rootCause().hasMessage(PRIVATE_DESCRIPTION);

        assertThat(output).contains("APPLICATION FAILED TO START", "Description:", PRIVATE_DESCRIPTION, "Action:",
                PRIVATE_ACTION);
    }

    static class Private {

        @CircuitBreaker(name = "inventory")
        private String stock(String sku) {
            return sku;
        }
    }

    static class Final {

        @CircuitBreaker(name = "inventory")
        public final String stock(String sku) {
            return sku;
        }
    }

    static class Static {

        @CircuitBreaker(name = "inventory")
        public static String stock(String sku) {
            return sku;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Import({AopAutoConfiguration.class, BreakerAutoConfiguration.class})
    static class PrivateApplication {

        @Bean
        Private privateMethod() {
            return new Private();
        }
    }
}
