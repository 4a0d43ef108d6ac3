package io.wafleet.functions.alert;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for the Telegram Bot API on a free loopback port: records every request (method,
 * path, body) and answers sendMessage like Telegram does, or with a Bot API error while
 * {@link #failNext} is positive.
 */
final class FakeTelegramServer implements AutoCloseable {

  record Received(String method, String path, String body) {}

  private final HttpServer server;
  private final List<Received> received = new ArrayList<>();
  final AtomicInteger failNext = new AtomicInteger();
  private final AtomicInteger messageIds = new AtomicInteger();

  FakeTelegramServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      synchronized (received) {
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body));
      }
      String reply;
      int status;
      if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        status = 400;
        reply = "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat not found\"}";
      } else {
        status = 200;
        reply = "{\"ok\":true,\"result\":{\"message_id\":" + messageIds.incrementAndGet()
            + ",\"date\":1795000000,\"chat\":{\"id\":-100123,\"type\":\"group\",\"title\":\"ops\"},\"text\":\"x\"}}";
      }
      byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  List<Received> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
