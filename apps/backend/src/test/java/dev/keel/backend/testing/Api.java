package dev.keel.backend.testing;

import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A small HTTP client for the running service, so full-application tests go through real HTTP. */
public final class Api {

    /** A response: status, headers and the body, with JSON paths read from it. */
    public record Response(int status, HttpResponse<String> raw) {

        public String body() {
            return raw.body();
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public <T> T json(String path) {
            return JsonPath.read(raw.body(), path);
        }

        public long id() {
            return ((Number) json("$.id")).longValue();
        }

        @Override
        public String toString() {
            return status + " " + raw.body();
        }
    }

    private final HttpClient client = HttpClient.newHttpClient();
    private final String base;

    public Api(int port) {
        this.base = "http://localhost:" + port;
    }

    public Response get(String path) {
        return send(request(path).GET());
    }

    public Response post(String path, String json) {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A POST with headers set or replaced, as name-value pairs. */
    public Response post(String path, String json, String... headers) {
        HttpRequest.Builder builder = request(path).POST(HttpRequest.BodyPublishers.ofString(json));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.setHeader(headers[i], headers[i + 1]);
        }
        return send(builder);
    }

    public Response put(String path, String json) {
        return send(request(path).PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response patch(String path, String json, String... headers) {
        HttpRequest.Builder builder = request(path).method("PATCH", HttpRequest.BodyPublishers.ofString(json));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return send(builder);
    }

    public Response delete(String path) {
        return send(request(path).DELETE());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json").header("Accept", "application/json");
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
