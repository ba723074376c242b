package dev.breaker.spring.actuate;

import dev.breaker.spring.autoconfigure.BreakerAutoConfiguration;
import dev.breaker.spring.autoconfigure.BreakerEndpointsAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

import static org.assertj.core.api.Assertions.assertThat;

/** The request-body filter guards the breaker endpoints at the paths Actuator maps them to, wherever those are. */
class BreakerEndpointsAutoConfigurationTests {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(BreakerAutoConfiguration.class, EndpointAutoConfiguration.class,
                    WebEndpointAutoConfiguration.class, BreakerEndpointsAutoConfiguration.class));

    private static FilterRegistrationBean<?> requestBodyFilter(AssertableWebApplicationContext context) {
        assertThat(context).hasNotFailed();
        return context.getBean("breakerEndpointRequestBodyFilter", FilterRegistrationBean.class);
    }

    @Test
    void requestBodyFilter_guardsTheDefaultPaths() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=breakers,breakerevents").run(context ->
                assertThat(requestBodyFilter(context).getUrlPatterns()).containsExactlyInAnyOrder(
                        "/actuator/breakers", "/actuator/breakers/*", "/actuator/breakerevents",
                        "/actuator/breakerevents/*"));
    }

    @Test
    void requestBodyFilter_followsTheBasePathAndThePathMapping() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=breakers,breakerevents",
                "management.endpoints.web.base-path=/manage", "management.endpoints.web.path-mapping.breakers=cb")
                .run(context -> assertThat(requestBodyFilter(context).getUrlPatterns()).containsExactlyInAnyOrder(
                        "/manage/cb", "/manage/cb/*", "/manage/breakerevents", "/manage/breakerevents/*"));
    }

    @Test
    void requestBodyFilter_isOff_whenNoBreakerEndpointIsExposed() {
        runner.run(context -> {
            assertThat(requestBodyFilter(context).isEnabled()).isFalse();
            assertThat(requestBodyFilter(context).getUrlPatterns()).isEmpty();
        });
    }
}
