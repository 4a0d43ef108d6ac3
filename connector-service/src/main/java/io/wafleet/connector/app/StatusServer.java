package io.wafleet.connector.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector's HTTP surface for Cloud Run: {@code GET /healthz} (the process answers),
 * {@code GET /readyz} (200 while the instance lease renews, else 503 with a JSON reason) and
 * {@code GET /status} (owned accounts). JDK's HttpServer on two daemon threads of its own; the
 * handlers only read volatile state and never call Firestore.
 */
public final class StatusServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StatusServer.class);

  /** Why the instance is not ready, or null when it is. */
  public interface Readiness {
    String notReadyReason();
  }

  private final HttpServer server;
  private final ExecutorService threads;

  public StatusServer(int port, Readiness readiness, Supplier<String> statusJson) throws IOException {
    Objects.requireNonNull(readiness, "readiness == null");
    Objects.requireNonNull(statusJson, "statusJson == null");
    server = HttpServer.create(new InetSocketAddress(port), 64);
    threads = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(threads);
    server.createContext("/", exchange -> handle(exchange, () -> {
      String path = exchange.getRequestURI().getPath();
      return switch (path) {
        case "/healthz" -> new Reply(200, "{\"status\":\"ok\"}");
        case "/readyz" -> {
          String reason = readiness.notReadyReason();
          yield reason == null ? new Reply(200, "{\"ready\":true}")
              : new Reply(503, "{\"ready\":false,\"reason\":\"" + Json.escape(reason) + "\"}");
        }
        case "/status" -> new Reply(200, statusJson.get());
        default -> new Reply(404, "{\"code\":\"not-found\",\"message\":\"no such path\",\"field\":\"path\"}");
      };
    }));
    server.start();
    log.info("http listening port={}", port());
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  private record Reply(int status, String json) {}

  private static void handle(HttpExchange exchange, Supplier<Reply> route) throws IOException {
    Reply reply;
    if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
      reply = new Reply(405, "{\"code\":\"method-not-allowed\",\"message\":\"only GET\",\"field\":\"method\"}");
    } else {
      try {
        reply = route.get();
      } catch (RuntimeException e) {
        log.warn("http handler failed path={} error={}", exchange.getRequestURI().getPath(), e.toString());
        reply = new Reply(500, "{\"code\":\"internal\",\"message\":\"status unavailable\",\"field\":null}");
      }
    }
    byte[] body = reply.json().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(reply.status(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    } finally {
      exchange.close();
    }
  }
}
