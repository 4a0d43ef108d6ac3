package io.wafleet.client.internal.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.auth.SignalKeyStore;
import io.wafleet.client.binary.Node;
import io.wafleet.client.event.DecryptionFailed;
import io.wafleet.client.event.DuplicateMessage;
import io.wafleet.client.event.MessageReceived;
import io.wafleet.client.message.IncomingMessage;
import io.wafleet.client.message.MessageContent;
import io.wafleet.client.model.MessageId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * §13 "Idempotent receive" through {@link LoopbackServer}: a receiver that dies after decrypting
 * and before acknowledging gets every unacknowledged message again from the server's redelivery,
 * although the redelivered ciphertexts no longer decrypt.
 */
class MessagingCrashRecoveryTest {

  private final LoopbackServer server = new LoopbackServer();
  private final LoopbackServer.Party alice = server.party("15550001111", "100000000000001", 1);
  private LoopbackServer.Party bob = server.party("15550002222", "100000000000002", 1);

  @Test
  void crashBeforeAcknowledge_redelivery_reEmitsStoredMessage() {
    alice.send(bob.me.toNonDevice(), "keep me", MessageId.derivedFrom("k1"));
    server.drain();
    IncomingMessage first = bob.events(MessageReceived.class).get(0).message();
    Node delivered = messages().get(0);
    assertEquals(1, storedEntries(first));

    bob = server.restart(bob);
    server.deliver(bob, delivered);
    server.drain();

    assertEquals(List.of(), bob.events(DuplicateMessage.class));
    IncomingMessage again = bob.events(MessageReceived.class).get(0).message();
    assertEquals(first, again);
    assertEquals(new MessageContent.Text("keep me"), again.content());
    assertTrue(bob.sent.stream().noneMatch(n -> n.tag().equals("receipt")), "not yet");

    bob.messaging.acknowledge(again);
    server.drain();
    Node receipt = bob.sent.stream().filter(n -> n.tag().equals("receipt")).findFirst()
        .orElseThrow();
    assertEquals(first.id().value(), receipt.attr("id"));
    assertEquals(0, storedEntries(first));

    bob = server.restart(bob);
    server.deliver(bob, delivered);
    server.drain();
    assertEquals(List.of(), bob.events(MessageReceived.class));
    assertEquals(1, bob.events(DuplicateMessage.class).size());
    assertEquals(1, bob.sent.stream().filter(n -> n.tag().equals("receipt")).count());
  }

  @Test
  void crashAfterPartialAcknowledge_redeliveryInOrder_onlyUnacknowledgedReEmitted() {
    for (int i = 0; i < 6; i++) {
      alice.send(bob.me.toNonDevice(), "m" + i, MessageId.derivedFrom("m" + i));
    }
    server.drain();
    List<IncomingMessage> received = bob.events(MessageReceived.class).stream()
        .map(MessageReceived::message).toList();
    assertEquals(6, received.size());
    bob.messaging.acknowledge(received.get(0));
    bob.messaging.acknowledge(received.get(1));
    server.drain();
    List<Node> delivered = messages();

    bob = server.restart(bob);
    delivered.forEach(node -> server.deliver(bob, node));
    server.drain();

    assertEquals(List.of("m2", "m3", "m4", "m5"), texts(bob.events(MessageReceived.class)));
    assertEquals(List.of(received.get(0).id(), received.get(1).id()),
        bob.events(DuplicateMessage.class).stream().map(DuplicateMessage::id).toList());
    assertEquals(2, bob.sent.stream().filter(n -> n.tag().equals("receipt")).count(),
        "receipts only for the acknowledged two");
    assertTrue(bob.events(DecryptionFailed.class).isEmpty());

    alice.send(bob.me.toNonDevice(), "after", MessageId.derivedFrom("after"));
    server.drain();
    assertEquals(List.of("m2", "m3", "m4", "m5", "after"),
        texts(bob.events(MessageReceived.class)), "the session goes on");
  }

  @Test
  void acknowledgedWhileRedeliveredCopyPending_receiptOnceAndEntryDeleted() {
    alice.send(bob.me.toNonDevice(), "x", MessageId.derivedFrom("x"));
    server.drain();
    Node delivered = messages().get(0);
    bob = server.restart(bob);
    server.deliver(bob, delivered);
    server.deliver(bob, delivered);
    server.drain();
    IncomingMessage again = bob.events(MessageReceived.class).get(0).message();
    assertEquals(1, bob.events(DuplicateMessage.class).size(), "same client: already held");
    bob.messaging.acknowledge(again);
    bob.messaging.acknowledge(again);
    server.drain();
    assertEquals(1, bob.sent.stream().filter(n -> n.tag().equals("receipt")).count());
    assertEquals(0, storedEntries(again));
  }

  @Test
  void unackedBoundReached_nextMessageLeftUndecrypted_andDecryptsWhenRedelivered() {
    bob = server.restart(bob, 2);
    for (int i = 0; i < 3; i++) {
      alice.send(bob.me.toNonDevice(), "b" + i, MessageId.derivedFrom("b" + i));
    }
    server.drain();
    assertEquals(List.of("b0", "b1"), texts(bob.events(MessageReceived.class)));
    assertTrue(bob.sent.stream().noneMatch(n -> n.tag().equals("receipt")
        || n.tag().equals("ack")), "the third is neither receipted nor acked");
    Node third = messages().get(2);

    bob.messaging.acknowledge(bob.events(MessageReceived.class).get(0).message());
    server.deliver(bob, third);
    server.drain();
    assertEquals(List.of("b0", "b1", "b2"), texts(bob.events(MessageReceived.class)));
    assertTrue(bob.events(DuplicateMessage.class).isEmpty());
    assertTrue(bob.events(DecryptionFailed.class).isEmpty());
  }

  private List<Node> messages() {
    return server.relayed.stream().filter(n -> n.tag().equals("message"))
        .filter(n -> n.attr("from").equals(alice.me.toString())).toList();
  }

  private int storedEntries(IncomingMessage message) {
    String id = UnackedMessages.storeId(message.sender(), message.id().value());
    Map<String, byte[]> found = bob.auth.keys().load(SignalKeyStore.UNACKED_MESSAGE, List.of(id));
    return found.size();
  }

  private static List<String> texts(List<MessageReceived> events) {
    List<String> out = new ArrayList<>();
    for (MessageReceived e : events) {
      out.add(((MessageContent.Text) e.message().content()).text());
    }
    return out;
  }
}
