package dev.breaker.spring.autoconfigure;

import dev.breaker.spring.priority.PriorityHeader;
import dev.breaker.spring.priority.PriorityServletFilter;
import dev.breaker.spring.priority.PriorityWebFilter;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/** The priority filters and propagation are off unless asked for, and fit the kind of web application. */
class BreakerPriorityAutoConfigurationTests {

    private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(BreakerAutoConfiguration.class,
            BreakerPriorityAutoConfiguration.class);

    private final WebApplicationContextRunner servlet = new WebApplicationContextRunner()
            .withConfiguration(CONFIGURATIONS);

    private final ReactiveWebApplicationContextRunner reactive = new ReactiveWebApplicationContextRunner()
            .withConfiguration(CONFIGURATIONS);

    @Test
    void offByDefault() {
        servlet.run(context -> {
            assertThat(context).doesNotHaveBean(FilterRegistrationBean.class);
            assertThat(context).doesNotHaveBean(RestClientCustomizer.class);
            assertThat(context).doesNotHaveBean(WebClientCustomizer.class);
        });
        reactive.run(context -> assertThat(context).doesNotHaveBean(PriorityWebFilter.class));
    }

    @Test
    void enabled_servletApplication_getsTheServletFilter_reactiveOneTheWebFilter() {
        servlet.withPropertyValues("breaker.priority.enabled=true").run(context -> {
            assertThat(context.getBean("breakerPriorityFilter", FilterRegistrationBean.class).getFilter())
                    .isInstanceOf(PriorityServletFilter.class);
            assertThat(context).doesNotHaveBean(PriorityWebFilter.class);
        });
        reactive.withPropertyValues("breaker.priority.enabled=true").run(context -> {
            assertThat(context).hasSingleBean(PriorityWebFilter.class);
            assertThat(context).doesNotHaveBean(FilterRegistrationBean.class);
        });
    }

    @Test
    void propagate_customizesTheClientsOnTheClassPath() {
        servlet.withPropertyValues("breaker.priority.propagate=true").run(context -> {
            assertThat(context).hasSingleBean(RestClientCustomizer.class);
            assertThat(context).hasSingleBean(WebClientCustomizer.class);
        });
        servlet.withPropertyValues("breaker.priority.propagate=true")
                .withClassLoader(new FilteredClassLoader("org.springframework.web.reactive", "reactor.core"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(RestClientCustomizer.class);
                    assertThat(context).doesNotHaveBean(WebClientCustomizer.class);
                });
    }

    @Test
    void aBlankHeaderName_isIgnored_whileTheHeaderIsNeitherReadNorWritten() {
        servlet.withPropertyValues("breaker.priority.header= ").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(PriorityHeader.class);
        });
    }

    @Test
    void aBlankHeaderName_stopsTheStart_whenPropagated() {
        servlet.withPropertyValues("breaker.priority.propagate=true", "breaker.priority.header= ").run(context ->
                assertThat(NestedExceptionUtils.getRootCause(context.getStartupFailure()))
                        .isInstanceOf(InvalidBreakerPropertyException.class)
                        .hasMessageStartingWith("breaker.priority.header is '', but it must name a header."));
    }

    @Test
    void aBlankHeaderName_stopsTheStart() {
        servlet.withPropertyValues("breaker.priority.enabled=true", "breaker.priority.header= ").run(context ->
                assertThat(NestedExceptionUtils.getRootCause(context.getStartupFailure()))
                        .isInstanceOf(InvalidBreakerPropertyException.class)
                        .hasMessageStartingWith("breaker.priority.header is '', but it must name a header."));
    }
}
