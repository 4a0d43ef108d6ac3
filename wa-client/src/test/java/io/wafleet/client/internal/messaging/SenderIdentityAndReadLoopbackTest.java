package io.wafleet.client.internal.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.binary.Node;
import io.wafleet.client.event.MessageReceived;
import io.wafleet.client.event.ReceiptReceived;
import io.wafleet.client.event.ReceiptType;
import io.wafleet.client.message.IncomingMessage;
import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The sender's push name and both identities on received messages (§9.1), the PN ↔ LID mapping
 * learnt from them (§8.4), read receipts sent and received (§9.3, §9.5), and bad input on those
 * paths, through {@link LoopbackServer}.
 */
class SenderIdentityAndReadLoopbackTest {

  private static final String ALICE_LID = "100000000000001";

  private final LoopbackServer server = new LoopbackServer();
  private final LoopbackServer.Party alice = server.party("15550001111", ALICE_LID, 1);
  private final LoopbackServer.Party bob = server.party("15550002222", "100000000000002", 1);

  @Test
  void pnAddressedMessage_withSenderLid_carriesBothIdentities_andStoresTheMapping() {
    LidMappings bobsMappings = new LidMappings(bob.auth.keys());
    assertEquals(Optional.empty(), bobsMappings.phoneNumberOf(Jid.of(ALICE_LID, Jid.LID_SERVER)));
    IncomingMessage in = receiveWith(Map.of("sender_lid", ALICE_LID + "@lid"), "m1");
    assertEquals("Tester", in.pushName());
    assertEquals(alice.me.toNonDevice(), in.senderPn());
    assertEquals(Jid.of(ALICE_LID, Jid.LID_SERVER), in.senderLid());
    assertEquals(Optional.of(alice.me.toNonDevice()),
        bobsMappings.phoneNumberOf(Jid.of(ALICE_LID, 3, Jid.LID_SERVER)));
    assertEquals(Optional.of(Jid.of(ALICE_LID, Jid.LID_SERVER)),
        bobsMappings.lidOf(alice.me.toNonDevice()));

    LoopbackServer.Party restarted = server.restart(bob);
    alice.send(bob.me.toNonDevice(), "later, without the attribute", MessageId.derivedFrom("m2"));
    server.drain();
    IncomingMessage later = restarted.events(MessageReceived.class).get(0).message();
    assertEquals(Jid.of(ALICE_LID, Jid.LID_SERVER), later.senderLid(),
        "the stored mapping names the LID when the stanza does not");
  }

  @Test
  void malformedSenderLid_isIgnored_messageStillReceived() {
    int n = 0;
    for (String bad : List.of("garbage", "15550001111@s.whatsapp.net", "abc@lid", "@lid")) {
      IncomingMessage in = receiveWith(Map.of("sender_lid", bad), "bad" + n++);
      assertNull(in.senderLid(), bad);
      assertEquals(alice.me.toNonDevice(), in.senderPn());
    }
    assertEquals(Optional.empty(), new LidMappings(bob.auth.keys()).lidOf(alice.me));
  }

  @Test
  void lookups_refuseTheWrongKindOfJid() {
    LidMappings mappings = new LidMappings(bob.auth.keys());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> mappings.lidOf(Jid.of(ALICE_LID, Jid.LID_SERVER)));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> mappings.phoneNumberOf(alice.me));
  }

  @Test
  void markRead_sendsOneReadReceiptListingTheIds_andTheSenderGetsOneEventPerId() {
    List<MessageId> ids = List.of(MessageId.derivedFrom("r1"), MessageId.derivedFrom("r2"),
        MessageId.derivedFrom("r3"));
    bob.messaging.markRead(alice.me.toNonDevice(), alice.me, ids);
    Node receipt = bob.sent.get(bob.sent.size() - 1);
    assertEquals("receipt", receipt.tag());
    assertEquals("read", receipt.attr("type"));
    assertEquals(ids.get(0).value(), receipt.attr("id"));
    assertEquals(alice.me.toNonDevice().toString(), receipt.attr("to"));
    assertNull(receipt.attr("participant"), "1:1 chats carry no participant");
    assertTrue(Long.parseLong(receipt.attr("t")) > 0);
    List<String> listed = receipt.child("list").children("item").stream()
        .map(item -> item.attr("id")).toList();
    assertEquals(List.of(ids.get(1).value(), ids.get(2).value()), listed);

    Map<String, String> attrs = new LinkedHashMap<>(receipt.attrs());
    attrs.put("from", bob.me.toString());
    attrs.remove("to");
    server.deliver(alice, Node.of("receipt", attrs, receipt.children()));
    server.drain();
    List<ReceiptReceived> got = alice.events(ReceiptReceived.class);
    assertEquals(ids, got.stream().map(ReceiptReceived::id).toList());
    got.forEach(r -> assertEquals(ReceiptType.READ, r.type()));
    got.forEach(r -> assertEquals(bob.me, r.from()));
  }

  @Test
  void receiptsWithoutUsableIds_areSkipped_othersStillReported() {
    server.deliver(alice, Node.of("receipt", Node.attrsOf("from", bob.me.toString(),
        "type", "read")));
    server.deliver(alice, Node.of("receipt", Node.attrsOf("from", bob.me.toString(), "id", "",
        "type", "read")));
    server.deliver(alice, Node.of("receipt", Node.attrsOf("from", "not a jid", "id", "3EB0A",
        "type", "read")));
    server.deliver(alice, Node.of("receipt", Node.attrsOf("from", bob.me.toString(),
        "id", "x".repeat(300), "type", "read")));
    server.deliver(alice, Node.of("receipt", Node.attrsOf("from", bob.me.toString(), "id", "3EB0B",
        "type", "read"), List.of(Node.of("list", Map.of(), List.of(
            Node.of("item", Node.attrsOf("id", "3EB0C")), Node.of("item", Map.of()),
            Node.of("item", Node.attrsOf("id", "bad id")))))));
    server.drain();
    assertEquals(List.of(new MessageId("3EB0B"), new MessageId("3EB0C")),
        alice.events(ReceiptReceived.class).stream().map(ReceiptReceived::id).toList());
    long acks = alice.sent.stream().filter(node -> "ack".equals(node.tag())
        && "receipt".equals(node.attr("class"))).count();
    assertEquals(5, acks, "every receipt is acked, usable or not");
  }

  private IncomingMessage receiveWith(Map<String, String> extra, String key) {
    server.tamper = copy -> {
      Map<String, String> attrs = new LinkedHashMap<>(copy.attrs());
      attrs.putAll(extra);
      return new Node("message", attrs, copy.content());
    };
    alice.send(bob.me.toNonDevice(), "text " + key, MessageId.derivedFrom(key));
    server.drain();
    List<MessageReceived> received = bob.events(MessageReceived.class);
    return received.get(received.size() - 1).message();
  }
}
