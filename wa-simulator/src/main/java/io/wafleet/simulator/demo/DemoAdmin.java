package io.wafleet.simulator.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** The simulator's admin API as the demo uses it: create phones, scan QRs. */
final class DemoAdmin {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final URI base;

  DemoAdmin(URI base) {
    this.base = base;
  }

  /** Creates the phone; one that already exists (409, from an earlier run) is fine. */
  void ensurePhone(String phone) throws IOException, InterruptedException {
    int status = post("phones", Map.of("phone", phone));
    if (status != 201 && status != 409) {
      throw new IllegalStateException("creating phone answered HTTP " + status);
    }
  }

  void scan(String phone, String qr) throws IOException, InterruptedException {
    int status = post("phones/" + phone + "/scan", Map.of("qr", qr));
    if (status != 200) {
      throw new IllegalStateException("scan answered HTTP " + status);
    }
  }

  private int post(String path, Map<String, String> body) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
