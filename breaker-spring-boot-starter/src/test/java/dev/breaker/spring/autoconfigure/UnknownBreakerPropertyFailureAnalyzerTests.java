package dev.breaker.spring.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A misspelt key under breaker. stops the application, naming the file and line and the key that was meant. */
@ExtendWith(OutputCaptureExtension.class)
class UnknownBreakerPropertyFailureAnalyzerTests {

    @Test
    void misspeltKeys_areEachNamed_withWhereTheyWereSet_andTheClosestValidKey(CapturedOutput output) {
        assertThatThrownBy(() -> ConfigErrorApplication.run("misspelt-keys.yml"))
                .hasRootCauseInstanceOf(UnboundConfigurationPropertiesException.class);

        assertThat(output).contains("APPLICATION FAILED TO START", "Unknown breaker properties:", """
                    Property: breaker.defaults.failure-rate-treshold
                    Value: "40"
                    Origin: class path resource [config-errors/misspelt-keys.yml] - 3:28
                    Reason: it is no breaker option; did you mean breaker.defaults.failure-rate-threshold?
                """, """
                    Property: breaker.instances.inventory.wait-in-opn
                    Value: "10s"
                    Origin: class path resource [config-errors/misspelt-keys.yml] - 6:20
                    Reason: it is no breaker option; did you mean breaker.instances.inventory.wait-in-open?
                """, """
                    Property: breaker.instances.inventory.sliding-windw.size
                """, "did you mean breaker.instances.inventory.sliding-window.size?", """
                    Property: breaker.instances.inventory.completely-unrelated
                    Value: "true"
                    Origin: class path resource [config-errors/misspelt-keys.yml] - 9:29
                    Reason: it is no breaker option
                """, "Correct the spelling of each key, or remove it.");
    }
}
