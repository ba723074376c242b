package dev.breaker.spring.actuate;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Refuses request bodies the breaker endpoints never need: a body larger than {@value #MAX_BODY_BYTES} bytes, or
 * one of unknown length, answers 413 before anything parses it.
 */
public final class EndpointBodyLimitFilter implements Filter {

    /** The largest body accepted; the endpoints' operations take none. */
    public static final long MAX_BODY_BYTES = 1024;

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        long length = http.getContentLengthLong();
        boolean unknownLength = length < 0 && http.getHeader("Transfer-Encoding") != null;
        if (length > MAX_BODY_BYTES || unknownLength) {
            ((HttpServletResponse) response).sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                    "Breaker endpoints take no request body larger than " + MAX_BODY_BYTES + " bytes");
            return;
        }
        chain.doFilter(request, response);
    }
}
