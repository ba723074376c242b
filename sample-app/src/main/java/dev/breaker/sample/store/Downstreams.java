package dev.breaker.sample.store;

import dev.breaker.sample.SampleProperties;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Where the downstream services are: {@code sample.downstream-base-url} when set, else this application's own
 * port (learnt when the web server has started, so a random port works), where the simulated services run.
 */
@Component
class Downstreams implements ApplicationListener<WebServerInitializedEvent> {

    private final Environment environment;
    private volatile @Nullable String baseUrl;

    Downstreams(SampleProperties properties, Environment environment) {
        this.environment = environment;
        String configured = properties.getDownstreamBaseUrl();
        this.baseUrl = StringUtils.hasText(configured) ? stripTrailingSlash(configured.strip()) : null;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        boolean mainServer = event.getApplicationContext().getServerNamespace() == null;
        if (baseUrl == null && mainServer) {
            String contextPath = environment.getProperty("server.servlet.context-path", "");
            baseUrl = stripTrailingSlash("http://localhost:" + event.getWebServer().getPort() + contextPath);
        }
    }

    /**
     * The URL template of {@code path} (which starts with a slash) on the downstream services.
     *
     * @throws IllegalStateException before the web server has started, when no base URL is configured
     */
    String url(String path) {
        String base = baseUrl;
        if (base == null) {
            throw new IllegalStateException("The downstream services' address is not known yet: the web server has "
                    + "not started. Set sample.downstream-base-url to call them earlier.");
        }
        return base + path;
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
