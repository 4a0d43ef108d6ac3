package io.wafleet.client.internal.messaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.wafleet.client.auth.InMemoryAuthState;
import io.wafleet.client.binary.Node;
import io.wafleet.client.event.ReceiptType;
import io.wafleet.client.model.Jid;
import io.wafleet.client.signal.PreKeyBundle;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shapes of the messaging stanzas (§8.3, §8.5, §8.7, §9.3, §9.4, §9.5). */
class MessageStanzasTest {

  private static final Jid CHAT = Jid.of("15550002222", Jid.SERVER);
  private static final byte[] IDENTITY = {9, 9};

  @Test
  void message_participantsPerDevice_deviceIdentityOnlyWithPkmsg() {
    List<MessageStanzas.DeviceCopy> msgOnly = List.of(
        new MessageStanzas.DeviceCopy(CHAT.withDevice(0), "msg", new byte[] {1}),
        new MessageStanzas.DeviceCopy(CHAT.withDevice(3), "msg", new byte[] {2}));
    Node plain = MessageStanzas.message("3EB0AA", CHAT, msgOnly, IDENTITY);
    assertEquals(Node.attrsOf("id", "3EB0AA", "to", "15550002222@s.whatsapp.net", "type", "text"),
        plain.attrs());
    List<Node> to = plain.child("participants").children("to");
    assertEquals("15550002222@s.whatsapp.net", to.get(0).attr("jid"), "device 0 as plain user");
    assertEquals("15550002222:3@s.whatsapp.net", to.get(1).attr("jid"));
    Node enc = to.get(1).child("enc");
    assertEquals(Node.attrsOf("v", "2", "type", "msg"), enc.attrs());
    assertArrayEquals(new byte[] {2}, enc.bytes());
    assertNull(plain.child("device-identity"));

    Node withPreKey = MessageStanzas.message("3EB0AB", CHAT, List.of(
        new MessageStanzas.DeviceCopy(CHAT.withDevice(0), "pkmsg", new byte[] {1})), IDENTITY);
    assertArrayEquals(IDENTITY, withPreKey.child("device-identity").bytes());
  }

  @Test
  void deliveryReceipt_plainForOthers_senderTypeForOwnCopies() {
    Jid device = Jid.of("15550001111", 2, Jid.SERVER);
    assertEquals(Node.of("receipt", Node.attrsOf("id", "X", "to", "15550001111:2@s.whatsapp.net")),
        MessageStanzas.deliveryReceipt("X", device, null));
    Node own = MessageStanzas.deliveryReceipt("X", device, CHAT);
    assertEquals("sender", own.attr("type"));
    assertEquals(CHAT.toString(), own.attr("recipient"));
  }

  @Test
  void ackFor_mirrorsIdFromClassTypeAndError() {
    Node receipt = Node.of("receipt", Node.attrsOf("id", "R", "from", "1@s.whatsapp.net",
        "type", "read", "participant", "2@s.whatsapp.net"));
    assertEquals(Node.of("ack", Node.attrsOf("id", "R", "to", "1@s.whatsapp.net",
        "class", "receipt", "type", "read", "participant", "2@s.whatsapp.net")),
        MessageStanzas.ackFor(receipt, null));
    Node message = Node.of("message", Node.attrsOf("id", "M", "from", "1:1@s.whatsapp.net",
        "type", "text"));
    assertEquals("500", MessageStanzas.ackFor(message, MessageStanzas.NACK_UNHANDLED).attr("error"));
    assertEquals("message", MessageStanzas.ackFor(message, "500").attr("class"));
  }

  @Test
  void retryReceipt_shape_withAndWithoutKeys() {
    Node message = Node.of("message", Node.attrsOf("id", "M", "from", "1:1@s.whatsapp.net",
        "t", "1700000000", "recipient", "3@s.whatsapp.net"));
    Node bare = MessageStanzas.retryReceipt(message, 1, 0x1234, null);
    assertEquals(Node.attrsOf("id", "M", "type", "retry", "to", "1:1@s.whatsapp.net",
        "recipient", "3@s.whatsapp.net"), bare.attrs());
    assertEquals(Node.attrsOf("count", "1", "id", "M", "t", "1700000000", "v", "1", "error", "0"),
        bare.child("retry").attrs());
    assertArrayEquals(new byte[] {0, 0, 0x12, 0x34}, bare.child("registration").bytes());
    assertNull(bare.child("keys"));

    MessageStanzas.RetryKeys keys = new MessageStanzas.RetryKeys(new byte[32], 7, new byte[32], 1,
        new byte[32], new byte[64], IDENTITY);
    Node full = MessageStanzas.retryReceipt(message, 2, 1, keys).child("keys");
    assertArrayEquals(new byte[] {5}, full.child("type").bytes());
    assertArrayEquals(new byte[] {0, 0, 7}, full.child("key").child("id").bytes());
    assertEquals(64, full.child("skey").child("signature").bytes().length);
    assertArrayEquals(IDENTITY, full.child("device-identity").bytes());
  }

