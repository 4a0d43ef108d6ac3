package io.wafleet.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The few calls of the wafleet HTTP API (docs/api.md) the demo makes, with the admin token. Answers
 * keep their status; {@link #expect} turns an unexpected one into an exception naming the call.
 */
final class ApiClient {

  record Reply(int status, JsonNode body) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI base;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  ApiClient(URI base, String token) {
    this.base = Objects.requireNonNull(base, "base == null");
    this.token = Objects.requireNonNull(token, "token == null");
  }

  Reply get(String path) throws IOException, InterruptedException {
    return send(request(path).GET());
  }

  Reply post(String path, Map<String, ?> body) throws IOException, InterruptedException {
    return send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
  }

  /** A POST without a body (the account actions). */
  Reply post(String path) throws IOException, InterruptedException {
    return send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
  }

  static JsonNode expect(int status, String call, Reply reply) {
    if (reply.status() != status) {
      throw new IllegalStateException(call + " answered " + reply.status() + " (expected " + status + "): "
          + reply.body());
    }
    return reply.body();
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).header("X-Admin-Token", token);
  }

  private Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    String text = response.body();
    JsonNode body = text == null || text.isBlank() ? JSON.nullNode() : JSON.readTree(text);
    return new Reply(response.statusCode(), body);
  }
}
