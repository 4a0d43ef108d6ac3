package io.wafleet.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.binary.Node;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** usync (§8.3) and pre-key bundle fetches (§8.5) against raw test companions. */
class UsyncIT {

  private static final String A = "40700000001";
  private static final String B = "40700000002";

  private WaSimulator sim;
  private SimulatorAdminClient admin;
  private String bLid;

  @BeforeEach
  void start() throws Exception {
    // These tests count one-time pre-keys handed out; the phone's welcome would take one (§9.6).
    sim = WaSimulator.start(SimulatorFixture.fastConfig().toBuilder().companionWelcome(false)
        .build());
    admin = new SimulatorAdminClient(sim.adminUri());
    assertEquals(201, admin.post("phones", Map.of("phone", A)).status());
    bLid = admin.post("phones", Map.of("phone", B)).body().path("lid").asText();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  /** {@code <usync context mode="query" ...><query><P/>…</query><list><user jid/>…</list></usync>}. */
  static Node usync(String context, List<String> protocols, String... jids) {
    List<Node> query = new ArrayList<>();
    protocols.forEach(p -> query.add(Node.of(p, "devices".equals(p)
        ? Node.attrsOf("version", "2") : Map.of())));
    List<Node> users = new ArrayList<>();
    for (String jid : jids) {
      users.add(Node.of("user", Node.attrsOf("jid", jid)));
    }
    return Node.of("usync", Node.attrsOf("context", context, "mode", "query", "sid", "s1",
        "last", "true", "index", "0"), List.of(Node.of("query", Map.of(), query),
            Node.of("list", Map.of(), users)));
  }

  @Test
  void usync_listsPhoneAndConfirmedCompanionsWithKeyIndexAndLid() throws Exception {
    try (TestDevice a1 = TestDevice.online(sim, admin, A)) {
      Node answer = a1.client.query("usync", "get", usync("message",
          List.of("devices", "lid", "contact"), A + "@s.whatsapp.net", bLid, "40799999999@s.whatsapp.net"));
      assertEquals("result", answer.attr("type"));
      List<Node> users = answer.child("usync").child("list").children("user");
      assertEquals(3, users.size());
      Node a = users.get(0);
      assertEquals(A + "@s.whatsapp.net", a.attr("jid"));
      List<Node> devices = a.child("devices").child("device-list").children("device");
      assertEquals(2, devices.size());
      assertEquals("0", devices.get(0).attr("id"));
      assertNull(devices.get(0).attr("key-index"));
      assertEquals("1", devices.get(1).attr("id"));
      assertEquals("1", devices.get(1).attr("key-index"));
      assertNotNull(a.child("devices").child("key-index-list").attr("ts"));
      assertTrue(a.child("lid").attr("val").matches("[1-9][0-9]{14}@lid"));
      assertEquals("in", a.child("contact").attr("type"));
      Node b = users.get(1);
      assertEquals(bLid, b.attr("jid"), "a LID query is echoed");
      assertEquals(bLid, b.child("lid").attr("val"));
      assertEquals(1, b.child("devices").child("device-list").children("device").size());
      Node unknown = users.get(2);
      assertTrue(unknown.child("devices").child("device-list").children("device").isEmpty());
      assertNull(unknown.child("lid"));
      assertEquals("out", unknown.child("contact").attr("type"));
      assertEquals(1, admin.get("stats").body().path("usyncQueries").asInt());
    }
  }

  @Test
  void usync_backgroundLidOnly_answersLid() throws Exception {
    try (TestDevice a1 = TestDevice.online(sim, admin, A)) {
      Node answer = a1.client.query("usync", "get", usync("background", List.of("lid"),
          B + "@s.whatsapp.net"));
      Node user = answer.child("usync").child("list").children("user").get(0);
      assertEquals(bLid, user.child("lid").attr("val"));
      assertNull(user.child("devices"));
    }
  }

  @Test
  void keyFetch_handsEachOneTimePreKeyOutOnceAndWarnsWhenLow() throws Exception {
    try (TestDevice a1 = TestDevice.online(sim, admin, A);
        TestDevice b1 = TestDevice.online(sim, admin, B)) {
      assertEquals("result", b1.uploadPreKeys(6).attr("type"));
      Node first = fetch(a1, B + ":1@s.whatsapp.net");
      Node second = fetch(a1, bLid.replace("@lid", ":1@lid"));
      assertArrayEquals(new byte[] {0, 0, 1}, first.child("key").child("id").bytes());
      assertArrayEquals(new byte[] {0, 0, 2}, second.child("key").child("id").bytes());
      assertEquals(bLid.replace("@lid", ":1@lid"), second.attr("jid"));
      assertArrayEquals(b1.creds().identity.publicKey(), first.child("identity").bytes());
      assertArrayEquals(new byte[] {5}, first.child("type").bytes());
      assertEquals(4, first.child("registration").bytes().length);
      assertEquals(64, first.child("skey").child("signature").bytes().length);
      assertEquals(4, admin.get("devices/" + B + ":1@s.whatsapp.net/prekeys").body()
          .path("remaining").asInt());
      Node low = b1.client.await(node -> "notification".equals(node.tag()));
      assertEquals("encrypt", low.attr("type"));
      assertEquals("@s.whatsapp.net", low.attr("from"));
      assertEquals("4", low.child("count").attr("value"));
    }
  }

  @Test
  void keyFetch_devicePhoneServesOwnKeysAndMissingDeviceGetsItemNotFound() throws Exception {
    try (TestDevice a1 = TestDevice.online(sim, admin, A)) {
      String id = a1.client.nextId();
      a1.client.send(Node.of("iq", Node.attrsOf("id", id, "xmlns", "encrypt", "type", "get",
          "to", "@s.whatsapp.net"), List.of(Node.of("key", Map.of(), List.of(
              Node.of("user", Node.attrsOf("jid", bLid)),
              Node.of("user", Node.attrsOf("jid", B + ":7@s.whatsapp.net")))))));
      Node answer = a1.client.await(node -> id.equals(node.attr("id")));
      List<Node> users = answer.child("list").children("user");
      assertNotNull(users.get(0).child("key"), "device 0 has a one-time pre-key");
      assertNull(users.get(0).child("error"));
      assertEquals("404", users.get(1).child("error").attr("code"));
      assertEquals("item-not-found", users.get(1).child("error").attr("text"));
      assertEquals(31, admin.get("devices/" + B + "@s.whatsapp.net/prekeys").body()
          .path("remaining").asInt());
    }
  }

  @Test
  void keyFetch_afterLastPreKey_bundleHasNoKey() throws Exception {
    try (TestDevice a1 = TestDevice.online(sim, admin, A);
        TestDevice b1 = TestDevice.online(sim, admin, B)) {
      b1.uploadPreKeys(1);
      assertNotNull(fetch(a1, B + ":1@s.whatsapp.net").child("key"));
      Node empty = fetch(a1, B + ":1@s.whatsapp.net");
      assertNull(empty.child("key"));
      assertNotNull(empty.child("skey"));
    }
  }

  private static Node fetch(TestDevice from, String jid) throws Exception {
    Node answer = from.client.query("encrypt", "get", Node.of("key", Map.of(),
        List.of(Node.of("user", Node.attrsOf("jid", jid)))));
    return answer.child("list").children("user").get(0);
  }
}
