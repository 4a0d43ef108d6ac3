package io.wafleet.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.wafleet.client.binary.Node;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Malformed messages and receipts: acked with an error or ignored; the connection survives. */
class RelayBadInputIT {

  private static final String A = "40700000001";
  private static final String B = "40700000002";
  private static final String C = "40700000003";

  private WaSimulator sim;
  private SimulatorAdminClient admin;

  @BeforeEach
  void start() throws Exception {
    sim = WaSimulator.start(SimulatorFixture.fastConfig());
    admin = new SimulatorAdminClient(sim.adminUri());
    for (String phone : List.of(A, B, C)) {
      assertEquals(201, admin.post("phones", Map.of("phone", phone)).status());
    }
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void message_withoutTo_ackedWithErrorAndConnectionSurvives() throws Exception {
    try (TestDevice a1 = TestDevice.online(sim, admin, A)) {
      Node ack = a1.sendAndAwaitAck(Node.of("message", Node.attrsOf("id", "3EB0BB01", "type", "text"),
          List.of(Node.of("enc", Node.attrsOf("v", "2", "type", "msg"), new byte[] {1}))));
      assertEquals("400", ack.attr("error"));
      assertEquals("result", a1.client.ping().attr("type"));
    }
  }

  @Test
  void message_toDeviceOfAnotherUser_ackedWithError() throws Exception {
    try (TestDevice a1 = TestDevice.online(sim, admin, A);
        TestDevice c1 = TestDevice.online(sim, admin, C)) {
      Node ack = a1.sendAndAwaitAck(TestDevice.message("3EB0BB02", B + "@s.whatsapp.net", "pkmsg",
          C + ":1@s.whatsapp.net"));
      assertEquals("400", ack.attr("error"));
      assertEquals("result", c1.client.ping().attr("type"));
      assertEquals(0, c1.client.pendingFrames(), "nothing was delivered to C");
      assertEquals("result", a1.client.ping().attr("type"));
    }
  }

  @Test
  void message_withOneForeignDevice_refusedWholeAndDeliveredToNone() throws Exception {
    try (TestDevice a1 = TestDevice.online(sim, admin, A);
        TestDevice b1 = TestDevice.online(sim, admin, B)) {
      Node ack = a1.sendAndAwaitAck(TestDevice.message("3EB0BB05", B + "@s.whatsapp.net", "pkmsg",
          B + ":1@s.whatsapp.net", C + "@s.whatsapp.net"));
      assertEquals("400", ack.attr("error"));
      assertEquals("result", b1.client.ping().attr("type"));
      assertEquals(0, b1.client.pendingFrames(), "nothing was delivered to B either");
    }
  }

  @Test
  void message_withStaleDeviceOfRecipient_deliveredToTheOthers() throws Exception {
    try (TestDevice a1 = TestDevice.online(sim, admin, A);
        TestDevice b1 = TestDevice.online(sim, admin, B)) {
      Node ack = a1.sendAndAwaitAck(TestDevice.message("3EB0BB06", B + "@s.whatsapp.net", "pkmsg",
          B + ":5@s.whatsapp.net", B + ":1@s.whatsapp.net"));
      assertNull(ack.attr("error"), ack.toString());
      assertEquals("3EB0BB06", b1.client.await(node -> "message".equals(node.tag())).attr("id"));
    }
  }

  @Test
  void message_toUnknownUser_ackedWith404() throws Exception {
    try (TestDevice a1 = TestDevice.online(sim, admin, A)) {
      Node ack = a1.sendAndAwaitAck(TestDevice.message("3EB0BB03", "40799999999@s.whatsapp.net",
          "pkmsg", "40799999999@s.whatsapp.net"));
      assertEquals("404", ack.attr("error"));
    }
  }

  @Test
  void message_withUnknownEncType_ackedWithError() throws Exception {
    try (TestDevice a1 = TestDevice.online(sim, admin, A);
        TestDevice b1 = TestDevice.online(sim, admin, B)) {
      Node ack = a1.sendAndAwaitAck(TestDevice.message("3EB0BB04", B + "@s.whatsapp.net", "bogus",
          B + ":1@s.whatsapp.net"));
      assertEquals("400", ack.attr("error"));
      assertEquals("result", b1.client.ping().attr("type"));
    }
  }

  @Test
  void receipt_forUnknownId_ackedNotForwarded() throws Exception {
    try (TestDevice a1 = TestDevice.online(sim, admin, A);
        TestDevice b1 = TestDevice.online(sim, admin, B)) {
      b1.client.send(Node.of("receipt", Node.attrsOf("id", "3EB0NOPE", "to", A + ":1@s.whatsapp.net")));
      Node ack = b1.client.await(node -> "ack".equals(node.tag()));
      assertEquals("receipt", ack.attr("class"));
      assertNull(ack.attr("error"));
      assertEquals("result", a1.client.ping().attr("type"));
      assertEquals(0, admin.get("stats").body().path("receiptsRelayed").asInt());
    }
  }

  @Test
  void ackPresenceAndChatstateFromClient_ignored() throws Exception {
    try (TestDevice a1 = TestDevice.online(sim, admin, A)) {
      a1.client.send(Node.of("ack", Node.attrsOf("id", "x", "class", "receipt")));
      a1.client.send(Node.of("presence", Node.attrsOf("type", "available", "name", "a")));
      a1.client.send(Node.of("chatstate", Node.attrsOf("to", B + "@s.whatsapp.net"),
          List.of(Node.of("composing"))));
      Node pong = a1.client.ping();
      assertNotNull(pong);
      assertEquals("result", pong.attr("type"));
    }
  }
}
