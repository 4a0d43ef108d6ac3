package io.wafleet.simulator.client;

import static io.wafleet.simulator.client.MessagingPeer.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.SendResult;
import io.wafleet.client.auth.InMemoryAuthState;
import io.wafleet.client.message.IncomingMessage;
import io.wafleet.client.message.MessageContent;
import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import io.wafleet.simulator.WaSimulator;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two wa-client accounts exchange 1,000 texts each way through the simulator (§8, §9): nothing
 * lost, per-chat order kept, every send acked, a delivery receipt for each only after the
 * receiver acknowledged it; then one side restarts from its stored auth state and receives what
 * was sent while it was offline.
 */
class ClientMessagingIT {

  private static final String PHONE_A = "40711000001";
  private static final String PHONE_B = "40711000002";
  private static final int COUNT = 1_000;
  private static final Duration LONG = Duration.ofSeconds(120);

  private WaSimulator sim;
  private SimulatorAdminClient admin;
  private final List<MessagingPeer> peers = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    sim = ClientSupport.startSimulator();
    admin = new SimulatorAdminClient(sim.adminUri());
    admin.createPhone(PHONE_A);
    admin.createPhone(PHONE_B);
  }

  @AfterEach
  void stop() {
    peers.forEach(MessagingPeer::close);
    sim.close();
  }

  @Test
  void twoClients_exchangeThousandEachWay_thenRestartReceivesOfflineMessages() throws Exception {
    MessagingPeer a = pairedPeer(PHONE_A, new InMemoryAuthState(
        InMemoryAuthState.create().credentials()));
    MessagingPeer b = pairedPeer(PHONE_B, InMemoryAuthState.create());
    Jid chatA = Jid.of(PHONE_A, Jid.SERVER);
    Jid chatB = Jid.of(PHONE_B, Jid.SERVER);

    receiptWaitsForAcknowledge(a, b, chatA, chatB);

    List<CompletableFuture<SendResult>> sends = new ArrayList<>();
    List<MessageId> fromA = new ArrayList<>();
    List<MessageId> fromB = new ArrayList<>();
    for (int i = 0; i < COUNT; i++) {
      fromA.add(MessageId.derivedFrom("a-" + i));
      fromB.add(MessageId.derivedFrom("b-" + i));
      sends.add(a.client.sendText(chatB, "a" + i, fromA.get(i)));
      sends.add(b.client.sendText(chatA, "b" + i, fromB.get(i)));
    }
    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    awaitUntil(() -> b.textsFrom(chatA).size() >= COUNT + 1 && a.textsFrom(chatB).size() >= COUNT + 1,
        LONG, () -> "b got " + b.textsFrom(chatA).size() + ", a got " + a.textsFrom(chatB).size());
    assertEquals(expected("a", 0, COUNT), b.textsFrom(chatA).subList(1, COUNT + 1));
    assertEquals(expected("b", 0, COUNT), a.textsFrom(chatB).subList(1, COUNT + 1));
    awaitUntil(() -> fromA.stream().allMatch(id -> a.deliveredBy(id, b.me()))
        && fromB.stream().allMatch(id -> b.deliveredBy(id, a.me())),
        LONG, () -> "delivery receipts missing");
    for (CompletableFuture<SendResult> send : sends) {
      assertTrue(send.join().devices() >= 2, "recipient's devices and our own phone");
    }
    assertEquals(0, a.failures() + b.failures());
    assertEquals(0, a.duplicates() + b.duplicates());

    restartReceivesOfflineMessages(a, b, chatA, chatB);
  }

  /** A message held back by the receiver gets no receipt until it is acknowledged. */
  private void receiptWaitsForAcknowledge(MessagingPeer a, MessagingPeer b, Jid chatA, Jid chatB)
      throws Exception {
    MessageId held = MessageId.derivedFrom("held");
    b.holdAcks(m -> m.id().equals(held));
    SendResult sent = a.client.sendText(chatB, "held", held).get(20, TimeUnit.SECONDS);
    assertEquals(held, sent.id());
    awaitUntil(() -> b.held().size() == 1, ClientSupport.WAIT, () -> "held message not received");
    IncomingMessage got = b.held().get(0);
    assertEquals("pkmsg", got.encType());
    assertEquals(chatA, got.chat());
    assertFalse(got.fromMe());
    // b's next stanza travels after any receipt it would have sent: once a has it, a receipt
    // for "held" would already have arrived.
    b.client.sendText(chatA, "marker", MessageId.derivedFrom("marker")).get(20, TimeUnit.SECONDS);
    awaitUntil(() -> a.textsFrom(chatB).contains("marker"), ClientSupport.WAIT, () -> "marker");
    assertFalse(a.deliveredBy(held, b.me()), "no receipt before acknowledge");
    b.release();
    awaitUntil(() -> a.deliveredBy(held, b.me()), ClientSupport.WAIT, () -> "receipt after acknowledge");
    assertEquals(List.of("held"), b.textsFrom(chatA));
  }

  /** b goes away; a keeps sending; b's restarted process receives all of it, in order, once. */
  private void restartReceivesOfflineMessages(MessagingPeer a, MessagingPeer b, Jid chatA,
      Jid chatB) throws Exception {
    byte[] credentials = b.auth.credentials().serialize();
    b.close();
    int offline = 300;
    List<CompletableFuture<SendResult>> sends = new ArrayList<>();
    List<MessageId> ids = new ArrayList<>();
    for (int i = 0; i < offline; i++) {
      ids.add(MessageId.derivedFrom("offline-" + i));
      sends.add(a.client.sendText(chatB, "o" + i, ids.get(i)));
    }
    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    assertTrue(ids.stream().noneMatch(id -> a.deliveredBy(id, b.me())), "nobody could have received them yet");

    MessagingPeer restarted = new MessagingPeer(
        new SharedKeysAuthState(credentials, b.auth.keys()), sim);
    peers.add(restarted);
    ClientSupport.connectUntilOpen(restarted.client, restarted.events, 1);
    awaitUntil(() -> restarted.textsFrom(chatA).size() >= offline, LONG,
        () -> "restarted b got " + restarted.textsFrom(chatA).size());
    assertEquals(expected("o", 0, offline), restarted.textsFrom(chatA));
    assertTrue(restarted.stored().stream().allMatch(IncomingMessage::offline));
    awaitUntil(() -> ids.stream().allMatch(id -> a.deliveredBy(id, restarted.me())), LONG, () -> "receipts after restart");
    // and the conversation goes on both ways
    restarted.client.sendText(chatA, "back", MessageId.derivedFrom("back")).get(20, TimeUnit.SECONDS);
    a.client.sendText(chatB, "welcome", MessageId.derivedFrom("welcome")).get(20, TimeUnit.SECONDS);
    awaitUntil(() -> a.textsFrom(chatB).contains("back")
        && restarted.textsFrom(chatA).contains("welcome"), ClientSupport.WAIT, () -> "after restart");
    assertEquals(0, restarted.failures() + a.failures());
    assertEquals(0, restarted.duplicates());
    assertEquals(offline + 1, restarted.stored().stream()
        .filter(m -> m.content() instanceof MessageContent.Text).count());
  }

  private MessagingPeer pairedPeer(String phone, InMemoryAuthState auth) throws Exception {
    MessagingPeer peer = new MessagingPeer(auth, sim);
    peers.add(peer);
    ClientSupport.pair(peer.client, peer.events, admin, phone);
    ClientSupport.connectUntilOpen(peer.client, peer.events, 2);
    return peer;
  }

  private static List<String> expected(String prefix, int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(prefix + i);
    }
    return out;
  }
}
