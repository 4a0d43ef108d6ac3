package io.wafleet.functions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.functions.invoker.runner.Invoker;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
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
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The API served through the real Functions Framework invoker on a free local port, over the real
 * Firestore emulator, with a manual clock; plus an HTTP client for tests. A JUnit 5 extension: one
 * server per test class, started before the first test and stopped after the last, over a project
 * of the class's own that is emptied before each test (other classes' data is never touched).
 * Register it as a static field:
 *
 * <pre>{@code @RegisterExtension static final ApiServer api = ApiServer.extension();}</pre>
 */
final class ApiServer implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

  static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdefghijklmnop";
  static final Map<String, String> ADMIN = Map.of("X-Admin-Token", ADMIN_TOKEN);

  private final FirestoreEmulatorExtension firestore = FirestoreEmulatorExtension.perTestClass();
  private final Supplier<FunctionsConfig> config;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private Invoker invoker;
  int port;
  ManualClock clock;
  Stores stores;

  private ApiServer(Supplier<FunctionsConfig> config) {
    this.config = config;
  }

  /** The API with the admin token and no identity tokens. */
  static ApiServer extension() {
    return extension(() -> config(Optional.empty()));
  }

  /** The API with the config {@code config} gives when the class starts (after static initialisers). */
  static ApiServer extension(Supplier<FunctionsConfig> config) {
    return new ApiServer(config);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    firestore.beforeAll(context);
    clock = new ManualClock(Instant.now());
    stores = Stores.over(firestore.firestore(), null, clock);
    TestApiFunction.delegate = new ApiFunction(stores, clock, config.get());
    port = freePort();
    invoker = new Invoker(port, TestApiFunction.class.getName(), "http", TestApiFunction.class.getClassLoader());
    invoker.startTestServer();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    firestore.beforeEach(context);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      if (invoker != null) {
        invoker.stopServer();
        invoker = null;
      }
    } finally {
      firestore.afterAll(context);
    }
  }

  /** The test class's Firestore client (the same emulator the API uses). */
  Firestore firestore() {
    return firestore.firestore();
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

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
