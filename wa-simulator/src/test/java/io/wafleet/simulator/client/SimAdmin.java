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

  /** {@code POST /phones/{phone}/send}: the simulated phone sends a text; returns its id. */
  String phoneSend(String phone, String to, String text) throws Exception {
    Reply reply = post("phones/" + phone + "/send", Map.of("to", to, "text", text));
    if (reply.status() != 202) {
      throw new AssertionError("phone send failed: " + reply.status() + " " + reply.body());
    }
    return reply.body().path("id").asText();
  }

  /** {@code GET /phones/{phone}/inbox}: the messages the phone received, oldest first. */
  JsonNode inbox(String phone) throws Exception {
    return send(HttpRequest.newBuilder(base.resolve("phones/" + phone + "/inbox")).GET()).body()
        .path("messages");
  }

  /** {@code GET /phones/{phone}/receipts}: receipts for the phone's own messages. */
  JsonNode receipts(String phone) throws Exception {
    return send(HttpRequest.newBuilder(base.resolve("phones/" + phone + "/receipts")).GET()).body()
        .path("receipts");
  }

  JsonNode getJson(String path) throws Exception {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET()).body();
  }

  /** A GET with its status, e.g. {@code get("root-key")}. */
  Reply get(String path) throws Exception {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  JsonNode stats() throws Exception {
    return send(HttpRequest.newBuilder(base.resolve("stats")).GET()).body();
  }

  Reply post(String path, Map<String, ?> body) throws Exception {
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
