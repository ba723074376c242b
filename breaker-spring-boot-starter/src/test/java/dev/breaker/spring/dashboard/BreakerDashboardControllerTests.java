package dev.breaker.spring.dashboard;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class BreakerDashboardControllerTests {

    @Test
    void dashboard_isHtml_neverCached_andAllowsOnlyItsOwnInlineCode() {
        ResponseEntity<String> response = new BreakerDashboardController("/actuator", "circuitbreakers", "/breakers")
                .dashboard();

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getHeaders().getContentType())
                .isEqualTo(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8));
        assertThat(response.getHeaders().getCacheControl()).isEqualTo("no-store");
        assertThat(response.getHeaders().getFirst("Content-Security-Policy"))
                .startsWith("default-src 'none'; script-src 'sha256-")
                .contains("; style-src 'sha256-", "; connect-src 'self';", "frame-ancestors 'self'")
                .doesNotContain("unsafe-inline", "unsafe-eval", "http");
        assertThat(response.getBody()).startsWith("<!DOCTYPE html>");
    }

    @Test
    void html_holdsTheActuatorBasePath_endpointPath_andDashboardPath() {
        String html = new BreakerDashboardController("/manage", "breakers-endpoint", "/ops/breakers").html();

        assertThat(html).contains("data-actuator-base-path=\"/manage\"", "data-endpoint-path=\"breakers-endpoint\"",
                "data-dashboard-path=\"/ops/breakers\"");
        assertThat(html).doesNotContain("{{");
    }

    @Test
    void html_escapesInjectedValuesForAnAttribute() {
        String html = new BreakerDashboardController("/a\"><script>alert('x')</script>", "circuitbreakers",
                "/breakers").html();

        assertThat(html).contains("data-actuator-base-path=\"/a&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;\"");
        assertThat(html).containsOnlyOnce("<script>");
    }

    @Test
    void basePath_isCleanedAsSpringBootCleansIt() {
        assertThat(BreakerDashboardController.cleanBasePath("manage/")).isEqualTo("/manage");
        assertThat(BreakerDashboardController.cleanBasePath(" /manage ")).isEqualTo("/manage");
        assertThat(BreakerDashboardController.cleanBasePath("/")).isEmpty();
        assertThat(BreakerDashboardController.cleanBasePath("")).isEmpty();
        assertThat(new BreakerDashboardController("/", "/circuitbreakers", "/breakers").html())
                .contains("data-actuator-base-path=\"\"", "data-endpoint-path=\"circuitbreakers\"");
    }

    @Test
    void html_referencesNoExternalResource() {
        String html = new BreakerDashboardController("/actuator", "circuitbreakers", "/breakers").html();

        assertThat(html).doesNotContainIgnoringCase("http:").doesNotContainIgnoringCase("https:")
                .doesNotContain("src=", "@import", "url(", "//cdn");
        assertThat(html).containsOnlyOnce("href=").contains("<link rel=\"icon\" href=\"data:,\">");
    }
}
