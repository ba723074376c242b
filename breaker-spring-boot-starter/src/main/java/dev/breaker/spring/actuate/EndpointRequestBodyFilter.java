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
 * Refuses request bodies the breaker endpoints never need, before anything parses them: a body larger than
 * {@value #MAX_BODY_BYTES} bytes ({@value #MAX_CONFIG_BODY_BYTES} for {@code POST .../{name}/config}, the one
 * operation that takes a body), or one of unknown length, answers 413; a {@code Content-Type} that is not one
 * concrete media type ({@code *}{@code /*}, {@code application/*}, unparseable) answers 415.
 */
/*
 * Implementation notes: Actuator's Spring MVC handler reads an optional body for every operation, and Spring
 * Framework's ServletServerHttpRequest.getHeaders() throws IllegalArgumentException (a 500) when it adds the
 * request's character encoding, which Spring Boot's CharacterEncodingFilter always sets, to a wildcard content type
 * (spring-framework#27957). No content type is valid for a body these endpoints do not take, so the filter answers
 * before that code runs, rather than mapping the exception afterwards.
 */
public final class EndpointRequestBodyFilter implements Filter {

    /** The largest body accepted by operations that take none. */
    public static final long MAX_BODY_BYTES = 1024;

    /** The largest body accepted by {@link BreakerConfigOperation}: the options of one breaker, with room to spare. */
    public static final long MAX_CONFIG_BODY_BYTES = 16 * 1024;

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        long length = http.getContentLengthLong();
        boolean unknownLength = length < 0 && http.getHeader("Transfer-Encoding") != null;
        long limit = isConfigWrite(http) ? MAX_CONFIG_BODY_BYTES : MAX_BODY_BYTES;
        if (length > limit || unknownLength) {
            ((HttpServletResponse) response).sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                    "This breaker endpoint operation takes no request body larger than " + limit + " bytes");
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

    private static boolean isConfigWrite(HttpServletRequest request) {
        return "POST".equals(request.getMethod())
                && request.getRequestURI().endsWith("/" + BreakerConfigOperation.ACTION);
    }

    private static boolean isConcrete(String contentType) {
        try {
            return MediaType.parseMediaType(contentType).isConcrete();
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }
}
