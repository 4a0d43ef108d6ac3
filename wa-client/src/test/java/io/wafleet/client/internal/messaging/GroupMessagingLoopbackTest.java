package io.wafleet.client.internal.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.IqErrorException;
import io.wafleet.client.SendRejectedException;
import io.wafleet.client.SendResult;
import io.wafleet.client.binary.Node;
import io.wafleet.client.event.DecryptionFailed;
import io.wafleet.client.event.DuplicateMessage;
import io.wafleet.client.event.MessageReceived;
import io.wafleet.client.event.ReceiptReceived;
import io.wafleet.client.message.IncomingMessage;
import io.wafleet.client.message.MessageContent;
import io.wafleet.client.model.GroupMetadata;
import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Group messaging (§10.4, §10.7) of four devices through {@link LoopbackServer}: sender keys
 * distributed once per device (own other device included), skmsg decrypted by every member,
 * receipts to the group with the author as participant, a new key after a member is removed (the
 * removed member cannot read what follows), failures typed and retried, keys surviving restarts.
 */
class GroupMessagingLoopbackTest {

  private final LoopbackServer server = new LoopbackServer();
  private LoopbackServer.Party alice = server.party("15550001111", "100000000000001", 1);
  private final LoopbackServer.Party alice2 = server.party("15550001111", "100000000000001", 2);
  private LoopbackServer.Party bob = server.party("15550002222", "100000000000002", 1);
  private final LoopbackServer.Party carol = server.party("15550003333", "100000000000003", 1);
  private final Jid group = server.group("15550001111-1700000000", alice, bob, carol);

  @Test
  void metadata_listsMembersWithAdminFlag_andRefusesOutsiders() throws Exception {
    CompletableFuture<GroupMetadata> meta = alice.messaging.groupMetadata(group);
    server.drain();
    GroupMetadata m = meta.get();
    assertEquals(group, m.id());
    assertEquals("Loopback group", m.subject());
    assertEquals(alice.me.toNonDevice(), m.creator());
    assertEquals(List.of(alice.me.toNonDevice(), bob.me.toNonDevice(), carol.me.toNonDevice()),
        m.memberJids());
    assertTrue(m.participants().get(0).superAdmin());
    assertTrue(!m.participants().get(1).admin());
    assertEquals("pn", m.addressingMode());

    LoopbackServer.Party dave = server.party("15550004444", "100000000000004", 1);
    CompletableFuture<GroupMetadata> forbidden = dave.messaging.groupMetadata(group);
    CompletableFuture<GroupMetadata> unknown = alice.messaging.groupMetadata(
        Jid.of("1-2", Jid.GROUP_SERVER));
    server.drain();
    assertEquals(403, iqError(forbidden).code());
    assertEquals(404, iqError(unknown).code());

    CompletableFuture<SendResult> outsider = dave.send(group, "let me in",
        MessageId.derivedFrom("x1"));
    server.drain();
    ExecutionException e = assertThrows(ExecutionException.class, outsider::get);
    assertEquals("403", assertInstanceOf(SendRejectedException.class, e.getCause()).reason());
  }

  @Test
  void groupText_reachesEveryOtherDevice_keyDistributedOnce_receiptsToTheGroup()
      throws Exception {
    CompletableFuture<SendResult> first = alice.send(group, "hello group",
        MessageId.derivedFrom("g1"));
    server.drain();
    assertEquals(3, first.get().devices(), "bob, carol and alice's second device");
    Node stanza = lastGroupStanza(alice);
    assertEquals("skmsg", stanza.child("enc").attr("type"));
    assertEquals(3, stanza.child("participants").children("to").size());
    assertNotNull(stanza.child("device-identity"), "the key went out in pkmsgs");
    for (LoopbackServer.Party member : List.of(bob, carol, alice2)) {
      IncomingMessage in = member.events(MessageReceived.class).get(0).message();
      assertEquals(new MessageContent.Text("hello group"), in.content());
      assertEquals(group, in.chat());
      assertEquals(alice.me, in.sender());
      assertEquals("skmsg", in.encType());
      assertEquals("Tester", in.pushName());
      assertEquals(member == alice2, in.fromMe());
    }
    assertTrue(bob.sent.stream().noneMatch(n -> n.tag().equals("receipt")), "not before ack");
    IncomingMessage atBob = bob.events(MessageReceived.class).get(0).message();
    bob.messaging.acknowledge(atBob);
    server.drain();
    Node receipt = bob.sent.stream().filter(n -> n.tag().equals("receipt")).findFirst()
        .orElseThrow();
    assertEquals(group.toString(), receipt.attr("to"));
    assertEquals(alice.me.toString(), receipt.attr("participant"));
    assertNull(receipt.attr("type"));
    ReceiptReceived atAlice = alice.events(ReceiptReceived.class).get(0);
    assertEquals(first.get().id(), atAlice.id());
    assertEquals(bob.me, atAlice.from(), "the member's device, not the group");
    alice2.messaging.acknowledge(alice2.events(MessageReceived.class).get(0).message());
    server.drain();
    assertEquals("sender", alice2.sent.stream().filter(n -> n.tag().equals("receipt"))
        .findFirst().orElseThrow().attr("type"), "own device's copy");

    alice.send(group, "second", MessageId.derivedFrom("g2"));
    server.drain();
    assertNull(lastGroupStanza(alice).child("participants"), "everyone has the key already");
    assertEquals(new MessageContent.Text("second"),
        carol.events(MessageReceived.class).get(1).message().content());

    bob.send(group, "bob here", MessageId.derivedFrom("g3"));
    server.drain();
    for (LoopbackServer.Party member : List.of(alice, alice2, carol)) {
      IncomingMessage in = member.events(MessageReceived.class).stream()
          .map(MessageReceived::message)
          .filter(m -> m.id().equals(MessageId.derivedFrom("g3"))).findFirst().orElseThrow();
      assertEquals(new MessageContent.Text("bob here"), in.content());
      assertEquals(bob.me, in.sender());
    }
    assertNoFailures();
  }

