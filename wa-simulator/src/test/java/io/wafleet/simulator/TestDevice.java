package io.wafleet.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wafleet.client.binary.Node;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.model.Jid;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A paired test companion (raw {@link TestWaClient}) for relay tests: pairs through the admin API,
 * logs in (returning the offline stanzas that preceded {@code <ib><offline/>}), uploads pre-keys
 * and sends raw message and receipt stanzas. Not thread-safe; one test thread uses it.
 */
final class TestDevice implements AutoCloseable {

  private final TestCreds creds;
  final String jid;
  TestWaClient client;

  private TestDevice(TestCreds creds, String jid) {
    this.creds = creds;
    this.jid = jid;
  }

  /** Pairs a new companion of {@code phone} (not logged in yet). */
  static TestDevice pair(WaSimulator sim, SimulatorAdminClient admin, String phone) throws Exception {
    TestCreds creds = new TestCreds();
    return new TestDevice(creds, SimulatorFixture.pair(sim, admin, creds, phone));
  }

  /** Pairs and logs in, expecting an empty offline queue. */
  static TestDevice online(WaSimulator sim, SimulatorAdminClient admin, String phone) throws Exception {
    TestDevice device = pair(sim, admin, phone);
    assertEquals(List.of(), device.login(sim));
    return device;
  }

  TestCreds creds() {
    return creds;
  }

  /** Logs in; returns the stanzas delivered before the offline marker, and checks its count. */
  List<Node> login(WaSimulator sim) throws Exception {
    Jid me = Jid.parse(jid);
    client = TestWaClient.connect(sim.wsUri(), creds(),
        creds().loginPayload(Long.parseLong(me.user()), me.deviceId()));
    assertEquals("success", client.next().tag());
    List<Node> offline = new ArrayList<>();
    while (true) {
      Node node = client.next();
      if ("ib".equals(node.tag())) {
        assertEquals(Integer.toString(offline.size()), node.child("offline").attr("count"));
        return offline;
      }
      offline.add(node);
    }
  }

  /** Uploads {@code count} pre-keys with ids 1..count (§7.2). */
  Node uploadPreKeys(int count) throws Exception {
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
            Node.of("identity", Map.of(), creds().identity.publicKey()),
            Node.of("list", Map.of(), keys),
            Node.of("skey", Map.of(), List.of(
                Node.of("id", Map.of(), new byte[] {0, 0, 1}),
                Node.of("value", Map.of(), creds().signedPreKey.publicKey()),
                Node.of("signature", Map.of(), creds().signedPreKeySignature))))));
    return client.await(node -> id.equals(node.attr("id")));
  }

  /** {@code <message id to type="text"><participants><to jid><enc v=2 type/></to>…}. */
  static Node message(String id, String to, String encType, String... deviceJids) {
    List<Node> participants = new ArrayList<>();
    for (String device : deviceJids) {
      participants.add(Node.of("to", Node.attrsOf("jid", device), List.of(
          Node.of("enc", Node.attrsOf("v", "2", "type", encType), new byte[] {0x33, 1, 2, 3}))));
    }
    return Node.of("message", Node.attrsOf("id", id, "to", to, "type", "text"), List.of(
        Node.of("participants", Map.of(), participants),
        Node.of("device-identity", Map.of(), new byte[] {9, 9})));
  }

  /** Sends a stanza and returns the server's ack with its id. */
  Node sendAndAwaitAck(Node stanza) throws Exception {
    client.send(stanza);
    String id = stanza.attr("id");
    return client.await(node -> "ack".equals(node.tag()) && id.equals(node.attr("id")));
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
  }
}
