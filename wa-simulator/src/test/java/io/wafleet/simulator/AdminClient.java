package io.wafleet.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Calls the simulator's admin API from tests. Thread-safe. */
final class AdminClient {

  /** A status and the parsed JSON body. */
  record Response(int status, JsonNode body) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();

  AdminClient(URI base) {
    this.base = base;
  }

  Response post(String path, Map<String, ?> body) throws Exception {
    return postRaw(path, JSON.writeValueAsString(body), "application/json");
  }

  Response postRaw(String path, String body, String contentType) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
        .timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return send(request.build());
  }

  Response get(String path) throws Exception {
    return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20)).GET()
        .build());
  }

  Response delete(String path) throws Exception {
    return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20)).DELETE()
        .build());
  }

  private Response send(HttpRequest request) throws Exception {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    JsonNode body = response.body().isEmpty() ? null : JSON.readTree(response.body());
    return new Response(response.statusCode(), body);
  }
}