  @Test
  void removedMember_cannotReadWhatFollows_othersGetTheNewKey() throws Exception {
    alice.send(group, "before", MessageId.derivedFrom("r1"));
    server.drain();
    assertEquals(1, carol.events(MessageReceived.class).size());

    server.removeMember(group, carol);
    server.drain();
    server.tamper = null;
    CompletableFuture<SendResult> sentAfter = alice.send(group, "after",
        MessageId.derivedFrom("r2"));
    server.drain();
    assertEquals(2, sentAfter.get().devices());
    Node after = lastGroupStanza(alice);
    assertEquals(2, after.child("participants").children("to").size(),
        "a new key for bob and alice's second device");
    for (LoopbackServer.Party member : List.of(bob, alice2)) {
      assertEquals(new MessageContent.Text("after"),
          member.events(MessageReceived.class).get(1).message().content());
    }
    // carol is handed the skmsg anyway (say, she kept the old key): it does not decrypt
    Node skmsgOnly = Node.of("message", Node.attrsOf("from", group.toString(),
        "participant", alice.me.toString(), "id", MessageId.derivedFrom("r2").value(),
        "t", "1700000000", "type", "text"), List.of(after.child("enc")));
    server.deliver(carol, skmsgOnly);
    server.drain();
    assertEquals(1, carol.events(MessageReceived.class).size());
    DecryptionFailed failed = carol.events(DecryptionFailed.class).get(0);
    assertEquals("no-sender-key", failed.reason());
    Node retry = carol.sent.stream().filter(n -> "retry".equals(n.attr("type"))).findFirst()
        .orElseThrow();
    assertEquals(group.toString(), retry.attr("to"));
    assertEquals(alice.me.toString(), retry.attr("participant"));
  }

  @Test
  void memberGoneInMetadata_alsoMakesANewKey() throws Exception {
    alice.send(group, "one", MessageId.derivedFrom("m1"));
    server.drain();
    server.groups.get(group).remove(carol.me.toNonDevice());  // no notification reached alice
    alice.send(group, "two", MessageId.derivedFrom("m2"));
    server.drain();
    assertEquals(2, lastGroupStanza(alice).child("participants").children("to").size());
    assertEquals(new MessageContent.Text("two"),
        bob.events(MessageReceived.class).get(1).message().content());
  }

  @Test
  void badSignature_isDecryptionFailedAndRetry_thenResendArrivesPairwise() throws Exception {
    alice.send(group, "warm up", MessageId.derivedFrom("b0"));
    server.drain();
    server.tamper = copy -> {
      Node enc = copy.children("enc").stream().filter(n -> "skmsg".equals(n.attr("type")))
          .findFirst().orElseThrow();
      byte[] bytes = enc.bytes().clone();
      bytes[bytes.length - 1] ^= 1;
      return Node.of("message", copy.attrs(), List.of(Node.of("enc", enc.attrs(), bytes)));
    };
    alice.send(group, "signed", MessageId.derivedFrom("b1"));
    server.drain();
    List<LoopbackServer.Party> receivers = List.of(bob, carol, alice2);
    LoopbackServer.Party hit = receivers.stream()
        .filter(p -> !p.events(DecryptionFailed.class).isEmpty()).findFirst().orElseThrow();
    assertEquals("bad-signature", hit.events(DecryptionFailed.class).get(0).reason());
    assertTrue(hit.events(MessageReceived.class).stream().map(MessageReceived::message)
        .anyMatch(m -> m.content().equals(new MessageContent.Text("signed"))),
        "the retry receipt brought the text pairwise");
  }

  @Test
  void restart_keepsSenderKeyAndMemory_andUnackedGroupMessages() throws Exception {
    alice.send(group, "first", MessageId.derivedFrom("p1"));
    server.drain();
    IncomingMessage atBob = bob.events(MessageReceived.class).get(0).message();
    Node delivered = server.relayedTo(bob).stream().filter(n -> n.tag().equals("message"))
        .findFirst().orElseThrow();

    alice = server.restart(alice);
    alice.send(group, "after restart", MessageId.derivedFrom("p2"));
    server.drain();
    assertNull(lastGroupStanza(alice).child("participants"), "memory survived the restart");

    bob = server.restart(bob);
    server.deliver(bob, delivered);
    server.drain();
    IncomingMessage again = bob.events(MessageReceived.class).get(0).message();
    assertEquals(atBob, again, "the stored copy, although the key is used up");
    assertTrue(bob.events(DuplicateMessage.class).isEmpty());
    assertTrue(bob.events(DecryptionFailed.class).isEmpty());
  }

  private Node lastGroupStanza(LoopbackServer.Party party) {
    List<Node> messages = party.sent.stream().filter(n -> n.tag().equals("message")
        && group.toString().equals(n.attr("to"))).toList();
    return messages.get(messages.size() - 1);
  }

  private void assertNoFailures() {
    for (LoopbackServer.Party p : List.of(alice, alice2, bob, carol)) {
      assertEquals(List.of(), p.events(DecryptionFailed.class));
    }
  }

  private static IqErrorException iqError(CompletableFuture<?> future) {
    ExecutionException e = assertThrows(ExecutionException.class, future::get);
    return assertInstanceOf(IqErrorException.class, e.getCause());
  }
}
