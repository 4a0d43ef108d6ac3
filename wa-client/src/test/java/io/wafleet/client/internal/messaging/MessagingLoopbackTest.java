package io.wafleet.client.internal.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.SendResult;
import io.wafleet.client.binary.Node;
import io.wafleet.client.event.DecryptionFailed;
import io.wafleet.client.event.DuplicateMessage;
import io.wafleet.client.event.MessageReceived;
import io.wafleet.client.event.ReceiptReceived;
import io.wafleet.client.event.ReceiptType;
import io.wafleet.client.message.IncomingMessage;
import io.wafleet.client.message.MessageContent;
import io.wafleet.client.model.MessageId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Sender and Receiver of two parties through {@link LoopbackServer}: no sockets, no waiting. */
class MessagingLoopbackTest {

  private final LoopbackServer server = new LoopbackServer();
  private final LoopbackServer.Party alice = server.party("15550001111", "100000000000001", 1);
  private final LoopbackServer.Party bob = server.party("15550002222", "100000000000002", 1);

  @Test
  void firstMessage_isPkmsgThenMsg_andReceiptOnlyAfterAcknowledge() throws Exception {
    CompletableFuture<SendResult> first = alice.send(bob.me.toNonDevice(), "hello",
        MessageId.derivedFrom("m1"));
    server.drain();
    SendResult result = first.get();
    assertEquals("3EB0", result.id().value().substring(0, 4));
    assertEquals(1, result.devices());
    IncomingMessage in = bob.events(MessageReceived.class).get(0).message();
    assertEquals(new MessageContent.Text("hello"), in.content());
    assertEquals("pkmsg", in.encType());
    assertEquals(alice.me.toNonDevice(), in.chat());
    assertEquals(alice.me, in.sender());
    assertEquals("Tester", in.pushName());
    assertFalse(in.fromMe());
    assertTrue(alice.events(ReceiptReceived.class).isEmpty(), "no receipt before acknowledge");
    assertTrue(bob.sent.stream().noneMatch(n -> n.tag().equals("receipt")));

    bob.messaging.acknowledge(in);
    server.drain();
    ReceiptReceived receipt = alice.events(ReceiptReceived.class).get(0);
    assertEquals(ReceiptType.DELIVERY, receipt.type());
    assertEquals(bob.me, receipt.from());
    assertEquals(result.id(), receipt.id());

    CompletableFuture<SendResult> reply = bob.send(alice.me.toNonDevice(), "hi back",
        MessageId.derivedFrom("m2"));
    server.drain();
    reply.get();
    IncomingMessage back = alice.events(MessageReceived.class).get(0).message();
    assertEquals(new MessageContent.Text("hi back"), back.content());
    alice.messaging.acknowledge(back);
    alice.send(bob.me.toNonDevice(), "again", MessageId.derivedFrom("m3"));
    server.drain();
    assertEquals("msg", bob.events(MessageReceived.class).get(1).message().encType());
  }

