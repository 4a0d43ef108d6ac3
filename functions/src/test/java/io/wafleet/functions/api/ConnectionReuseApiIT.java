package io.wafleet.functions.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Keep-alive: after every response the connection either answers the next request or the response
 * said {@code Connection: close}. The server closes a connection whose request body it did not read
 * to the end; a response that does not say so lets a keep-alive client (the JDK's, for one) send its
 * next request into the closed connection and get no answer. Raw sockets, so the test decides
 * whether the body has arrived before the server answers.
 */
class ConnectionReuseApiIT {

  @RegisterExtension static final ApiServer api = ApiServer.extension();

  private static final String BODY = "{\"name\":\"a\",\"phone\":\"+40700000001\"}";

  private static Map<String, String> jsonHeaders(int length, boolean admin) {
    return admin
        ? Map.of("Content-Type", "application/json", "Content-Length", String.valueOf(length),
            "X-Admin-Token", ApiServer.ADMIN_TOKEN)
        : Map.of("Content-Type", "application/json", "Content-Length", String.valueOf(length));
  }

  @Test
  void rejectedBeforeItsBodyArrives_saysConnectionClose() throws Exception {
    try (RawHttpConnection c = new RawHttpConnection(api.port)) {
      c.writeHead("POST", "/v1/accounts", jsonHeaders(BODY.length(), false));
      RawHttpConnection.Response r = c.readResponse();
      assertEquals(401, r.status(), r.body());
      assertEquals("close", r.header("Connection"), () -> "headers: " + r.headers());
      assertTrue(c.serverClosed(), "the server keeps a connection it said it would close");
    }
    assertTrue(api.firestore().collection("accounts").get().get().isEmpty(), "accounts written");
  }

  /**
   * The JDK client (as the other API tests use it) sends a request's body after its headers, so the
   * server may refuse the request before the body arrives; it must still answer every next request.
   */
  @Test
  void jdkClient_manyRefusedPostsInARow_allAnswered() throws Exception {
    for (int i = 0; i < 200; i++) {
      assertEquals(401, api.call("POST", "/v1/accounts", BODY, "application/json", Map.of()).statusCode());
    }
    assertTrue(api.firestore().collection("accounts").get().get().isEmpty(), "accounts written");
  }

  @Test
  void bodyOverLimit_saysConnectionClose() throws Exception {
    try (RawHttpConnection c = new RawHttpConnection(api.port)) {
      c.writeHead("POST", "/v1/accounts", jsonHeaders(300 * 1024, true));
      c.write("{\"name\":\"" + "x".repeat(1000));
      RawHttpConnection.Response r = c.readResponse();
      assertEquals(413, r.status(), r.body());
      assertEquals("close", r.header("Connection"), () -> "headers: " + r.headers());
      assertTrue(c.serverClosed(), "the server keeps a connection it said it would close");
    }
  }

  @Test
  void bodyReadToItsEnd_keepsTheConnectionForTheNextRequest() throws Exception {
    try (RawHttpConnection c = new RawHttpConnection(api.port)) {
      String bad = "{\"name\":";
      c.writeHead("POST", "/v1/accounts", jsonHeaders(bad.length(), true));
      c.write(bad);
      RawHttpConnection.Response first = c.readResponse();
      assertEquals(400, first.status(), first.body());
      assertEquals("", first.header("Connection"), () -> "headers: " + first.headers());

      c.writeHead("GET", "/v1/accounts", Map.of("X-Admin-Token", ApiServer.ADMIN_TOKEN));
      RawHttpConnection.Response second = c.readResponse();
      assertEquals(200, second.status(), second.body());
    }
  }

  @Test
  void rejectedWithoutABody_keepsTheConnectionForTheNextRequest() throws Exception {
    try (RawHttpConnection c = new RawHttpConnection(api.port)) {
      c.writeHead("GET", "/v1/accounts", Map.of());
      RawHttpConnection.Response first = c.readResponse();
      assertEquals(401, first.status(), first.body());
      assertEquals("", first.header("Connection"), () -> "headers: " + first.headers());

      c.writeHead("GET", "/v1/accounts", Map.of("X-Admin-Token", ApiServer.ADMIN_TOKEN));
      RawHttpConnection.Response second = c.readResponse();
      assertEquals(200, second.status(), second.body());
    }
  }
}
