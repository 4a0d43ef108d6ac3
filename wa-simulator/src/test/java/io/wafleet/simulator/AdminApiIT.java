package io.wafleet.simulator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.client.binary.Node;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every admin endpoint's happy path and error statuses. */
class AdminApiIT {

  private static final String PHONE = "40700000001";

  private final MutableClock clock = new MutableClock();
  private WaSimulator sim;
  private SimulatorAdminClient admin;

  @BeforeEach
  void start() {
    sim = WaSimulator.start(SimulatorFixture.fastConfig().toBuilder().clock(clock).build());
    admin = new SimulatorAdminClient(sim.adminUri());
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void createPhone_returns201WithJidAndLid() throws Exception {
    SimulatorAdminClient.Reply created = admin.post("phones", Map.of("phone", PHONE));
    assertEquals(201, created.status());
    assertEquals(PHONE, created.body().get("phone").asText());
    assertEquals(PHONE + "@s.whatsapp.net", created.body().get("jid").asText());
    assertTrue(created.body().get("lid").asText().matches("[1-9][0-9]{14}@lid"));
  }

  @Test
  void createPhone_errors() throws Exception {
    admin.post("phones", Map.of("phone", PHONE));
    assertError(admin.post("phones", Map.of("phone", PHONE)), 409, "duplicate-phone", "phone");
    assertError(admin.post("phones", Map.of("phone", "12ab")), 400, "bad-phone", "phone");
    assertError(admin.post("phones", Map.of("other", "x")), 400, "missing-field", "phone");
    assertError(admin.postRaw("phones", "{nope", "application/json"), 400, "malformed-json", null);
    assertError(admin.postRaw("phones", "{\"phone\":\"40700000002\"}", "text/plain"), 415,
        "unsupported-media-type", null);
    assertError(admin.get("phones"), 405, "method-not-allowed", null);
    assertError(admin.get("nowhere"), 404, "not-found", null);
  }

  @Test
  void scan_errors() throws Exception {
    admin.post("phones", Map.of("phone", PHONE));
    TestCreds creds = new TestCreds();
    try (TestWaClient client = TestWaClient.connect(sim.wsUri(), creds, creds.registrationPayload())) {
      List<String> refs = TestPairing.refs(client.next());
      assertError(admin.post("phones/40799999999/scan", Map.of("qr", creds.qr(refs.get(0)))), 404,
          "unknown-phone", "phone");
      assertError(admin.post("phones/" + PHONE + "/scan", Map.of("qr", creds.qr("2@unknown"))), 404,
          "unknown-ref", "qr");
      assertError(admin.post("phones/" + PHONE + "/scan", Map.of("qr", "a,b")), 400, "bad-qr", "qr");
      assertError(admin.post("phones/" + PHONE + "/scan", Map.of("qr", new TestCreds().qr(refs.get(0)))),
          400, "qr-mismatch", "qr");
      clock.advance(Duration.ofSeconds(61));
      assertError(admin.post("phones/" + PHONE + "/scan", Map.of("qr", creds.qr(refs.get(0)))), 410,
          "expired-ref", "qr");
      SimulatorAdminClient.Reply second = admin.post("phones/" + PHONE + "/scan",
          Map.of("qr", creds.qr(refs.get(1))));
      assertEquals(200, second.status(), "the second ref lives 60 + 20 s (§6.3)");
    }
  }

  @Test
  void scan_refOfAClosedRegistration_is410_neverIssuedRef_is404() throws Exception {
    admin.post("phones", Map.of("phone", PHONE));
    TestCreds creds = new TestCreds();
    List<String> refs;
    try (TestWaClient client = TestWaClient.connect(sim.wsUri(), creds, creds.registrationPayload())) {
      refs = TestPairing.refs(client.next());
    }
    awaitLiveConnections(0);
    for (String ref : refs) {
      assertError(admin.post("phones/" + PHONE + "/scan", Map.of("qr", creds.qr(ref))), 410,
          "expired-ref", "qr");
    }
    assertError(admin.post("phones/" + PHONE + "/scan", Map.of("qr", creds.qr("2@neverIssued"))),
        404, "unknown-ref", "qr");
  }

  @Test
  void scan_usedRef_is410() throws Exception {
    admin.post("phones", Map.of("phone", PHONE));
    TestCreds creds = new TestCreds();
    try (TestWaClient client = TestWaClient.connect(sim.wsUri(), creds, creds.registrationPayload())) {
      List<String> refs = TestPairing.refs(client.next());
      assertEquals(200, admin.post("phones/" + PHONE + "/scan",
          Map.of("qr", creds.qr(refs.get(0)))).status());
      assertError(admin.post("phones/" + PHONE + "/scan", Map.of("qr", creds.qr(refs.get(0)))), 410,
          "expired-ref", "qr");
      assertError(admin.post("phones/" + PHONE + "/scan", Map.of("qr", creds.qr(refs.get(1)))), 410,
          "expired-ref", "qr");
    }
  }

  /** Waits until the server counts {@code expected} live sockets (it counts a close once handled). */
  private void awaitLiveConnections(long expected) throws Exception {
    await("live connections to become " + expected).atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> admin.get("stats").body().get("connections").asLong(), live -> live == expected);
  }

  @Test
  void devices_listsLinkedDevices_and404sUnknownPhone() throws Exception {
    admin.post("phones", Map.of("phone", PHONE));
    assertEquals(0, admin.get("phones/" + PHONE + "/devices").body().get("devices").size());
    String jid = SimulatorFixture.pair(sim, admin, new TestCreds(), PHONE);
    JsonNode devices = admin.get("phones/" + PHONE + "/devices").body().get("devices");
    assertEquals(jid, devices.get(0).asText());
    assertError(admin.get("phones/40799999999/devices"), 404, "unknown-phone", "phone");
  }

