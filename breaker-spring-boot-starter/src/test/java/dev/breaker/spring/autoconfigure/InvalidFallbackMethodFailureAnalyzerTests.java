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

/** Explains a missing or mismatched fallback that stopped the application. */
@ExtendWith(OutputCaptureExtension.class)
class InvalidFallbackMethodFailureAnalyzerTests {

    private static final String BROKEN = InvalidFallbackMethodFailureAnalyzerTests.class.getName() + "$Broken";

    private static final String DESCRIPTION = """
            @CircuitBreaker(name = "broken", fallbackMethod = "noSuchMethod") on %1$s.find(String) has no usable \
            fallback method.
            Accepted, in %1$s or a superclass, any visibility:
                String noSuchMethod(String)
                String noSuchMethod(String, Throwable error)   (any Throwable subtype; the most specific match wins)
            Found:
                no method named 'noSuchMethod'""".formatted(BROKEN);

    private static final String ACTION = "Declare a method 'noSuchMethod' with one of the accepted signatures in "
            + BROKEN + ", or correct fallbackMethod in its @CircuitBreaker.";

    @Test
    void analyze_startupFailure_describesTheMethodAndSaysHowToFixIt() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, BreakerAutoConfiguration.class))
                .withUserConfiguration(BrokenConfig.class)
                .run(context -> {
                    assertThat(context).hasFailed();

                    FailureAnalysis analysis = new InvalidAnnotatedMethodFailureAnalyzer()
                            .analyze(context.getStartupFailure());

                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription()).isEqualTo(DESCRIPTION);
                    assertThat(analysis.getAction()).isEqualTo(ACTION);
                });
    }

    @Test
    void springApplication_reportsTheAnalysis_whenAFallbackIsMissing(CapturedOutput output) {
        SpringApplication application = new SpringApplication(BrokenApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);

        assertThatThrownBy(application::run).rootCause().hasMessage(DESCRIPTION);

        assertThat(output).contains("APPLICATION FAILED TO START", "Description:", DESCRIPTION, "Action:", ACTION);
    }

    static class Broken {

        @CircuitBreaker(name = "broken", fallbackMethod = "noSuchMethod")
        public String find(String id) {
            return id;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BrokenConfig {

        @Bean
        Broken broken() {
            return new Broken();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Import({AopAutoConfiguration.class, BreakerAutoConfiguration.class, BrokenConfig.class})
    static class BrokenApplication {
    }
}
