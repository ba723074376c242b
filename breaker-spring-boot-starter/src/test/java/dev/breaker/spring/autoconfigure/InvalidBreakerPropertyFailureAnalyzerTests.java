package dev.breaker.spring.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A value only the breaker configuration can tell is wrong stops the application naming the file and line it was
 * set at, as Spring Boot does for the values it cannot bind.
 */
@ExtendWith(OutputCaptureExtension.class)
class InvalidBreakerPropertyFailureAnalyzerTests {

    @Test
    void outOfRangeValueInYaml_namesTheFileAndLine(CapturedOutput output) {
        assertThatThrownBy(() -> ConfigErrorApplication.run("threshold-out-of-range.yml"))
                .hasRootCauseInstanceOf(InvalidBreakerPropertyException.class);

        assertThat(output).contains("APPLICATION FAILED TO START", """
                Invalid breaker configuration:

                    Property: breaker.instances.inventory.failure-rate-threshold
                    Value: 150.0
                    Origin: class path resource [config-errors/threshold-out-of-range.yml] - 6:31
                    Reason: it must be in (0, 100]""",
                "Set breaker.instances.inventory.failure-rate-threshold to a value that is in (0, 100].");
    }

    @Test
    void outOfRangeValueOfAHostInProperties_namesTheKeyAsWrittenAndItsLine(CapturedOutput output) {
        assertThatThrownBy(() -> ConfigErrorApplication.run("host-minimum-calls.properties"))
                .hasRootCauseInstanceOf(InvalidBreakerPropertyException.class);

        assertThat(output).contains("Property: breaker.http-client.hosts[api.example.com].minimum-calls",
                "Origin: class path resource [config-errors/host-minimum-calls.properties] - 3:58");
    }

    @Test
    void valueOfNoWindowType_isReportedBySpringBoot_withTheFileLineAndValidValues(CapturedOutput output) {
        assertThatThrownBy(() -> ConfigErrorApplication.run("window-type.yml"))
                .hasStackTraceContaining(BindException.class.getName());

        assertThat(output).contains("Property: breaker.defaults.sliding-window.type", "Value: \"sliding\"",
                "Origin: class path resource [config-errors/window-type.yml] - 4:13", "COUNT", "TIME");
    }
}
