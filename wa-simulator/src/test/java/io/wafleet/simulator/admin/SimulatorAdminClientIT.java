package io.wafleet.simulator.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.wafleet.simulator.SimulatorConfig;
import io.wafleet.simulator.WaSimulator;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link SimulatorAdminClient} against a real simulator, a foreign HTTP server and a closed port. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SimulatorAdminClientIT {

  private static final String PHONE = "40700000001";

  private WaSimulator sim;
  private SimulatorAdminClient admin;

  @BeforeEach
  void start() {
    sim = WaSimulator.start(SimulatorConfig.builder().build());
    admin = new SimulatorAdminClient(sim.adminUri());
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void namedCalls_returnTheAnswersFields() throws Exception {
    SimulatorAdminClient.CreatedPhone created = admin.createPhone(PHONE);
    assertEquals(PHONE, created.phone());
    assertEquals(PHONE + "@s.whatsapp.net", created.jid());
    assertTrue(created.lid().endsWith("@lid"), created.lid());
    admin.ensurePhone(PHONE);
    assertEquals(List.of(), admin.devices(PHONE));
    assertEquals(0, admin.inbox(PHONE).size());
    assertEquals(List.of(), admin.inboxTexts(PHONE));
    assertEquals(0, admin.receipts(PHONE).size());
    assertEquals(0, admin.fault("drop", 0, "all"), "no connection to drop");
    assertEquals(1, admin.stats().path("phones").asInt());
  }

  @Test
  void non2xxAnswer_isSimulatorAdminException_withTheBodysCodeAndField() throws Exception {
    admin.createPhone(PHONE);
    SimulatorAdminException duplicate = assertThrows(SimulatorAdminException.class, () -> admin.createPhone(PHONE));
    assertEquals(409, duplicate.status());
    assertEquals("duplicate-phone", duplicate.code());
    assertEquals("phone", duplicate.field());
    assertEquals("POST phones", duplicate.request());

    SimulatorAdminException unknown = assertThrows(SimulatorAdminException.class,
        () -> admin.send("40799999999", PHONE + "@s.whatsapp.net", "hi"));
    assertEquals(404, unknown.status());
    assertEquals("unknown-phone", unknown.code());

    SimulatorAdminException badJid = assertThrows(SimulatorAdminException.class,
        () -> admin.preKeysRemaining("not a jid"));
    assertEquals(400, badJid.status());
    assertEquals("bad-device-jid", badJid.code());

    SimulatorAdminException badFault = assertThrows(SimulatorAdminException.class,
        () -> admin.fault("explode", 0, "all"));
    assertEquals("bad-fault", badFault.code());
    assertNull(badFault.field());
  }

  @Test
  void rawCalls_returnAnyStatus_withoutThrowing() throws Exception {
    SimulatorAdminClient.Reply missing = admin.get("nowhere");
    assertEquals(404, missing.status());
    assertEquals("not-found", missing.body().path("code").asText());
    assertEquals(400, admin.postRaw("phones", "{", "application/json").status());
  }

  @Test
  void foreignServer_answerWithoutOurErrorBody_isSimulatorAdminException() throws Exception {
    HttpServer foreign = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    foreign.createContext("/", exchange -> {
      byte[] page = "<html>not found</html>".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(404, page.length);
      exchange.getResponseBody().write(page);
      exchange.close();
    });
    foreign.start();
    try {
      SimulatorAdminClient other = new SimulatorAdminClient(
          URI.create("http://127.0.0.1:" + foreign.getAddress().getPort()));
      SimulatorAdminException e = assertThrows(SimulatorAdminException.class, other::stats);
      assertEquals(404, e.status());
      assertNull(e.code());
      assertTrue(e.getMessage().contains("not a JSON object: <html>not found</html>"), e.getMessage());
    } finally {
      foreign.stop(0);
    }
  }

  @Test
  void closedPort_isAConnectException() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    SimulatorAdminClient nobody = new SimulatorAdminClient(URI.create("http://127.0.0.1:" + port + "/"),
        Duration.ofSeconds(5));
    assertThrows(ConnectException.class, nobody::stats);
  }

  @Test
  void badTimeout_isRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> new SimulatorAdminClient(URI.create("http://127.0.0.1:1/"), Duration.ZERO));
  }
}
