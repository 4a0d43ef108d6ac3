package io.wafleet.simulator.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** The simulator's admin HTTP API, as the client ITs use it. Thread-safe. */
final class SimAdmin {

  record Reply(int status, JsonNode body) {
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  SimAdmin(URI base) {
    this.base = base;
  }

  Reply createPhone(String phone) throws Exception {
    return post("phones", Map.of("phone", phone));
  }

  Reply scan(String phone, String qr) throws Exception {
    return post("phones/" + phone + "/scan", Map.of("qr", qr));
  }

  Reply logout(String deviceJid) throws Exception {
    return post("devices/" + URLEncoder.encode(deviceJid, StandardCharsets.UTF_8) + "/logout",
        Map.of());
  }

  Reply fault(String kind, int code, String target) throws Exception {
    return post("faults", Map.of("kind", kind, "code", code, "target", target));
  }

  JsonNode stats() throws Exception {
    return send(HttpRequest.newBuilder(base.resolve("stats")).GET()).body();
  }

  private Reply post(String path, Map<String, ?> body) throws Exception {
    return send(HttpRequest.newBuilder(base.resolve(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
  }

  private Reply send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode body = response.body().isEmpty() ? null : JSON.readTree(response.body());
    return new Reply(response.statusCode(), body);
  }
}
