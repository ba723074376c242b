package dev.breaker.spring.http;

import dev.breaker.Breaker;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

import java.io.IOException;

/**
 * Protects each request of a {@code RestClient} (or {@code RestTemplate}) with the breaker of its host: a rejected
 * request fails at once with the breaker's {@link dev.breaker.CallNotPermittedException}, without a connection; the
 * response's status (when its headers arrive) or the I/O error is recorded.
 */
public final class BreakerClientHttpRequestInterceptor implements ClientHttpRequestInterceptor {

    private final HostBreakers hosts;

    public BreakerClientHttpRequestInterceptor(HostBreakers hosts) {
        this.hosts = hosts;
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        HostBreaker host = hosts.forHost(HostOf.request(request.getURI()));
        long permit = host.acquire();
        if (!Breaker.isPermitted(permit)) {
            throw host.breaker().rejection(permit);
        }
        long start = host.startTimer();
        ClientHttpResponse response;
        HttpStatusCode status;
        try {
            response = execution.execute(request, body);
            status = response.getStatusCode();
        } catch (Throwable error) {
            host.failed(permit, start, error);
            throw error;
        }
        host.succeeded(permit, start, status);
        return response;
    }
}
