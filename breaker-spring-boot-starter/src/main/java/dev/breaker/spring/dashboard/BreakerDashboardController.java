package dev.breaker.spring.dashboard;

import dev.breaker.spring.states.BreakerStates;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.util.HtmlUtils;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.stream.Collectors;

/**
 * Serves the breaker dashboard at {@code breaker.dashboard.path} (default {@code /breakers}): one self-contained HTML
 * page, with no external resources, that polls the {@code breakers} endpoint (one request for every breaker and the
 * alerts), draws the history the {@code breakerhistory} endpoint keeps, lists the {@code breakerevents} of a breaker
 * in its detail view, and posts the manual actions with the user's credentials. It works with Spring MVC and WebFlux
 * alike.
 * <p>
 * The page must be served on the same port as Actuator (not with a separate {@code management.server.port}); it finds
 * the endpoint under the context path it was loaded from. How each state and level is shown (its colour, whether its
 * ramp or its badge is shown) comes from {@link BreakerStates}, written into the page once.
 */
/*
 * Implementation notes: the template is read and filled once, here; a request only copies a reference. The
 * Content-Security-Policy allows exactly the page's one inline <style> and one inline <script> (by SHA-256, computed
 * from the filled template so the two cannot drift apart), same-origin fetches and nothing else, so the browser
 * itself refuses any external resource, and no other site may frame the page's buttons.
 */
@Controller
public class BreakerDashboardController {

    /** The page's template on the class path. */
    static final String TEMPLATE = "META-INF/breaker/dashboard.html";

    private static final MediaType TEXT_HTML_UTF8 = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);

    private final String html;

    private final String contentSecurityPolicy;

    /**
     * Reads and fills the page template.
     *
     * @param endpointPath the path of the {@code breakers} endpoint under the context path, as Actuator maps it,
     * e.g. {@code /actuator/breakers}
     * @param dashboardPath the path this page is served at ({@code breaker.dashboard.path}), used by the page to find
     * the context path it runs under
     * @throws UncheckedIOException if the template cannot be read
     */
    public BreakerDashboardController(String endpointPath, String dashboardPath) {
        this(endpointPath, "", "", dashboardPath);
    }

    /**
     * Reads and fills the page template.
     *
     * @param endpointPath the path of the {@code breakers} endpoint under the context path, as Actuator maps it
     * @param historyPath the path of the {@code breakerhistory} endpoint, or the empty string when it is not exposed
     *     (the page then draws no history)
     * @param eventsPath the path of the {@code breakerevents} endpoint, or the empty string when it is not exposed
     *     (the detail view then lists no events)
     * @param dashboardPath the path this page is served at ({@code breaker.dashboard.path})
     * @throws UncheckedIOException if the template cannot be read
     */
    public BreakerDashboardController(String endpointPath, String historyPath, String eventsPath,
                                      String dashboardPath) {
        this.html = read()
                .replace("{{endpointPath}}", attribute(cleanPath(endpointPath)))
                .replace("{{historyPath}}", attribute(historyPath.isBlank() ? "" : cleanPath(historyPath)))
                .replace("{{eventsPath}}", attribute(eventsPath.isBlank() ? "" : cleanPath(eventsPath)))
                .replace("{{dashboardPath}}", attribute(dashboardPath))
                .replace("{{states}}", attribute(statesJson()))
                .replace("{{levels}}", attribute(levelsJson()));
        this.contentSecurityPolicy = "default-src 'none'; script-src " + hashOf("script") + "; style-src "
                + hashOf("style") + "; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; "
                + "frame-ancestors 'self'";
    }

    /** The dashboard page, never cached. */
    @GetMapping("${breaker.dashboard.path:/breakers}")
    public ResponseEntity<String> dashboard() {
        return ResponseEntity.ok()
                .contentType(TEXT_HTML_UTF8)
                .cacheControl(CacheControl.noStore())
                .header("Content-Security-Policy", contentSecurityPolicy)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .body(html);
    }

    /** The filled page, as served. */
    String html() {
        return html;
    }

    /** The Content-Security-Policy header served with the page. */
    String contentSecurityPolicy() {
        return contentSecurityPolicy;
    }

    private static String read() {
        try (InputStream in = new ClassPathResource(TEMPLATE, BreakerDashboardController.class.getClassLoader())
                .getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the breaker dashboard page from classpath:" + TEMPLATE, e);
        }
    }

    /**
     * {@code {"CLOSED":{"tone":"closed","ramp":false,"health":"UP"},...}}: the page's view of every state; the health
     * orders them worst first.
     */
    static String statesJson() {
        return BreakerStates.states().stream().map(shown -> quote(shown.state().name()) + ":{\"tone\":"
                + quote(shown.tone()) + ",\"ramp\":" + shown.showsRamp() + ",\"health\":"
                + quote(shown.health().name()) + "}")
                .collect(Collectors.joining(",", "{", "}"));
    }

    /** {@code {"WARNING":{"tone":"warning","badge":true},...}}: the page's view of every level. */
    static String levelsJson() {
        return BreakerStates.levels().stream().map(shown -> quote(shown.level().name()) + ":{\"tone\":"
                + quote(shown.tone()) + ",\"badge\":" + shown.badge() + "}")
                .collect(Collectors.joining(",", "{", "}"));
    }

    /** A JSON string of an identifier: names and tones hold no character that needs escaping. */
    private static String quote(String identifier) {
        return '"' + identifier + '"';
    }

    private static String attribute(String value) {
        return HtmlUtils.htmlEscape(value, StandardCharsets.UTF_8.name());
    }

    /** A leading slash and no trailing slash: {@code actuator/breakers/} is {@code /actuator/breakers}. */
    static String cleanPath(String path) {
        String candidate = path.strip();
        while (candidate.endsWith("/")) {
            candidate = candidate.substring(0, candidate.length() - 1);
        }
        return candidate.startsWith("/") ? candidate : "/" + candidate;
    }

    /** The CSP source of the page's one inline element {@code tag}, as {@code 'sha256-...'}. */
    private String hashOf(String tag) {
        int open = html.indexOf("<" + tag + ">");
        int close = html.indexOf("</" + tag + ">");
        if (open < 0 || close < open || html.indexOf("<" + tag + ">", open + 1) >= 0) {
            throw new IllegalStateException("The breaker dashboard page must hold exactly one <" + tag + "> element");
        }
        String content = html.substring(open + tag.length() + 2, close);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
