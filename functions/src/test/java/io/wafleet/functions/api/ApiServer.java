package io.wafleet.functions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.functions.invoker.runner.Invoker;
import io.wafleet.common.testing.ManualClock;
import io.wafleet.functions.http.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The API served through the real Functions Framework invoker on a free local port, over the
 * emulator, with a manual clock; plus an HTTP client for tests. One per test class.
 */
final class ApiServer implements AutoCloseable {

  static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdefghijklmnop";
  static final Map<String, String> ADMIN = Map.of("X-Admin-Token", ADMIN_TOKEN);

  private final Invoker invoker;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  final int port;
  final ManualClock clock;
  final Stores stores;

  private ApiServer(Invoker invoker, int port, ManualClock clock, Stores stores) {
    this.invoker = invoker;
    this.port = port;
    this.clock = clock;
    this.stores = stores;
  }

  static ApiServer start(Firestore db) throws Exception {
    return start(db, config(Optional.empty()));
  }

  static ApiServer start(Firestore db, FunctionsConfig config) throws Exception {
    ManualClock clock = new ManualClock(Instant.now());
    Stores stores = Stores.over(db, null, clock);
    TestApiFunction.delegate = new ApiFunction(stores, clock, config);
    int port = freePort();
    Invoker invoker = new Invoker(port, TestApiFunction.class.getName(), "http",
        TestApiFunction.class.getClassLoader());
    invoker.startTestServer();
    return new ApiServer(invoker, port, clock, stores);
  }

  static FunctionsConfig config(Optional<FunctionsConfig.IdTokenConfig> idTokens) {
    return new FunctionsConfig("demo-wafleet-test", null, ADMIN_TOKEN, idTokens, "1.2.3", "abc1234",
        Duration.ofSeconds(180), null);
  }

  static Stores storesOver(Firestore db, Clock clock) {
    return Stores.over(db, null, clock);
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  HttpResponse<String> call(String method, String path, String body, String contentType, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<byte[]> getBytes(String path, Map<String, String> headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30)).GET();
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return call("GET", path, null, null, ADMIN);
  }

  HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
    return call("POST", path, json, json == null ? null : "application/json", ADMIN);
  }

  HttpResponse<String> send(String method, String path, String json) throws IOException, InterruptedException {
    return call(method, path, json, json == null ? null : "application/json", ADMIN);
  }

  static JsonNode json(HttpResponse<String> response) throws IOException {
    return Json.mapper().readTree(response.body());
  }

  @Override
  public void close() throws Exception {
    invoker.stopServer();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
