package dev.breaker.spring.http;

import dev.breaker.BreakerRegistry;
import dev.breaker.FakeTicker;
import dev.breaker.spring.autoconfigure.BreakerAutoConfiguration;
import dev.breaker.spring.autoconfigure.BreakerHttpClientAutoConfiguration;
import dev.breaker.spring.autoconfigure.BreakerMetricsAutoConfiguration;
import dev.breaker.spring.autoconfigure.InvalidBreakerPropertyException;
import dev.breaker.spring.metrics.BreakerMeterBinder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.web.reactive.function.client.WebClient;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BreakerHttpClientAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(BreakerAutoConfiguration.class,
                    BreakerHttpClientAutoConfiguration.class));

    @Test
    void offByDefault() {
        runner.run(context -> {
            assertThat(context).doesNotHaveBean(HostBreakers.class);
            assertThat(context).doesNotHaveBean(RestClientCustomizer.class);
            assertThat(context).doesNotHaveBean(WebClientCustomizer.class);
        });
    }

    @Test
    void enabled_customizesBothBuilders() {
        runner.withPropertyValues("breaker.http-client.enabled=true").run(context -> {
            assertThat(context).hasSingleBean(HostBreakers.class);
            assertThat(context).hasSingleBean(BreakerClientHttpRequestInterceptor.class);
            assertThat(context).hasSingleBean(RestClientCustomizer.class);
            assertThat(context).hasSingleBean(BreakerExchangeFilterFunction.class);
            assertThat(context).hasSingleBean(WebClientCustomizer.class);
        });
    }

    @Test
    void withoutWebClient_onlyTheRestClientIsCustomized() {
        runner.withPropertyValues("breaker.http-client.enabled=true")
                .withClassLoader(new FilteredClassLoader(WebClient.class))
                .run(context -> {
                    assertThat(context).hasSingleBean(RestClientCustomizer.class);
                    assertThat(context).doesNotHaveBean(BreakerExchangeFilterFunction.class);
                });
    }

    @Test
    void invalidFailureStatus_stopsTheApplication_namingTheKey() {
        runner.withPropertyValues("breaker.http-client.enabled=true",
                "breaker.http-client.failure-statuses=5xx,server-errors").run(context -> {
            assertThat(context).hasFailed();
            assertThat(NestedExceptionUtils.getRootCause(context.getStartupFailure()))
                    .isInstanceOf(InvalidBreakerPropertyException.class)
                    .hasMessage("breaker.http-client.failure-statuses[1] is 'server-errors', but it must be a "
                            + "status code from 100 to 599 or a class from 1xx to 5xx. Set "
                            + "breaker.http-client.failure-statuses[1] to a status code such as 503 or a class such "
                            + "as 5xx.");
        });
    }

    @Test
    void namePatternWithoutTheHost_stopsTheApplication() {
        runner.withPropertyValues("breaker.http-client.enabled=true", "breaker.http-client.name-pattern=http")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(NestedExceptionUtils.getRootCause(context.getStartupFailure()))
                            .isInstanceOf(InvalidBreakerPropertyException.class)
                            .hasMessage("breaker.http-client.name-pattern is 'http', but it must contain {host} "
                                    + "once. Set breaker.http-client.name-pattern to a name such as http:{host}.");
                });
    }

    @Test
    void hostOptionsThatBreakARule_stopTheApplication_namingTheirKeyAsWritten_inBrackets() {
        runner.withPropertyValues("breaker.http-client.hosts[api.example.com].minimum-calls=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(NestedExceptionUtils.getRootCause(context.getStartupFailure()))
                    .hasMessageStartingWith("breaker.http-client.hosts[api.example.com].minimum-calls is '0'");
        });
    }

    @Test
    void anEvictedBreaker_leavesTheRegistry_withItsMeters() {
        runner.withConfiguration(AutoConfigurations.of(BreakerMetricsAutoConfiguration.class))
                .withBean(FakeTicker.class, FakeTicker::new)
                .withPropertyValues("breaker.http-client.enabled=true", "breaker.http-client.idle-eviction=1m",
                        "breaker.http-client.name-pattern=out-{host}")
                .run(context -> {
                    MeterRegistry meters = new SimpleMeterRegistry();
                    context.getBean(BreakerMeterBinder.class).bindTo(meters);
                    HostBreakers hosts = context.getBean(HostBreakers.class);
                    hosts.forHost("api.example.com");
                    assertThat(meters.find("breaker.state").tag("name", "out-api.example.com").meters()).isNotEmpty();

                    context.getBean(FakeTicker.class).advance(Duration.ofMinutes(2));
                    hosts.evictIdle();

                    assertThat(context.getBean(BreakerRegistry.class).find("out-api.example.com")).isEmpty();
                    assertThat(meters.find("breaker.state").tag("name", "out-api.example.com").meters()).isEmpty();
                    assertThat(meters.find("breaker.calls").tag("name", "out-api.example.com").meters()).isEmpty();
                });
    }
}
