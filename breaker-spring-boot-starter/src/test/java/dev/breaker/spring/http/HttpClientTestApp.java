package dev.breaker.spring.http;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A web application that is its own downstream: {@code /downstream/{status}} answers that status and counts the
 * requests it gets, per host they were addressed to; {@code /proxy} calls it through Boot's RestClient builder.
 * Every loopback address (127.0.0.1, 127.0.0.2, ...) reaches it as a different host, with a breaker of its own.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({HttpClientTestApp.Downstream.class, HttpClientTestApp.Proxy.class})
public class HttpClientTestApp {

    @RestController
    static class Downstream {

        final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

        @GetMapping("/downstream/{status}")
        ResponseEntity<String> answer(@PathVariable int status, HttpServletRequest request) {
            requests.computeIfAbsent(request.getServerName(), host -> new AtomicInteger()).incrementAndGet();
            return ResponseEntity.status(status).body("status " + status);
        }

        int requestsTo(String host) {
            AtomicInteger count = requests.get(host);
            return count == null ? 0 : count.get();
        }
    }

    /** Calls a downstream through a RestClient from Boot's builder, as an application's controller would. */
    @RestController
    static class Proxy {

        private final RestClient client;

        Proxy(RestClient.Builder builder) {
            this.client = builder.build();
        }

        @GetMapping("/proxy")
        String proxy(@RequestParam String url) {
            return client.get().uri(url).retrieve().body(String.class);
        }
    }
}
