package dev.breaker.sample;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The sample's own settings under {@code sample.*} (not {@code breaker.*}: that prefix belongs to the starter, which
 * refuses keys it does not know).
 */
@ConfigurationProperties(prefix = "sample")
public class SampleProperties {

    /**
     * Password of the {@code admin} user, who alone may change breakers and chaos settings. Blank (the default):
     * a random one is generated and logged once at startup.
     */
    private @Nullable String adminPassword;

    /**
     * Base URL of the downstream services, e.g. {@code http://inventory.internal:8080}. Blank (the default): this
     * application's own port, where the simulated downstreams run.
     */
    private @Nullable String downstreamBaseUrl;

    public @Nullable String getAdminPassword() {
        return adminPassword;
    }

    public void setAdminPassword(@Nullable String adminPassword) {
        this.adminPassword = adminPassword;
    }

    public @Nullable String getDownstreamBaseUrl() {
        return downstreamBaseUrl;
    }

    public void setDownstreamBaseUrl(@Nullable String downstreamBaseUrl) {
        this.downstreamBaseUrl = downstreamBaseUrl;
    }
}
