package dev.breaker.spring.http;

import java.net.URI;

/** The host a request goes to, as its breaker is named. */
final class HostOf {

    private HostOf() {
    }

    /**
     * The host of {@code uri}; a URI without one (relative, or opaque) is a programming error that the client
     * would report anyway, so it is named here rather than given a breaker.
     */
    static String request(URI uri) {
        String host = uri.getHost();
        if (host == null) {
            throw new IllegalArgumentException("Request URI '" + uri + "' has no host to choose a breaker by");
        }
        return host;
    }
}
