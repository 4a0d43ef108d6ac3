package io.wafleet.connector.testing;

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

/** The simulator's admin HTTP API as the connector's tests use it (real HTTP). Thread-safe. */
public final class SimulatorAdmin {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public SimulatorAdmin(URI base) {
    this.base = base;
  }

  public void createPhone(String phone) throws Exception {
    expect(201, post("phones", Map.of("phone", phone)), "create phone");
  }

  /** The simulated phone scans {@code qr}; returns the new device's JID. */
  public String scan(String phone, String qr) throws Exception {
    return expect(200, post("phones/" + phone + "/scan", Map.of("qr", qr)), "scan").path("deviceJid").asText();
  }

  /** Unlinks the device from its phone; live sockets get 401 device_removed. */
  public void logout(String deviceJid) throws Exception {
    expect(200, post("devices/" + URLEncoder.encode(deviceJid, StandardCharsets.UTF_8) + "/logout", Map.of()),
        "logout");
  }

  /** Injects a fault; returns how many live connections it hit. */
  public int fault(String kind, int code, String target) throws Exception {
    return expect(202, post("faults", Map.of("kind", kind, "code", code, "target", target)), "fault")
        .path("affected").asInt();
  }

  /** The simulated phone sends a text (encrypts to every device of {@code to}); returns its id. */
  public String phoneSend(String phone, String to, String text) throws Exception {
    return expect(202, post("phones/" + phone + "/send", Map.of("to", to, "text", text)), "phone send")
        .path("id").asText();
  }

  public long stat(String name) throws Exception {
    return get("stats").path(name).asLong();
  }

  public JsonNode get(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> post(String path, Map<String, ?> body) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode expect(int status, HttpResponse<String> r, String what) throws Exception {
    if (r.statusCode() != status) {
      throw new AssertionError(what + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
  }
}
