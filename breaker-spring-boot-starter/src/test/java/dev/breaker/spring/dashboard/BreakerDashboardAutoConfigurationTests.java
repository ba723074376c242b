package dev.breaker.spring.dashboard;

import dev.breaker.spring.alerts.BreakerAlerts;
import dev.breaker.spring.autoconfigure.BreakerAutoConfiguration;
import dev.breaker.spring.autoconfigure.BreakerDashboardAutoConfiguration;
import dev.breaker.spring.autoconfigure.BreakerEndpointsAutoConfiguration;
import dev.breaker.spring.history.BreakerHistory;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

class BreakerDashboardAutoConfigurationTests {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(BreakerAutoConfiguration.class,
                    BreakerDashboardAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
                    WebMvcAutoConfiguration.class));

    private static MockMvc mvc(AssertableWebApplicationContext context) {
        return MockMvcBuilders.webAppContextSetup(context).build();
    }

    @Test
    void dashboardEnabledUnset_noPage_andGetBreakersIs404() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(BreakerDashboardController.class);
            mvc(context).perform(get("/breakers")).andExpect(status().isNotFound());
        });
    }

    @Test
    void dashboardEnabled_servesThePageAtBreakers_withTheDefaultEndpointPath() {
        runner.withPropertyValues("breaker.dashboard.enabled=true").run(context -> {
            assertThat(context).hasSingleBean(BreakerDashboardController.class);
            mvc(context).perform(get("/breakers"))
                    .andExpect(status().isOk())
                    .andExpect(content().contentType("text/html;charset=UTF-8"))
                    .andExpect(header().string("Cache-Control", "no-store"))
                    .andExpect(content().string(containsString(
                            "data-endpoint-path=\"/actuator/breakers\"")));
        });
    }

    @Test
    void theEndpointPathActuatorMaps_isInjectedIntoThePage() {
        WebApplicationContextRunner withEndpoints = runner.withConfiguration(AutoConfigurations.of(
                EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
                BreakerEndpointsAutoConfiguration.class)).withPropertyValues("breaker.dashboard.enabled=true",
                "management.endpoints.web.base-path=/manage");
        withEndpoints.withPropertyValues("management.endpoints.web.exposure.include=breakers",
                "management.endpoints.web.path-mapping.breakers=cb").run(context ->
                mvc(context).perform(get("/breakers")).andExpect(status().isOk())
                        .andExpect(content().string(containsString("data-endpoint-path=\"/manage/cb\""))));
        withEndpoints.run(context -> mvc(context).perform(get("/breakers"))
                .andExpect(content().string(containsString("data-endpoint-path=\"/manage/breakers\""))));
    }

    @Test
    void theHistoryAndEventsPaths_areInjectedWhereExposed_andTheHistoryIsSampledOnlyThen() {
        WebApplicationContextRunner withEndpoints = runner.withConfiguration(AutoConfigurations.of(
                EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
                BreakerEndpointsAutoConfiguration.class)).withPropertyValues("breaker.dashboard.enabled=true",
                "management.endpoints.web.base-path=/manage");
        withEndpoints.withPropertyValues("management.endpoints.web.exposure.include=breakers,breakerevents,"
                + "breakerhistory", "management.endpoints.web.path-mapping.breakerhistory=cb-history").run(context -> {
                    assertThat(context).hasSingleBean(BreakerHistory.class).hasSingleBean(BreakerAlerts.class);
                    mvc(context).perform(get("/breakers")).andExpect(status().isOk())
                            .andExpect(content().string(containsString("data-history-path=\"/manage/cb-history\"")))
                            .andExpect(content().string(containsString(
                                    "data-events-path=\"/manage/breakerevents\"")));
                });
        withEndpoints.withPropertyValues("management.endpoints.web.exposure.include=breakers").run(context -> {
            assertThat(context).doesNotHaveBean(BreakerHistory.class);
            mvc(context).perform(get("/breakers"))
                    .andExpect(content().string(containsString("data-history-path=\"\"")));
        });
    }

    @Test
    void badHistoryOrAlertsSettings_stopTheContext_namingTheProperty() {
        WebApplicationContextRunner withEndpoints = runner.withConfiguration(AutoConfigurations.of(
                EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
                BreakerEndpointsAutoConfiguration.class)).withPropertyValues(
                "management.endpoints.web.exposure.include=breakers,breakerhistory");
        withEndpoints.withPropertyValues("breaker.history.samples=1").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("breaker.history.samples")
                .hasMessageContaining("must be at least 2"));
        withEndpoints.withPropertyValues("breaker.history.interval=0s").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("breaker.history.interval"));
        withEndpoints.withPropertyValues("breaker.alerts.kept=0").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("breaker.alerts.kept"));
    }

    @Test
    void dashboardPath_movesThePage() {
        runner.withPropertyValues("breaker.dashboard.enabled=true", "breaker.dashboard.path=/ops/breakers")
                .run(context -> {
                    MockMvc mvc = mvc(context);
                    mvc.perform(get("/ops/breakers")).andExpect(status().isOk()).andExpect(content().string(
                            containsString("data-dashboard-path=\"/ops/breakers\"")));
                    mvc.perform(get("/breakers")).andExpect(status().isNotFound());
                });
    }

    @Test
    void dashboardDisabled_noPage() {
        runner.withPropertyValues("breaker.dashboard.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(BreakerDashboardController.class));
    }

    @Test
    void userController_backsOff() {
        runner.withPropertyValues("breaker.dashboard.enabled=true").withUserConfiguration(UserDashboard.class)
                .run(context -> assertThat(context).getBean(BreakerDashboardController.class)
                        .isSameAs(context.getBean(UserDashboard.class).controller));
    }

    @Test
    void notAWebApplication_noPage() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(BreakerAutoConfiguration.class,
                        BreakerDashboardAutoConfiguration.class))
                .withPropertyValues("breaker.dashboard.enabled=true")
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(BreakerDashboardController.class));
    }

    @Test
    void withoutSpringWeb_noPage() {
        runner.withClassLoader(new FilteredClassLoader(GetMapping.class))
                .withPropertyValues("breaker.dashboard.enabled=true")
                .run(context -> assertThat(context).doesNotHaveBean(BreakerDashboardController.class));
    }

    @Test
    void withoutActuator_noPage() {
        runner.withClassLoader(new FilteredClassLoader(PathMappedEndpoints.class))
                .withPropertyValues("breaker.dashboard.enabled=true")
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(BreakerDashboardController.class));
    }

    @Test
    void withoutBreakerAutoConfiguration_stillServesThePage() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(BreakerDashboardAutoConfiguration.class))
                .withPropertyValues("breaker.dashboard.enabled=true")
                .run(context -> assertThat(context).hasSingleBean(BreakerDashboardController.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class UserDashboard {

        final BreakerDashboardController controller =
                new BreakerDashboardController("/custom/breakers", "/breakers");

        @Bean
        BreakerDashboardController customDashboard() {
            return controller;
        }
    }
}
