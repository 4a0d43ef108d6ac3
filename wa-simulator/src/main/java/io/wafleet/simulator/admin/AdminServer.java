package io.wafleet.simulator.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.wafleet.simulator.phone.PhoneBookException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP API on 127.0.0.1 (JSON in and out). Routing and error mapping live here; the
 * operations live in {@link AdminOperations}. Errors are {@code {code, message, field}} with a 4xx
 * status, mapped in one place ({@link AdminApiException}).
 *
 * <p>Thread-safe: requests run on a small pool; operations are thread-safe.
 */
public final class AdminServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
  private static final int MAX_BODY = 64 * 1024;

  private final HttpServer server;
  private final ExecutorService executor;
  private final AdminOperations operations;
  private final Map<String, Object> rootKey;
  private final ObjectMapper json = new ObjectMapper();

  /**
   * @param rootPublicKey the public key of the root that signs the simulator's Noise certificate
   *     chain, served at {@code GET /root-key}
   */
  public AdminServer(int port, AdminOperations operations, byte[] rootPublicKey)
      throws IOException {
    this.operations = operations;
    Map<String, Object> key = new LinkedHashMap<>();
    key.put("hex", io.wafleet.client.crypto.Hex.encode(rootPublicKey));
    key.put("base64", java.util.Base64.getEncoder().encodeToString(rootPublicKey));
    this.rootKey = java.util.Collections.unmodifiableMap(key);
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 32);
    this.executor = Executors.newFixedThreadPool(4, runnable -> {
      Thread thread = new Thread(runnable, "wa-simulator-admin");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      try {
        Reply reply = route(exchange);
        write(exchange, reply.status(), reply.body());
      } catch (AdminApiException e) {
        write(exchange, e.status(), error(e));
      } catch (PhoneBookException e) {
        AdminApiException mapped = AdminApiException.from(e);
        write(exchange, mapped.status(), error(mapped));
      } catch (io.wafleet.simulator.group.GroupException e) {
        AdminApiException mapped = AdminApiException.from(e);
        write(exchange, mapped.status(), error(mapped));
      } catch (RuntimeException e) {
        log.error("admin request failed path={}", exchange.getRequestURI().getPath(), e);
        write(exchange, 500, Map.of("code", "internal", "message", e.toString()));
      }
    }
  }

  /** A status and a JSON-serializable body. */
  record Reply(int status, Object body) {}

  private Reply route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String[] parts = exchange.getRequestURI().getPath().replaceAll("^/+|/+$", "").split("/");
    if (parts.length == 3) {
      return routeItem(exchange, method, parts[0] + "/*/" + parts[2], parts[1]);
    }
    if (parts.length == 2 && "groups".equals(parts[0])) {
      return call(method, "GET", 200, () -> operations.groups().get(parts[1]));
    }
    String path = parts.length == 1 ? parts[0] : "";
    return switch (path) {
      case "phones" -> call(method, "POST", 201, () -> operations.createPhone(body(exchange)));
      case "groups" -> call(method, "POST", 201, () -> operations.groups().create(body(exchange)));
      case "faults" -> call(method, "POST", 202, () -> operations.fault(body(exchange)));
      case "stats" -> call(method, "GET", 200, operations::stats);
      case "root-key" -> call(method, "GET", 200, () -> rootKey);
      default -> throw AdminApiException.notFound("no such endpoint");
    };
  }

  /** {@code /phones/{phone}/...} and {@code /devices/{deviceJid}/...}. */
  private Reply routeItem(HttpExchange exchange, String method, String pattern, String item)
      throws IOException {
    return switch (pattern) {
      case "phones/*/scan" -> call(method, "POST", 200, () -> operations.scan(item, body(exchange)));
      case "phones/*/link-code" -> call(method, "POST", 200,
          () -> operations.enterLinkCode(item, body(exchange)));
      case "phones/*/devices" -> call(method, "GET", 200, () -> operations.devices(item));
      case "phones/*/send" -> call(method, "POST", 202, () -> operations.send(item, body(exchange)));
      case "phones/*/replay" -> call(method, "POST", 202,
          () -> operations.replay(item, body(exchange)));
      case "phones/*/inbox" -> call(method, "GET", 200,
          () -> operations.inbox(item, since(exchange)));
      case "phones/*/receipts" -> call(method, "GET", 200, () -> operations.receipts(item));
      case "phones/*/push-name" -> call(method, "POST", 200,
          () -> operations.setPushName(item, body(exchange)));
      case "phones/*/read" -> call(method, "POST", 202, () -> operations.read(item, body(exchange)));
      case "groups/*/participants" -> call(method, "POST", 200,
          () -> operations.groups().participants(item, body(exchange)));
      case "devices/*/prekeys" -> call(method, "GET", 200, () -> operations.preKeys(item));
      case "devices/*/logout" -> call(method, "POST", 200, () -> operations.logout(item));
      default -> throw AdminApiException.notFound("no such endpoint");
    };
  }

  /** An operation that may read the request body. */
  private interface Operation {
    Object run() throws IOException;
  }

  private static Reply call(String method, String expected, int status, Operation operation)
      throws IOException {
    requireMethod(method, expected);
    return new Reply(status, operation.run());
  }

  /** {@code ?since=N} (a non-negative index), 0 when absent. */
  private static int since(HttpExchange exchange) {
    String query = exchange.getRequestURI().getRawQuery();
    if (query == null) {
      return 0;
    }
    for (String pair : query.split("&")) {
      if (pair.startsWith("since=")) {
        try {
          int since = Integer.parseInt(pair.substring("since=".length()));
          if (since >= 0) {
            return since;
          }
        } catch (NumberFormatException e) {
          // Falls through to the error below.
        }
        throw AdminApiException.badRequest("bad-since", "since must be a non-negative integer", "since");
      }
    }
    return 0;
  }

  private static void requireMethod(String actual, String expected) {
    if (!expected.equals(actual)) {
      throw AdminApiException.methodNotAllowed(actual);
    }
  }

  /** The JSON object body; 415 without a JSON content type, 400 when it does not parse. */
  private JsonNode body(HttpExchange exchange) throws IOException {
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      throw AdminApiException.unsupportedMediaType();
    }
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readNBytes(MAX_BODY + 1);
    }
    if (bytes.length > MAX_BODY) {
      throw AdminApiException.badRequest("body-too-large", "body over 64 KiB", null);
    }
    try {
      JsonNode node = json.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw AdminApiException.badRequest("malformed-json", "body must be a JSON object", null);
      }
      return node;
    } catch (JsonProcessingException e) {
      throw AdminApiException.badRequest("malformed-json", "body is not valid JSON", null);
    }
  }

  private static Map<String, Object> error(AdminApiException e) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", e.code());
    body.put("message", e.getMessage());
    body.put("field", e.field());
    return body;
  }

  private void write(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
