package dev.breaker.spring.http;

import org.springframework.http.HttpStatusCode;

/**
 * What a host's breaker records for a response whose status is a failure ({@code breaker.http-client.failure-statuses},
 * 5xx by default). The response itself still reaches the caller; a breaker's {@code ignore-exceptions} may name
 * this class to count such responses neither way.
 */
public final class HttpFailureStatusException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    HttpFailureStatusException(HttpStatusCode status, String breakerName) {
        super("HTTP " + status.value() + " recorded as a failure by breaker '" + breakerName + "'", null, false, false);
        this.status = status.value();
    }

    /** The response's status code. */
    public int status() {
        return status;
    }
}
