package io.wafleet.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.binary.Node;
import io.wafleet.client.model.Jid;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.util.List;
import java.util.Map;

/** Shared steps for simulator tests: create a phone, pair a test client, log it in. */
final class SimulatorFixture {

  private SimulatorFixture() {}

  /** Registers, scans through the admin API, checks pair-success and the 515; returns the device jid. */
  static String pair(WaSimulator sim, SimulatorAdminClient admin, TestCreds creds, String phone)
      throws Exception {
    return pair(sim, admin, creds, phone, TestWaClient.Dialect.V3);
  }

  /** As {@link #pair(WaSimulator, SimulatorAdminClient, TestCreds, String)}, speaking {@code dialect}. */
  static String pair(WaSimulator sim, SimulatorAdminClient admin, TestCreds creds, String phone,
      TestWaClient.Dialect dialect) throws Exception {
    try (TestWaClient client = TestWaClient.connect(sim.wsUri(), creds, creds.registrationPayload(),
        dialect)) {
      Node pairDevice = client.next();
      List<String> refs = TestPairing.refs(pairDevice);
      client.send(Node.of("iq", Node.attrsOf("to", "@s.whatsapp.net", "type", "result",
          "id", pairDevice.attr("id"))));
      SimulatorAdminClient.Reply scan = admin.post("phones/" + phone + "/scan",
          Map.of("qr", creds.qr(refs.get(0))));
      assertEquals(200, scan.status(), String.valueOf(scan.body()));
      Node pairSuccess = client.await(node -> "iq".equals(node.tag()) && node.hasChildren()
          && "pair-success".equals(node.children().get(0).tag()));
      String deviceJid = TestPairing.answerPairSuccess(client, creds, pairSuccess);
      assertEquals(scan.body().get("deviceJid").asText(), deviceJid);
      Node restart = client.await(node -> "stream:error".equals(node.tag()));
      assertEquals("515", restart.attr("code"));
      assertTrue(client.awaitClosed(), "socket closed after 515");
      return deviceJid;
    }
  }

  /** Logs in with paired creds and consumes success and the offline marker. */
  static TestWaClient login(WaSimulator sim, TestCreds creds) throws Exception {
    return login(sim, creds, TestWaClient.Dialect.V3);
  }

  /** As {@link #login(WaSimulator, TestCreds)}, speaking {@code dialect}. */
  static TestWaClient login(WaSimulator sim, TestCreds creds, TestWaClient.Dialect dialect)
      throws Exception {
    Jid me = Jid.parse(creds.meJid);
    TestWaClient client = TestWaClient.connect(sim.wsUri(), creds,
        creds.loginPayload(Long.parseLong(me.user()), me.deviceId()), dialect);
    Node success = client.next();
    assertEquals("success", success.tag(), success.toString());
    Node ib = client.next();
    assertEquals("ib", ib.tag());
    assertEquals("0", ib.child("offline").attr("count"));
    return client;
  }

  static SimulatorConfig fastConfig() {
    return SimulatorConfig.builder().postHandshakeDelay(java.time.Duration.ofMillis(20)).build();
  }
}