  @Test
  void logout_sendsDeviceRemovedAndRefusesNextLogin() throws Exception {
    admin.post("phones", Map.of("phone", PHONE));
    TestCreds creds = new TestCreds();
    String jid = SimulatorFixture.pair(sim, admin, creds, PHONE);
    try (TestWaClient client = SimulatorFixture.login(sim, creds)) {
      SimulatorAdminClient.Reply logout = admin.post("devices/" + jid + "/logout", Map.of());
      assertEquals(200, logout.status());
      assertEquals(1, logout.body().get("closedConnections").asInt());
      Node error = client.await(node -> "stream:error".equals(node.tag()));
      assertEquals("401", error.attr("code"));
      assertEquals("device_removed", error.child("conflict").attr("type"));
      assertTrue(client.awaitClosed());
    }
    try (TestWaClient again = TestWaClient.connect(sim.wsUri(), creds,
        creds.loginPayload(Long.parseLong(PHONE), 1))) {
      Node failure = again.next();
      assertEquals("failure", failure.tag());
      assertEquals("401", failure.attr("reason"));
    }
    assertError(admin.post("devices/" + jid + "/logout", Map.of()), 404, "unknown-device", "deviceJid");
    assertError(admin.post("devices/not-a-jid/logout", Map.of()), 400, "bad-device-jid", "deviceJid");
  }

  @Test
  void faults_streamErrors() throws Exception {
    admin.post("phones", Map.of("phone", PHONE));
    TestCreds creds = new TestCreds();
    String jid = SimulatorFixture.pair(sim, admin, creds, PHONE);
    assertStreamError(creds, jid, 515, node -> assertEquals("515", node.attr("code")));
    assertStreamError(creds, jid, 440, node -> {
      assertNull(node.attr("code"));
      assertEquals("replaced", node.child("conflict").attr("type"));
    });
    assertStreamError(creds, jid, 401, node -> {
      assertEquals("401", node.attr("code"));
      assertEquals("device_removed", node.child("conflict").attr("type"));
    });
    assertError(admin.post("faults", Map.of("kind", "explode")), 400, "bad-fault", null);
  }

  @Test
  void faults_dropClosesWithoutAnswerAndStallSilences() throws Exception {
    admin.post("phones", Map.of("phone", PHONE));
    TestCreds creds = new TestCreds();
    String jid = SimulatorFixture.pair(sim, admin, creds, PHONE);
    try (TestWaClient client = SimulatorFixture.login(sim, creds)) {
      SimulatorAdminClient.Reply stall = admin.post("faults", Map.of("kind", "stall", "target", jid));
      assertEquals(202, stall.status());
      assertEquals(1, stall.body().get("affected").asInt());
      long framesIn = stats().get("framesIn").asLong();
      client.send(Node.of("iq", Node.attrsOf("id", "p1", "to", "@s.whatsapp.net", "type", "get",
          "xmlns", "w:p"), List.of(Node.of("ping"))));
      await("server to read the ping").atMost(TestWaClient.WAIT).pollInterval(Duration.ofMillis(20))
          .until(() -> stats().get("framesIn").asLong() != framesIn);
      assertEquals(1, admin.post("faults", Map.of("kind", "drop", "target", "all")).body()
          .get("affected").asInt());
      assertTrue(client.awaitClosed());
      assertEquals(1006, client.closeCode(), "dropped without a close frame");
      assertEquals(0, client.pendingFrames(), "a stalled connection answers nothing");
    }
    JsonNode stats = stats();
    assertEquals(2, stats.get("faultsInjected").asInt());
  }

  @Test
  void stats_hasEveryCounter() throws Exception {
    admin.post("phones", Map.of("phone", PHONE));
    SimulatorFixture.pair(sim, admin, new TestCreds(), PHONE);
    JsonNode stats = stats();
    for (String key : List.of("connections", "handshakesCompleted", "registrations", "logins",
        "loginFailures", "phones", "devices", "framesIn", "framesOut", "droppedConnections",
        "faultsInjected")) {
      assertNotNull(stats.get(key), key);
    }
    assertEquals(1, stats.get("phones").asInt());
    assertEquals(1, stats.get("devices").asInt());
    assertEquals(1, stats.get("registrations").asInt());
    assertEquals(1, stats.get("handshakesCompleted").asInt());
  }

  private void assertStreamError(TestCreds creds, String jid, int code,
      java.util.function.Consumer<Node> check) throws Exception {
    try (TestWaClient client = SimulatorFixture.login(sim, creds)) {
      SimulatorAdminClient.Reply fault = admin.post("faults",
          Map.of("kind", "stream-error", "code", code, "target", jid));
      assertEquals(202, fault.status());
      assertEquals(1, fault.body().get("affected").asInt());
      check.accept(client.await(node -> "stream:error".equals(node.tag())));
      assertTrue(client.awaitClosed());
    }
  }

  private JsonNode stats() throws Exception {
    SimulatorAdminClient.Reply stats = admin.get("stats");
    assertEquals(200, stats.status());
    return stats.body();
  }

  private static void assertError(SimulatorAdminClient.Reply response, int status, String code,
      String field) {
    assertEquals(status, response.status(), String.valueOf(response.body()));
    assertEquals(code, response.body().get("code").asText());
    assertNotNull(response.body().get("message").asText());
    assertEquals(field, response.body().get("field").isNull() ? null : response.body().get("field").asText());
  }
}
