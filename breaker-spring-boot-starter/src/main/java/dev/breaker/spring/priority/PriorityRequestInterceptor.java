package dev.breaker.spring.priority;

import dev.breaker.Priority;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

import java.io.IOException;

/**
 * Sends the priority of the {@link Priority} scope a {@code RestClient} call is made in (such as a request's, set by
 * {@link PriorityServletFilter}) on in the {@link PriorityHeader}, unless the request names one itself.
 */
public final class PriorityRequestInterceptor implements ClientHttpRequestInterceptor {

    private final String headerName;

    public PriorityRequestInterceptor(String headerName) {
        this.headerName = headerName;
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        Priority priority = Priority.current();
        if (priority != null && !request.getHeaders().containsHeader(headerName)) {
            request.getHeaders().set(headerName, PriorityHeader.valueOf(priority));
        }
        return execution.execute(request, body);
    }
}