  @Test
  void manyInterleaved_allArriveInOrder() throws Exception {
    List<CompletableFuture<SendResult>> futures = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      futures.add(alice.send(bob.me.toNonDevice(), "a" + i, MessageId.derivedFrom("a" + i)));
      futures.add(bob.send(alice.me.toNonDevice(), "b" + i, MessageId.derivedFrom("b" + i)));
      if (i % 7 == 0) {
        server.drain();
      }
    }
    server.drain();
    for (CompletableFuture<SendResult> f : futures) {
      assertTrue(f.isDone() && !f.isCompletedExceptionally());
    }
    assertEquals(texts("a", 50), bob.events(MessageReceived.class).stream()
        .map(e -> ((MessageContent.Text) e.message().content()).text()).toList());
    assertEquals(texts("b", 50), alice.events(MessageReceived.class).stream()
        .map(e -> ((MessageContent.Text) e.message().content()).text()).toList());
    assertTrue(alice.events(DecryptionFailed.class).isEmpty());
  }

  @Test
  void ownOtherDevice_getsDeviceSentMessage() throws Exception {
    LoopbackServer.Party alicePhone = server.party("15550001111", "100000000000001", 0);
    CompletableFuture<SendResult> sent = alice.send(bob.me.toNonDevice(), "to bob",
        MessageId.derivedFrom("dsm"));
    server.drain();
    assertEquals(2, sent.get().devices());
    IncomingMessage copy = alicePhone.events(MessageReceived.class).get(0).message();
    assertTrue(copy.fromMe());
    assertEquals(bob.me.toNonDevice(), copy.chat());
    assertEquals(new MessageContent.Text("to bob"), copy.content());
    alicePhone.messaging.acknowledge(copy);
    server.drain();
    Node receipt = alicePhone.sent.stream().filter(n -> n.tag().equals("receipt")).findFirst()
        .orElseThrow();
    assertEquals("sender", receipt.attr("type"));
    assertEquals(bob.me.toNonDevice().toString(), receipt.attr("recipient"));
  }

  @Test
  void redelivery_beforeAndAfterAcknowledge_isDuplicate() throws Exception {
    alice.send(bob.me.toNonDevice(), "once", MessageId.derivedFrom("dup"));
    server.drain();
    Node delivered = server.relayed.stream().filter(n -> n.tag().equals("message")).findFirst()
        .orElseThrow();
    server.deliver(bob, delivered);
    server.drain();
    assertEquals(1, bob.events(MessageReceived.class).size());
    assertEquals(1, bob.events(DuplicateMessage.class).size());
    assertTrue(bob.sent.stream().noneMatch(n -> n.tag().equals("receipt")));
    bob.messaging.acknowledge(bob.events(MessageReceived.class).get(0).message());
    server.deliver(bob, delivered);
    server.drain();
    assertEquals(2, bob.events(DuplicateMessage.class).size());
    assertEquals(1, bob.events(MessageReceived.class).size());
  }

  @Test
  void replayedCiphertextUnderNewId_isDuplicateByKeyReuse() throws Exception {
    alice.send(bob.me.toNonDevice(), "once", MessageId.derivedFrom("r1"));
    server.drain();
    Node delivered = server.relayed.stream().filter(n -> n.tag().equals("message")).findFirst()
        .orElseThrow();
    Map<String, String> attrs = new java.util.LinkedHashMap<>(delivered.attrs());
    attrs.put("id", "3EB0REPLAY");
    server.deliver(bob, new Node("message", attrs, delivered.content()));
    server.drain();
    assertEquals(1, bob.events(DuplicateMessage.class).size());
    assertTrue(bob.events(DecryptionFailed.class).isEmpty());
    Node receipt = bob.sent.stream().filter(n -> n.tag().equals("receipt")).findFirst().orElseThrow();
    assertEquals("3EB0REPLAY", receipt.attr("id"));
    assertNull(receipt.attr("type"));
  }

  @Test
  void badMac_givesRetryReceipt_andSenderResendsAsPkmsg() throws Exception {
    alice.send(bob.me.toNonDevice(), "warm up", MessageId.derivedFrom("w"));
    server.drain();
    bob.send(alice.me.toNonDevice(), "answer", MessageId.derivedFrom("w2"));
    server.drain();
    server.tamper = node -> {
      Node enc = node.child("enc");
      byte[] bytes = enc.bytes();
      bytes[bytes.length - 1] ^= 1;
      return new Node("message", node.attrs(), List.of(new Node("enc", enc.attrs(), bytes)));
    };
    alice.send(bob.me.toNonDevice(), "tampered", MessageId.derivedFrom("t"));
    server.drain();
    DecryptionFailed failed = bob.events(DecryptionFailed.class).get(0);
    assertEquals("bad-mac", failed.reason());
    assertEquals(1, failed.failureCount());
    Node retry = bob.sent.stream().filter(n -> "retry".equals(n.attr("type"))).findFirst()
        .orElseThrow();
    assertEquals(alice.me.toString(), retry.attr("to"));
    assertEquals("1", retry.child("retry").attr("count"));
    assertEquals(4, retry.child("registration").bytes().length);
    Node ack = bob.sent.stream().filter(n -> n.tag().equals("ack")).findFirst().orElseThrow();
    assertEquals("500", ack.attr("error"));
    assertEquals("message", ack.attr("class"));
    assertEquals(ReceiptType.RETRY, alice.events(ReceiptReceived.class).stream()
        .filter(r -> r.id().equals(MessageId.derivedFrom("t"))).findFirst().orElseThrow().type());
    IncomingMessage resent = bob.events(MessageReceived.class).get(1).message();
    assertEquals(MessageId.derivedFrom("t"), resent.id());
    assertEquals(new MessageContent.Text("tampered"), resent.content());
    assertEquals("pkmsg", resent.encType());
  }

  @Test
  void noSession_unknownEncType_badProtobuf_eachCountedWithRetry() {
    Node noSession = Node.of("message", Node.attrsOf("from", alice.me.toString(), "id", "X1",
        "t", "1", "type", "text"), List.of(MessageStanzas.enc("msg", new byte[] {0x33, 1, 2}, null)));
    server.deliver(bob, noSession);
    Node unknown = Node.of("message", Node.attrsOf("from", alice.me.toString(), "id", "X2",
        "t", "1", "type", "text"), List.of(MessageStanzas.enc("frob", new byte[] {1}, null)));
    server.deliver(bob, unknown);
    server.deliver(bob, unknown);
    server.drain();
    List<String> reasons = bob.events(DecryptionFailed.class).stream()
        .map(DecryptionFailed::reason).toList();
    assertEquals(List.of("no-session", "unknown-enc-type", "unknown-enc-type"), reasons);
    assertEquals(2, bob.events(DecryptionFailed.class).get(2).failureCount());
    List<Node> retries = bob.sent.stream().filter(n -> "retry".equals(n.attr("type"))).toList();
    assertEquals(3, retries.size());
    assertNotNull(retries.get(0).child("keys"), "no session: keys included");
    assertEquals("2", retries.get(2).child("retry").attr("count"));
    assertNotNull(retries.get(2).child("keys"), "second retry: keys included");
  }

  private static List<String> texts(String prefix, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(prefix + i);
    }
    return out;
  }
}
