package dev.breaker.sample;

import org.jspecify.annotations.Nullable;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Real HTTP calls to a running storefront, with the JDK's client: what the tour's curl commands do. */
final class HttpCalls {

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final String baseUrl;

    HttpCalls(int port) {
        this.baseUrl = "http://localhost:" + port;
    }

    HttpResponse<String> get(String path) {
        return request("GET", path).send();
    }

    Request request(String method, String path) {
        return new Request(method, path);
    }

    /** One request: method, path, headers, optional body. */
    final class Request {

        private final String method;
        private final String path;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();

        private Request(String method, String path) {
            this.method = method;
            this.path = path;
        }

        Request basicAuth(String user, String password) {
            String credentials = user + ":" + password;
            return header("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }

        Request header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Request json(String json) {
            return body(json, "application/json");
        }

        Request body(String content, @Nullable String contentType) {
            if (contentType != null) {
                header("Content-Type", contentType);
            }
            body = HttpRequest.BodyPublishers.ofString(content);
            return this;
        }

        /** A body of unknown length, sent with {@code Transfer-Encoding: chunked}. */
        Request chunkedJson(String json) {
            header("Content-Type", "application/json");
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            body = HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes));
            return this;
        }

        HttpResponse<String> send() {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(30))
                    .method(method, body);
            headers.forEach(request::header);
            try {
                return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(method + " " + path + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(method + " " + path + " was interrupted", e);
            }
        }
    }
}
