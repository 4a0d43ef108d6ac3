package io.wafleet.simulator.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import io.wafleet.client.transport.RootKeyCertificateVerifier;
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

  /** Makes a simulated phone send a text; returns its message id. */
  String send(String phone, String to, String text) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(base.resolve("phones/" + phone + "/send"))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(Map.of("to", to, "text", text))))
        .build();
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 202) {
      throw new IllegalStateException("phone send answered HTTP " + response.statusCode());
    }
    return json.readTree(response.body()).path("id").asText();
  }

  /** {@code GET /root-key}: the public key of the root that signs the simulator's certificates. */
  byte[] rootKey() throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(base.resolve("root-key"))
        .timeout(Duration.ofSeconds(10)).GET().build();
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IOException("GET root-key answered " + response.statusCode());
    }
    return RootKeyCertificateVerifier.decodeRootKey(
        json.readTree(response.body()).path("hex").asText());
  }

  /** The texts a simulated phone has received and decrypted. */
  java.util.List<String> inboxTexts(String phone) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(base.resolve("phones/" + phone + "/inbox"))
        .timeout(Duration.ofSeconds(10)).GET().build();
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    java.util.List<String> texts = new java.util.ArrayList<>();
    json.readTree(response.body()).path("messages").forEach(m -> {
      if (m.hasNonNull("text")) {
        texts.add(m.get("text").asText());
      }
    });
    return texts;
  }

  /** The receipts a simulated phone got for what it sent, as the admin API's JSON. */
  String receiptsJson(String phone) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(base.resolve("phones/" + phone + "/receipts"))
        .timeout(Duration.ofSeconds(10)).GET().build();
    return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  private int post(String path, Map<String, String> body) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