  @Test
  void usync_queryShape_andAnswerKeepsDevice0AndKeyedDevices_storesLid() {
    Node query = MessageStanzas.usyncDevices("s1", List.of(CHAT));
    Node usync = query.child("usync");
    assertEquals("message", usync.attr("context"));
    assertNotNull(usync.child("query").child("devices"));
    assertNotNull(usync.child("query").child("lid"));
    assertEquals(CHAT.toString(), usync.child("list").child("user").attr("jid"));

    Node deviceList = Node.of("device-list", Map.of(), List.of(
        Node.of("device", Node.attrsOf("id", "0")),
        Node.of("device", Node.attrsOf("id", "1", "key-index", "1")),
        Node.of("device", Node.attrsOf("id", "2", "key-index", "0")),
        Node.of("device", Node.attrsOf("id", "3"))));
    Node user = Node.of("user", Node.attrsOf("jid", CHAT.toString()), List.of(
        Node.of("devices", Map.of(), List.of(deviceList)),
        Node.of("lid", Node.attrsOf("val", "100000000000002@lid"))));
    Node list = Node.of("list", Map.of(), List.of(user));
    Node answer = Node.of("iq", Node.attrsOf("type", "result"),
        List.of(Node.of("usync", Map.of(), List.of(list))));
    LidMappings lids = new LidMappings(InMemoryAuthState.create().keys());
    Map<Jid, List<Jid>> devices = DeviceLists.parse(answer, lids);
    assertEquals(List.of(CHAT.withDevice(0), CHAT.withDevice(1)), devices.get(CHAT));
    assertEquals("100000000000002", lids.lidUser("15550002222"));
    assertEquals("15550002222", lids.pnUser("100000000000002"));
    assertEquals(Jid.of("100000000000002", 1, Jid.LID_SERVER), lids.lidFirst(CHAT.withDevice(1)));
  }

  @Test
  void keyFetchAnswer_parsesBundle() {
    Node user = Node.of("user", Node.attrsOf("jid", "1:1@lid"), List.of(
        Node.of("registration", Map.of(), new byte[] {0, 0, 1, 2}),
        Node.of("identity", Map.of(), new byte[32]),
        Node.of("skey", Map.of(), List.of(Node.of("id", Map.of(), new byte[] {0, 0, 4}),
            Node.of("value", Map.of(), new byte[32]), Node.of("signature", Map.of(), new byte[64]))),
        Node.of("key", Map.of(), List.of(Node.of("id", Map.of(), new byte[] {0, 1, 0}),
            Node.of("value", Map.of(), new byte[32])))));
    PreKeyBundle bundle = PreKeyFetch.parseBundle(user, 1);
    assertEquals(0x102, bundle.registrationId());
    assertEquals(4, bundle.signedPreKeyId());
    assertEquals(256, bundle.preKeyId());
    assertEquals(1, bundle.deviceId());
  }

  @Test
  void receiptType_mapsAsSection95() {
    assertEquals(ReceiptType.DELIVERY, ReceiptType.fromWire(null));
    assertEquals(ReceiptType.READ, ReceiptType.fromWire("read"));
    assertEquals(ReceiptType.READ_SELF, ReceiptType.fromWire("read-self"));
    assertEquals(ReceiptType.PLAYED, ReceiptType.fromWire("played"));
    assertEquals(ReceiptType.SENDER, ReceiptType.fromWire("sender"));
    assertEquals(ReceiptType.RETRY, ReceiptType.fromWire("retry"));
    assertEquals(ReceiptType.SERVER_ERROR, ReceiptType.fromWire("server-error"));
    assertEquals(ReceiptType.OTHER, ReceiptType.fromWire("inactive"));
  }
}
