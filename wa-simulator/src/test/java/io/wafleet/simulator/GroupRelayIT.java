package io.wafleet.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.client.binary.Node;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import io.wafleet.simulator.admin.SimulatorAdminException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Groups between raw test companions (docs/protocol.md §10.7): the admin API, the {@code w:g2}
 * metadata iq, relay of group messages (ack first, one copy per member device but the sender's,
 * pairwise enc before skmsg, offline queue), group receipts, {@code w:gp2} notifications, and the
 * refusals (non-member, unknown group, malformed).
 */
class GroupRelayIT {

  private static final String A = "40700000011";
  private static final String B = "40700000012";
  private static final String C = "40700000013";
  private static final byte[] SKMSG = {0x33, 7, 7, 7};

  private WaSimulator sim;
  private SimulatorAdminClient admin;

  @BeforeEach
  void start() throws Exception {
    sim = WaSimulator.start(SimulatorFixture.fastConfig());
    admin = new SimulatorAdminClient(sim.adminUri());
    for (String phone : List.of(A, B, C)) {
      admin.createPhone(phone);
    }
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void adminApi_createsReadsAndChangesGroups_refusingBadInput() throws Exception {
    String group = admin.createGroup("Team", A, List.of(B, B, A));
    assertTrue(group.matches(A + "-\\d+@g\\.us"), group);
    JsonNode read = admin.group(group);
    assertEquals("Team", read.path("subject").asText());
    assertEquals(A, read.path("creator").asText());
    assertEquals(List.of(A, B), texts(read.path("members")));
    assertTrue(!group.equals(admin.createGroup("Team 2", A, List.of())),
        "a second group of the same creator in the same second gets its own jid");

    JsonNode changed = admin.changeParticipants(group, List.of(C), List.of(B));
    assertEquals(List.of(A, C), texts(changed.path("members")));
    assertEquals(List.of(C), texts(changed.path("added")));
    assertEquals(List.of(B), texts(changed.path("removed")));

    assertError(admin.post("groups", Map.of("subject", "x", "creator", A,
        "participants", List.of("40799999999"))), 404, "unknown-phone", "participants");
    assertError(admin.post("groups", Map.of("subject", "x", "creator", "40799999999",
        "participants", List.of())), 404, "unknown-phone", "creator");
    assertError(admin.post("groups", Map.of("subject", "", "creator", A,
        "participants", List.of())), 400, "bad-request", "subject");
    assertError(admin.post("groups", Map.of("subject", "x", "creator", A,
        "participants", "B")), 400, "bad-participants", "participants");
    assertError(admin.post("groups", Map.of("creator", A, "participants", List.of())), 400,
        "missing-field", "subject");
    assertError(admin.postRaw("groups", "{not json", "application/json"), 400, "malformed-json",
        null);
    assertError(admin.get("groups/" + A + "-1@g.us"), 404, "unknown-group", "jid");
    assertError(admin.post("groups/" + group + "/participants", Map.of("remove", List.of(A))),
        409, "group-conflict", "remove");
    assertError(admin.post("groups/" + group + "/participants", Map.of("remove", List.of(B))),
        409, "group-conflict", "remove");
    assertError(admin.post("groups/" + group + "/participants", Map.of()), 400, "missing-field",
        "add");
    assertError(admin.post("groups/" + group + "/participants",
        Map.of("add", List.of(B), "remove", List.of(B))), 400, "bad-request", "remove");
    assertEquals(405, admin.post("groups/" + group, Map.of()).status());
    assertEquals(List.of(A, C), texts(admin.group(group).path("members")),
        "refused changes left the group as it was");
    SimulatorAdminException thrown = org.junit.jupiter.api.Assertions.assertThrows(
        SimulatorAdminException.class, () -> admin.group("nope@g.us"));
    assertEquals(404, thrown.status());
  }

  @Test
  void metadataIq_answersMembers_refusesOthers() throws Exception {
    String group = admin.createGroup("Team", A, List.of(B));
    try (TestDevice a1 = TestDevice.online(sim, admin, A);
        TestDevice c1 = TestDevice.online(sim, admin, C)) {
      Node answer = metadata(a1, group);
      assertEquals("result", answer.attr("type"), answer.toString());
      assertEquals(group, answer.attr("from"));
      Node info = answer.child("group");
      assertEquals(group.replace("@g.us", ""), info.attr("id"));
      assertEquals("Team", info.attr("subject"));
      assertEquals(A + "@s.whatsapp.net", info.attr("creator"));
      assertEquals("pn", info.attr("addressing_mode"));
      assertEquals("2", info.attr("size"));
      List<Node> participants = info.children("participant");
      assertEquals(List.of(A + "@s.whatsapp.net", B + "@s.whatsapp.net"),
          participants.stream().map(p -> p.attr("jid")).toList());
      assertEquals("superadmin", participants.get(0).attr("type"));
      assertNull(participants.get(1).attr("type"));
      assertTrue(participants.get(1).attr("lid").endsWith("@lid"));

      String id = a1.client.nextId();
      a1.client.send(Node.of("iq", Node.attrsOf("id", id, "to", "@g.us", "type", "get",
          "xmlns", "w:g2"), List.of(Node.of("participating"))));
      Node mine = a1.client.await(node -> id.equals(node.attr("id")));
      assertEquals(List.of(group.replace("@g.us", "")), mine.child("groups").children("group")
          .stream().map(g -> g.attr("id")).toList(), "participating lists A's groups");

      Node forbidden = metadata(c1, group);
      assertEquals("error", forbidden.attr("type"));
      assertEquals("403", forbidden.child("error").attr("code"));
      Node unknown = metadata(a1, A + "-1@g.us");
      assertEquals("404", unknown.child("error").attr("code"));
      assertEquals("item-not-found", unknown.child("error").attr("text"));
    }
  }

  @Test
  void groupMessage_ackedThenFannedOutToEveryOtherMemberDevice_offlineOnesAtLogin()
      throws Exception {
    String group = admin.createGroup("Team", A, List.of(B, C));
    TestDevice c1 = TestDevice.pair(sim, admin, C);
    try (TestDevice a1 = TestDevice.online(sim, admin, A);
        TestDevice a2 = TestDevice.online(sim, admin, A);
        TestDevice b1 = TestDevice.online(sim, admin, B); c1) {
      String sender = a1.jid;
      Node ack = a1.sendAndAwaitAck(groupMessage("3EB0GG01", group, b1.jid, a2.jid));
      assertNull(ack.attr("error"), ack.toString());
      assertEquals(group, ack.attr("from"));

      for (TestDevice member : List.of(b1, a2)) {
        Node got = member.client.await(node -> "message".equals(node.tag()));
        assertEquals(group, got.attr("from"));
        assertEquals(sender, got.attr("participant"));
        assertEquals("3EB0GG01", got.attr("id"));
        assertEquals("pn", got.attr("addressing_mode"));
        assertTrue(got.attr("participant_lid").endsWith("@lid"), got.toString());
        List<Node> encs = got.children("enc");
        assertEquals(List.of("pkmsg", "skmsg"), encs.stream().map(e -> e.attr("type")).toList(),
            "the sender-key distribution comes before the skmsg");
        assertArrayEquals(SKMSG, encs.get(1).bytes());
      }
      List<Node> offline = c1.login(sim);
      assertEquals(1, offline.size(), offline.toString());
      assertEquals("1", offline.get(0).attr("offline"));
      assertEquals(List.of("skmsg"), offline.get(0).children("enc").stream()
          .map(e -> e.attr("type")).toList(), "no pairwise enc was given for C's device");

      b1.client.send(Node.of("receipt", Node.attrsOf("id", "3EB0GG01", "to", group,
          "participant", sender)));
      Node receiptAck = b1.client.await(node -> "ack".equals(node.tag()));
      assertEquals(group, receiptAck.attr("from"));
      // the phones (device 0 of each member) answer the fake skmsg with retry receipts; B's is plain
      Node receipt = a1.client.await(node -> "receipt".equals(node.tag())
          && node.attr("type") == null);
      assertEquals(group, receipt.attr("from"));
      assertEquals(b1.jid, receipt.attr("participant"));
      assertEquals("3EB0GG01", receipt.attr("id"));
    }
  }

  @Test
  void groupMessage_fromNonMember_refusedWith403_andNothingRelayed() throws Exception {
    String group = admin.createGroup("Team", A, List.of(B));
    try (TestDevice b1 = TestDevice.online(sim, admin, B);
        TestDevice c1 = TestDevice.online(sim, admin, C);
        TestDevice a1 = TestDevice.online(sim, admin, A)) {
      Node refused = c1.sendAndAwaitAck(groupMessage("3EB0GG02", group, b1.jid));
      assertEquals("403", refused.attr("error"));
      Node unknown = a1.sendAndAwaitAck(groupMessage("3EB0GG03", A + "-1@g.us", b1.jid));
      assertEquals("404", unknown.attr("error"));
      Node noSkmsg = Node.of("message", Node.attrsOf("id", "3EB0GG04", "to", group,
          "type", "text"), List.of(Node.of("enc", Node.attrsOf("v", "2", "type", "pkmsg"), SKMSG)));
      assertEquals("400", a1.sendAndAwaitAck(noSkmsg).attr("error"));
      Node outsider = a1.sendAndAwaitAck(groupMessage("3EB0GG05", group, c1.jid));
      assertEquals("400", outsider.attr("error"), "a pairwise enc for a non-member's device");
      Node empty = Node.of("message", Node.attrsOf("id", "3EB0GG06", "to", group, "type", "text"));
      assertEquals("400", a1.sendAndAwaitAck(empty).attr("error"));

      assertNull(a1.sendAndAwaitAck(groupMessage("3EB0GG07", group)).attr("error"));
      Node first = b1.client.await(node -> "message".equals(node.tag()));
      assertEquals("3EB0GG07", first.attr("id"), "none of the refused messages reached B");
    }
  }

  @Test
  void membershipChange_notifiesMembersAndRemovedOnes_removedGetNothingAfter() throws Exception {
    String group = admin.createGroup("Team", A, List.of(B));
    try (TestDevice a1 = TestDevice.online(sim, admin, A);
        TestDevice b1 = TestDevice.online(sim, admin, B);
        TestDevice c1 = TestDevice.online(sim, admin, C)) {
      admin.changeParticipants(group, List.of(C), List.of());
      for (TestDevice member : List.of(a1, b1, c1)) {
        Node added = member.client.await(node -> "notification".equals(node.tag()));
        assertEquals("w:gp2", added.attr("type"));
        assertEquals(group, added.attr("from"));
        assertEquals(A + "@s.whatsapp.net", added.attr("participant"));
        assertEquals(C + "@s.whatsapp.net", added.child("add").child("participant").attr("jid"));
      }
      admin.changeParticipants(group, List.of(), List.of(B));
      for (TestDevice member : List.of(a1, b1, c1)) {
        Node removed = member.client.await(node -> "notification".equals(node.tag()));
        assertEquals(B + "@s.whatsapp.net",
            removed.child("remove").child("participant").attr("jid"));
      }
      assertNull(a1.sendAndAwaitAck(groupMessage("3EB0GG08", group)).attr("error"));
      assertEquals("3EB0GG08", c1.client.await(node -> "message".equals(node.tag())).attr("id"));
      Node refused = b1.sendAndAwaitAck(groupMessage("3EB0GG09", group));
      assertEquals("403", refused.attr("error"), "a removed member can no longer send");
      b1.client.send(Node.of("iq", Node.attrsOf("id", "probe", "to", "@s.whatsapp.net",
          "type", "get", "xmlns", "w:p"), List.of(Node.of("ping"))));
      Node next = b1.client.await(node -> !"ack".equals(node.tag()));
      assertEquals("probe", next.attr("id"), "B got no copy of the message after its removal: "
          + next);
    }
  }

  private static Node metadata(TestDevice device, String group) throws Exception {
    String id = device.client.nextId();
    device.client.send(Node.of("iq", Node.attrsOf("id", id, "to", group, "type", "get",
        "xmlns", "w:g2"), List.of(Node.of("query", Node.attrsOf("request", "interactive")))));
    return device.client.await(node -> id.equals(node.attr("id")));
  }

  /** A group message: a pkmsg for each named device, then the skmsg for all. */
  static Node groupMessage(String id, String group, String... pairwise) {
    List<Node> participants = new java.util.ArrayList<>();
    for (String device : pairwise) {
      participants.add(Node.of("to", Node.attrsOf("jid", device), List.of(
          Node.of("enc", Node.attrsOf("v", "2", "type", "pkmsg"), new byte[] {0x33, 1, 2, 3}))));
    }
    List<Node> children = new java.util.ArrayList<>();
    if (!participants.isEmpty()) {
      children.add(Node.of("participants", Map.of(), participants));
    }
    children.add(Node.of("enc", Node.attrsOf("v", "2", "type", "skmsg"), SKMSG));
    return Node.of("message", Node.attrsOf("id", id, "to", group, "type", "text",
        "addressing_mode", "pn"), children);
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new java.util.ArrayList<>();
    array.forEach(each -> out.add(each.asText()));
    return out;
  }

  private static void assertError(SimulatorAdminClient.Reply reply, int status, String code,
      String field) {
    assertEquals(status, reply.status(), String.valueOf(reply.body()));
    assertEquals(code, reply.body().path("code").asText(), reply.body().toString());
    if (field == null) {
      assertTrue(reply.body().path("field").isNull(), reply.body().toString());
    } else {
      assertEquals(field, reply.body().path("field").asText(), reply.body().toString());
    }
  }
}
