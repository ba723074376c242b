package dev.breaker.spring.actuate;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

import java.io.IOException;

/**
 * Refuses request bodies the breaker endpoints never need (no operation takes one), before anything parses them:
 * a body larger than {@value #MAX_BODY_BYTES} bytes, or one of unknown length, answers 413; a {@code Content-Type}
 * that is not one concrete media type ({@code *}{@code /*}, {@code application/*}, unparseable) answers 415.
 */
/*
 * Implementation notes: Actuator's Spring MVC handler reads an optional body for every operation, and Spring
 * Framework's ServletServerHttpRequest.getHeaders() throws IllegalArgumentException (a 500) when it adds the
 * request's character encoding, which Spring Boot's CharacterEncodingFilter always sets, to a wildcard content type
 * (spring-framework#27957). No content type is valid for a body these endpoints do not take, so the filter answers
 * before that code runs, rather than mapping the exception afterwards.
 */
public final class EndpointRequestBodyFilter implements Filter {

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
        String contentType = http.getContentType();
        if (contentType != null && !contentType.isBlank() && !isConcrete(contentType)) {
            ((HttpServletResponse) response).sendError(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must be one concrete media type such as application/json, was '" + contentType
                            + "'");
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean isConcrete(String contentType) {
        try {
            return MediaType.parseMediaType(contentType).isConcrete();
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }
}
