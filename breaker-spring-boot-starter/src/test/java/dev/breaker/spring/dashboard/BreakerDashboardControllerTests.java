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
        ResponseEntity<String> response = new BreakerDashboardController("/actuator/breakers", "/breakers")
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
    void html_holdsTheEndpointPath_andDashboardPath() {
        String html = new BreakerDashboardController("/manage/cb", "/ops/breakers").html();

        assertThat(html).contains("data-endpoint-path=\"/manage/cb\"", "data-dashboard-path=\"/ops/breakers\"");
        assertThat(html).doesNotContain("{{");
    }

    @Test
    void html_holdsTheHistoryAndEventsPaths_emptyWhenTheyAreNotExposed() {
        assertThat(new BreakerDashboardController("/actuator/breakers", "/actuator/breakerhistory/",
                "actuator/breakerevents", "/breakers").html())
                .contains("data-history-path=\"/actuator/breakerhistory\"",
                        "data-events-path=\"/actuator/breakerevents\"");
        assertThat(new BreakerDashboardController("/actuator/breakers", "/breakers").html())
                .contains("data-history-path=\"\"", "data-events-path=\"\"");
    }

    @Test
    void html_tellsThePageHowToShowEachStateAndLevel_fromBreakerStates() {
        String html = new BreakerDashboardController("/actuator/breakers", "/breakers").html();

        assertThat(BreakerDashboardController.statesJson()).isEqualTo("{"
                + "\"CLOSED\":{\"tone\":\"closed\",\"ramp\":false,\"health\":\"UP\"},"
                + "\"OPEN\":{\"tone\":\"open\",\"ramp\":false,\"health\":\"OPEN\"},"
                + "\"HALF_OPEN\":{\"tone\":\"half-open\",\"ramp\":false,\"health\":\"HALF_OPEN\"},"
                + "\"RECOVERING\":{\"tone\":\"recovering\",\"ramp\":true,\"health\":\"UP\"},"
                + "\"FORCED_OPEN\":{\"tone\":\"open\",\"ramp\":false,\"health\":\"OPEN\"},"
                + "\"DISABLED\":{\"tone\":\"disabled\",\"ramp\":false,\"health\":\"UP\"}}");
        assertThat(BreakerDashboardController.levelsJson()).isEqualTo("{"
                + "\"NORMAL\":{\"tone\":\"normal\",\"badge\":false},"
                + "\"WARNING\":{\"tone\":\"warning\",\"badge\":true},"
                + "\"CRITICAL\":{\"tone\":\"critical\",\"badge\":false},"
                + "\"EMERGENCY\":{\"tone\":\"emergency\",\"badge\":true}}");
        assertThat(html).contains("data-states=\"{&quot;CLOSED&quot;:{&quot;tone&quot;:&quot;closed&quot;,",
                "data-levels=\"{&quot;NORMAL&quot;:");
    }

    @Test
    void html_escapesInjectedValuesForAnAttribute() {
        String html = new BreakerDashboardController("/a\"><script>alert('x')</script>", "/breakers").html();

        assertThat(html).contains("data-endpoint-path=\"/a&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;\"");
        assertThat(html).containsOnlyOnce("<script>");
    }

    @Test
    void endpointPath_getsALeadingSlash_andLosesATrailingOne() {
        assertThat(BreakerDashboardController.cleanPath("manage/cb/")).isEqualTo("/manage/cb");
        assertThat(BreakerDashboardController.cleanPath(" /manage/cb ")).isEqualTo("/manage/cb");
        assertThat(new BreakerDashboardController("breakers", "/breakers").html())
                .contains("data-endpoint-path=\"/breakers\"");
    }

    @Test
    void html_referencesNoExternalResource() {
        String html = new BreakerDashboardController("/actuator/breakers", "/breakers").html();

        assertThat(html).doesNotContainIgnoringCase("http:").doesNotContainIgnoringCase("https:")
                .doesNotContain("src=", "@import", "url(", "//cdn");
        assertThat(html).containsOnlyOnce("href=").contains("<link rel=\"icon\" href=\"data:,\">");
    }
}
