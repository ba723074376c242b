package dev.breaker.spring.autoconfigure;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

import static org.assertj.core.api.Assertions.assertThat;

/** The closest valid key to a misspelt one, at every level of the breaker properties. */
class BreakerPropertyKeysTests {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "none", textBlock = """
            breaker.defaults.failure-rate-treshold            | breaker.defaults.failure-rate-threshold
            breaker.defaults.failureRateTreshold              | breaker.defaults.failure-rate-threshold
            breaker.instances.inventory.wait-in-opn           | breaker.instances.inventory.wait-in-open
            breaker.instances.inventory.base-confg            | breaker.instances.inventory.base-config
            breaker.configs.slow.sliding-windw.size           | breaker.configs.slow.sliding-window.size
            breaker.configs.slow.slidingwindow.sise           | breaker.configs.slow.sliding-window.size
            breaker.defaults.recovery.rmp                     | breaker.defaults.recovery.ramp
            breaker.http-client.hosts[api.example.com].timeot | breaker.http-client.hosts[api.example.com].timeout
            breaker.health.instances.inventory.enabeld        | breaker.health.instances.inventory.enabled
            breaker.dashbord.enabled                          | breaker.dashboard.enabled
            breaker.aspect-ordr                               | breaker.aspect-order
            breaker.defaults.completely-unrelated             | none
            breaker.configs.slow.base-config                  | none
            spring.application.name                           | none
            """)
    void closestTo(String unknown, String expected) {
        assertThat(BreakerPropertyKeys.closestTo(ConfigurationPropertyName.adapt(unknown, '.'))).isEqualTo(expected);
    }
}
