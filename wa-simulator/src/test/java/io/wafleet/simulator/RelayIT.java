package io.wafleet.simulator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.binary.Node;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Message relay, acks, receipts and offline queues between raw test companions (§7.4, §8.8, §9). */
class RelayIT {

  private static final String A = "40700000001";
  private static final String B = "40700000002";

  private WaSimulator sim;
  private SimulatorAdminClient admin;
  private final Map<String, String> lids = new java.util.HashMap<>();

  @BeforeEach
  void start() throws Exception {
    sim = WaSimulator.start(SimulatorFixture.fastConfig());
    admin = new SimulatorAdminClient(sim.adminUri());
    for (String phone : List.of(A, B)) {
      SimulatorAdminClient.Reply created = admin.post("phones", Map.of("phone", phone));
      assertEquals(201, created.status());
      lids.put(phone, created.body().path("lid").asText());
    }
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void message_toOnlineDevice_deliveredFromSenderDeviceAndAcked() throws Exception {
    try (TestDevice a1 = TestDevice.online(sim, admin, A);
        TestDevice b1 = TestDevice.online(sim, admin, B)) {
      Node ack = a1.sendAndAwaitAck(TestDevice.message("3EB0AA01", B + "@s.whatsapp.net", "pkmsg",
          B + ":1@s.whatsapp.net"));
      assertEquals("message", ack.attr("class"));
      assertEquals(B + "@s.whatsapp.net", ack.attr("from"));
      assertNull(ack.attr("error"), ack.toString());
      assertNotNull(ack.attr("t"));
      Node got = b1.client.await(node -> "message".equals(node.tag()));
      assertEquals(A + ":1@s.whatsapp.net", got.attr("from"));
      assertEquals("3EB0AA01", got.attr("id"));
      assertEquals("text", got.attr("type"));
      assertNull(got.attr("recipient"));
      assertNull(got.attr("offline"));
      assertEquals("pkmsg", got.child("enc").attr("type"));
      assertEquals("2", got.child("enc").attr("v"));
      assertArrayEquals(new byte[] {0x33, 1, 2, 3}, got.child("enc").bytes());
      assertArrayEquals(new byte[] {9, 9}, got.child("device-identity").bytes());
    }
  }

  @Test
  void message_addressedByLid_arrivesFromSendersLidDevice() throws Exception {
    try (TestDevice a1 = TestDevice.online(sim, admin, A);
        TestDevice b1 = TestDevice.online(sim, admin, B)) {
      String aLid = lid(A);
      String bLid = lid(B);
      Node ack = a1.sendAndAwaitAck(TestDevice.message("3EB0AA02", bLid, "msg",
          bLid.replace("@lid", ":1@lid")));
      assertNull(ack.attr("error"), ack.toString());
      assertEquals(bLid, ack.attr("from"));
      Node got = b1.client.await(node -> "message".equals(node.tag()));
      assertEquals(aLid.replace("@lid", ":1@lid"), got.attr("from"));
    }
  }

  @Test
  void receipts_forwardedToSender_inactiveBecomesPlainDelivery() throws Exception {
    try (TestDevice a1 = TestDevice.online(sim, admin, A);
        TestDevice b1 = TestDevice.online(sim, admin, B)) {
      a1.sendAndAwaitAck(TestDevice.message("3EB0AA03", B + "@s.whatsapp.net", "pkmsg",
          B + ":1@s.whatsapp.net"));
      b1.client.await(node -> "message".equals(node.tag()));
      b1.client.send(Node.of("receipt", Node.attrsOf("id", "3EB0AA03",
          "to", A + ":1@s.whatsapp.net", "type", "inactive")));
      Node receiptAck = b1.client.await(node -> "ack".equals(node.tag()));
      assertEquals("receipt", receiptAck.attr("class"));
      assertEquals("3EB0AA03", receiptAck.attr("id"));
      assertEquals("inactive", receiptAck.attr("type"));
      Node delivered = a1.client.await(node -> "receipt".equals(node.tag()));
      assertEquals(B + ":1@s.whatsapp.net", delivered.attr("from"));
      assertEquals("3EB0AA03", delivered.attr("id"));
      assertNull(delivered.attr("type"), "inactive is forwarded as a plain delivery (§9.5)");
      assertNotNull(delivered.attr("t"));
      b1.client.send(Node.of("receipt", Node.attrsOf("id", "3EB0AA03",
          "to", A + "@s.whatsapp.net", "type", "read")));
      Node read = a1.client.await(node -> "receipt".equals(node.tag()));
      assertEquals("read", read.attr("type"));
    }
  }

  @Test
  void retryReceipt_forwardedWithItsChildren() throws Exception {
    try (TestDevice a1 = TestDevice.online(sim, admin, A);
        TestDevice b1 = TestDevice.online(sim, admin, B)) {
      a1.sendAndAwaitAck(TestDevice.message("3EB0AA04", B + "@s.whatsapp.net", "pkmsg",
          B + ":1@s.whatsapp.net"));
      b1.client.send(Node.of("receipt", Node.attrsOf("id", "3EB0AA04",
          "to", A + ":1@s.whatsapp.net", "type", "retry"), List.of(
              Node.of("retry", Node.attrsOf("count", "1", "id", "3EB0AA04", "t", "1", "v", "1")),
              Node.of("registration", Map.of(), new byte[] {0, 0, 0, 7}))));
      Node retry = a1.client.await(node -> "receipt".equals(node.tag()));
      assertEquals("retry", retry.attr("type"));
      assertEquals("1", retry.child("retry").attr("count"));
      assertArrayEquals(new byte[] {0, 0, 0, 7}, retry.child("registration").bytes());
    }
  }

  @Test
  void message_toOwnOtherDevice_carriesRecipient() throws Exception {
    try (TestDevice a1 = TestDevice.online(sim, admin, A);
        TestDevice a2 = TestDevice.online(sim, admin, A)) {
      a1.sendAndAwaitAck(TestDevice.message("3EB0AA05", B + "@s.whatsapp.net", "pkmsg",
          A + ":2@s.whatsapp.net"));
      Node copy = a2.client.await(node -> "message".equals(node.tag()));
      assertEquals(A + ":1@s.whatsapp.net", copy.attr("from"));
      assertEquals(B + "@s.whatsapp.net", copy.attr("recipient"));
    }
  }

  @Test
  void message_toOfflineDevice_queuedAndDeliveredAtNextLoginWithOfflineMarker() throws Exception {
    TestDevice b1 = TestDevice.pair(sim, admin, B);
    try (TestDevice a1 = TestDevice.online(sim, admin, A); b1) {
      for (String id : List.of("3EB0AA06", "3EB0AA07")) {
        Node ack = a1.sendAndAwaitAck(TestDevice.message(id, B + "@s.whatsapp.net", "pkmsg",
            B + ":1@s.whatsapp.net"));
        assertNull(ack.attr("error"), "a queued message is accepted: " + ack);
      }
      List<Node> offline = b1.login(sim);
      assertEquals(2, offline.size(), offline.toString());
      assertEquals("3EB0AA06", offline.get(0).attr("id"));
      assertEquals("3EB0AA07", offline.get(1).attr("id"));
      offline.forEach(node -> assertEquals("1", node.attr("offline")));
      assertEquals(2, admin.get("stats").body().path("messagesQueued").asInt());
      b1.client.send(Node.of("receipt", Node.attrsOf("id", "3EB0AA06",
          "to", A + ":1@s.whatsapp.net")));
      assertEquals("3EB0AA06", a1.client.await(node -> "receipt".equals(node.tag())).attr("id"));
    }
  }

  @Test
  void receipt_forOfflineSender_queuedUntilItsLogin() throws Exception {
    TestDevice a1 = TestDevice.online(sim, admin, A);
    try (TestDevice b1 = TestDevice.online(sim, admin, B); a1) {
      a1.sendAndAwaitAck(TestDevice.message("3EB0AA08", B + "@s.whatsapp.net", "pkmsg",
          B + ":1@s.whatsapp.net"));
      b1.client.await(node -> "message".equals(node.tag()));
      int before = stats("connections");
      a1.client.close();
      assertTrue(a1.client.awaitClosed());
      // the receipt must find A offline on the server's side, not merely closed on ours
      awaitConnections(before - 1);
      b1.client.send(Node.of("receipt", Node.attrsOf("id", "3EB0AA08",
          "to", A + ":1@s.whatsapp.net")));
      b1.client.await(node -> "ack".equals(node.tag()));
      List<Node> offline = a1.login(sim);
      assertEquals(1, offline.size(), offline.toString());
      assertEquals("receipt", offline.get(0).tag());
      assertEquals("3EB0AA08", offline.get(0).attr("id"));
    }
  }

  @Test
  void unacknowledged_redeliveredAtNextLoginBeforeQueued_untilReceipted() throws Exception {
    try (TestDevice a1 = TestDevice.online(sim, admin, A);
        TestDevice b1 = TestDevice.online(sim, admin, B)) {
      List<String> ids = List.of("3EB0BB01", "3EB0BB02", "3EB0BB03", "3EB0BB04", "3EB0BB05");
      for (String id : ids.subList(0, 3)) {
        send(a1, id);
        assertNull(b1.client.await(node -> id.equals(node.attr("id"))).attr("offline"));
      }
      b1.client.send(receipt(ids.get(0)));
      assertEquals(ids.get(0), a1.client.await(node -> "receipt".equals(node.tag())).attr("id"));
      b1.client.drop();
      awaitConnections(1);
      for (String id : ids.subList(3, 5)) {
        send(a1, id);
      }
      assertEquals(2, stats("messagesQueued"), "4 and 5 wait in the offline queue");

      List<Node> second = b1.login(sim);
      assertEquals(ids.subList(1, 5), second.stream().map(node -> node.attr("id")).toList());
      second.forEach(node -> assertEquals("message", node.tag()));
      second.forEach(node -> assertEquals("1", node.attr("offline"), node.toString()));
      assertEquals(2, stats("messagesRedelivered"));
      for (String id : ids.subList(1, 5)) {
        b1.client.send(receipt(id));
        b1.client.await(node -> "ack".equals(node.tag()) && id.equals(node.attr("id")));
      }
      b1.client.close();
      awaitConnections(1);

      assertEquals(List.of(), b1.login(sim), "everything was acknowledged");
      assertEquals(2, stats("messagesRedelivered"));
    }
  }

  @Test
  void connectedDevice_neverAcknowledging_isNotResentWhileConnected() throws Exception {
    try (TestDevice a1 = TestDevice.online(sim, admin, A);
        TestDevice b1 = TestDevice.online(sim, admin, B)) {
      send(a1, "3EB0BB11");
      b1.client.await(node -> "3EB0BB11".equals(node.attr("id")));
      send(a1, "3EB0BB12");
      Node next = b1.client.await(node -> "message".equals(node.tag()));
      assertEquals("3EB0BB12", next.attr("id"), "the first message is not written twice");
      b1.client.send(Node.of("ack", Node.attrsOf("id", "3EB0BB11", "class", "message",
          "to", A + ":1@s.whatsapp.net", "type", "text", "error", "500")));
      b1.client.ping();
      b1.client.close();
      awaitConnections(1);
      List<Node> again = b1.login(sim);
      assertEquals(List.of("3EB0BB12"), again.stream().map(node -> node.attr("id")).toList(),
          "an <ack class=message> acknowledges too (§9.3)");
    }
  }

  private static void send(TestDevice from, String id) throws Exception {
    Node ack = from.sendAndAwaitAck(TestDevice.message(id, B + "@s.whatsapp.net", "msg",
        B + ":1@s.whatsapp.net"));
    assertNull(ack.attr("error"), ack.toString());
  }

  private static Node receipt(String id) {
    return Node.of("receipt", Node.attrsOf("id", id, "to", A + ":1@s.whatsapp.net",
        "type", "inactive"));
  }

  private int stats(String counter) throws Exception {
    return admin.get("stats").body().path(counter).asInt();
  }

  /** Waits (up to the test client's wait) until the server has seen sockets close. */
  private void awaitConnections(int expected) throws Exception {
    await("server-side connections to become " + expected).atMost(TestWaClient.WAIT)
        .pollInterval(Duration.ofMillis(20)).until(() -> stats("connections"), n -> n == expected);
  }

  private String lid(String phone) {
    return lids.get(phone);
  }
}
