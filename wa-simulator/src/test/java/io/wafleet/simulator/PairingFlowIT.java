package io.wafleet.simulator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.binary.Node;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Registration, pair-device, scan, pair-success, 515, login and the post-login iqs (§3, §6, §7). */
class PairingFlowIT {

  private WaSimulator sim;
  private SimulatorAdminClient admin;

  @BeforeEach
  void start() throws Exception {
    sim = WaSimulator.start(SimulatorFixture.fastConfig());
    admin = new SimulatorAdminClient(sim.adminUri());
    assertEquals(201, admin.post("phones", Map.of("phone", "40700000001")).status());
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void pairDevice_carriesConfiguredNumberOfDistinctRefs() throws Exception {
    TestCreds creds = new TestCreds();
    try (TestWaClient client = TestWaClient.connect(sim.wsUri(), creds, creds.registrationPayload())) {
      Node iq = client.next();
      assertEquals("set", iq.attr("type"));
      assertEquals("md", iq.attr("xmlns"));
      assertEquals("@s.whatsapp.net", iq.attr("from"));
      List<String> refs = TestPairing.refs(iq);
      assertEquals(6, refs.size());
      assertEquals(6, refs.stream().distinct().count());
      assertEquals("result", client.ping().attr("type"), "pings answered while registering");
    }
  }

  @Test
  void scan_pairsThenRestartsThenLoginSucceedsWithLid() throws Exception {
    TestCreds creds = new TestCreds();
    String deviceJid = SimulatorFixture.pair(sim, admin, creds, "40700000001");
    assertEquals("40700000001:1@s.whatsapp.net", deviceJid);
    try (TestWaClient client = TestWaClient.connect(sim.wsUri(), creds,
        creds.loginPayload(40700000001L, 1))) {
      Node success = client.next();
      assertEquals("success", success.tag());
      assertTrue(success.attr("lid").matches("[1-9][0-9]{14}:1@lid"), success.attr("lid"));
      assertEquals("offline", client.next().child("offline").tag());
    }
    SimulatorAdminClient.Reply devices = admin.get("phones/40700000001/devices");
    assertEquals(deviceJid, devices.body().get("devices").get(0).asText());
  }

  @Test
  void login_answersPostLoginIqsAsWhatsAppDoes() throws Exception {
    TestCreds creds = new TestCreds();
    SimulatorFixture.pair(sim, admin, creds, "40700000001");
    try (TestWaClient client = SimulatorFixture.login(sim, creds)) {
      assertEquals("0", client.query("encrypt", "get", Node.of("count")).child("count").attr("value"));
      Node upload = client.query("encrypt", "set", null);
      assertEquals("result", upload.attr("type"));
      assertEquals("result", uploadPreKeys(client, creds, 812).attr("type"));
      // The phone welcomes its new companion on one of them (§9.6), shortly after the upload.
      await().atMost(TestWaClient.WAIT).until(() -> client.query("encrypt", "get",
          Node.of("count")).child("count").attr("value"), "811"::equals);
      assertEquals("result", client.query("passive", "set", Node.of("active")).attr("type"));
      assertNotNull(client.query("encrypt", "get", Node.of("digest")).child("digest"));
      assertNotNull(client.query("w", "get",
          Node.of("props", Node.attrsOf("protocol", "2", "hash", ""))).child("props"));
      assertNotNull(client.query("blocklist", "get", null).child("list"));
      assertNotNull(client.query("privacy", "get", Node.of("privacy")).child("privacy"));
      Node unknown = client.query("urn:unknown", "get", Node.of("whatever"));
      assertEquals("result", unknown.attr("type"));
      assertEquals("result", client.ping().attr("type"));
    }
  }

  @Test
  void secondLoginOfSameDevice_replacesFirstWith440Conflict() throws Exception {
    TestCreds creds = new TestCreds();
    SimulatorFixture.pair(sim, admin, creds, "40700000001");
    try (TestWaClient first = SimulatorFixture.login(sim, creds);
        TestWaClient second = SimulatorFixture.login(sim, creds)) {
      Node error = first.await(node -> "stream:error".equals(node.tag()));
      assertEquals("replaced", error.child("conflict").attr("type"));
      assertTrue(first.awaitClosed());
      assertEquals("result", second.ping().attr("type"));
    }
    assertEquals(1, admin.stats().path("sessionsReplaced").asLong(), "the replacement is counted");
  }

  @Test
  void login_withOtherNoiseKey_getsFailure401() throws Exception {
    TestCreds creds = new TestCreds();
    SimulatorFixture.pair(sim, admin, creds, "40700000001");
    TestCreds impostor = new TestCreds();
    try (TestWaClient client = TestWaClient.connect(sim.wsUri(), impostor,
        impostor.loginPayload(40700000001L, 1))) {
      Node failure = client.next();
      assertEquals("failure", failure.tag());
      assertEquals("401", failure.attr("reason"));
      assertTrue(client.awaitClosed());
    }
  }

  /**
   * §9.6: a companion's first pre-key upload moves its phone to send it two peer messages, the
   * app-state sync key share and the history sync notification, both pkmsg on one fetched key.
   */
  @Test
  void firstPreKeyUpload_phoneSendsTwoPeerMessagesOnOnePreKey() throws Exception {
    TestCreds creds = new TestCreds();
    String deviceJid = SimulatorFixture.pair(sim, admin, creds, "40700000001");
    try (TestWaClient client = SimulatorFixture.login(sim, creds)) {
      String id = sendPreKeys(client, creds, 10);
      List<Node> peerMessages = new ArrayList<>();
      boolean answered = false;
      while (!answered || peerMessages.size() < 2) {
        Node node = client.next();
        if (id.equals(node.attr("id"))) {
          answered = true;
        } else if ("message".equals(node.tag())) {
          peerMessages.add(node);
        }
      }
      for (Node message : peerMessages) {
        assertEquals("peer", message.attr("category"), message.toString());
        assertEquals("40700000001@s.whatsapp.net", message.attr("from"), message.toString());
        assertEquals("text", message.attr("type"));
        assertEquals("pkmsg", message.child("enc").attr("type"), message.toString());
      }
      assertEquals("9", admin.get("devices/" + deviceJid + "/prekeys").body().path("remaining")
          .asText(), "one pre-key for the phone's session");
    }
  }

  private static Node uploadPreKeys(TestWaClient client, TestCreds creds, int count)
      throws Exception {
    String id = sendPreKeys(client, creds, count);
    return client.await(node -> id.equals(node.attr("id")));
  }

  private static String sendPreKeys(TestWaClient client, TestCreds creds, int count)
      throws Exception {
    List<Node> keys = new ArrayList<>();
    for (int id = 1; id <= count; id++) {
      keys.add(Node.of("key", Map.of(), List.of(
          Node.of("id", Map.of(), new byte[] {0, (byte) (id >> 8), (byte) id}),
          Node.of("value", Map.of(), Curve25519.generateKeyPair().publicKey()))));
    }
    String id = client.nextId();
    client.send(Node.of("iq", Node.attrsOf("id", id, "xmlns", "encrypt", "type", "set",
        "to", "@s.whatsapp.net"), List.of(
            Node.of("registration", Map.of(), new byte[] {0, 0, 0, 1}),
            Node.of("type", Map.of(), new byte[] {5}),
            Node.of("identity", Map.of(), creds.identity.publicKey()),
            Node.of("list", Map.of(), keys),
            Node.of("skey", Map.of(), List.of(
                Node.of("id", Map.of(), new byte[] {0, 0, 1}),
                Node.of("value", Map.of(), creds.signedPreKey.publicKey()),
                Node.of("signature", Map.of(), creds.signedPreKeySignature))))));
    return id;
  }
}
