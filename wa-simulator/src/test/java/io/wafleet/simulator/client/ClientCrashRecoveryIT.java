package io.wafleet.simulator.client;

import static io.wafleet.simulator.client.MessagingPeer.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.SendResult;
import io.wafleet.client.auth.InMemoryAuthState;
import io.wafleet.client.auth.SignalKeyStore;
import io.wafleet.client.event.Disconnected;
import io.wafleet.client.event.DuplicateMessage;
import io.wafleet.client.event.MessageReceived;
import io.wafleet.client.event.WaEvent;
import io.wafleet.client.message.IncomingMessage;
import io.wafleet.client.message.MessageContent;
import io.wafleet.client.model.DisconnectReason;
import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import io.wafleet.simulator.WaSimulator;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * §13 "Idempotent receive" end to end: B's process dies (its socket dropped by the simulator, no
 * orderly close) while it holds decrypted, unacknowledged messages and while A keeps sending; a
 * new process on B's stored auth state gets every unacknowledged message again, in order, as
 * {@code MessageReceived}, although their ciphertexts' keys were used before the crash. Once all
 * is acknowledged, a further restart gets nothing again.
 */
class ClientCrashRecoveryIT {

  private static final String PHONE_A = "40711000101";
  private static final String PHONE_B = "40711000102";
  private static final int COUNT = 200;
  private static final int ACKED = 50;
  /** Sent before the crash; B has decrypted at least {@link #DECRYPTED} of them when it dies. */
  private static final int BEFORE_CRASH = 120;
  private static final int DECRYPTED = 100;
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
  void crashBeforeAcknowledge_restartedClientReceivesEveryUnacknowledgedMessageInOrder()
      throws Exception {
    MessagingPeer a = pairedPeer(PHONE_A);
    MessagingPeer b = pairedPeer(PHONE_B);
    Jid chatA = Jid.of(PHONE_A, Jid.SERVER);
    Jid chatB = Jid.of(PHONE_B, Jid.SERVER);
    List<MessageId> ids = new ArrayList<>();
    for (int i = 0; i < COUNT; i++) {
      ids.add(MessageId.derivedFrom("crash-" + i));
    }
    Set<MessageId> unacked = new HashSet<>(ids.subList(ACKED, COUNT));
    b.holdAcks(m -> unacked.contains(m.id()));

    List<CompletableFuture<SendResult>> sends = send(a, chatB, ids, 0, BEFORE_CRASH);
    awaitUntil(() -> b.stored().size() + b.held().size() >= DECRYPTED, LONG,
        () -> "b decrypted " + (b.stored().size() + b.held().size()));
    awaitUntil(() -> ids.subList(0, ACKED).stream().allMatch(id -> a.deliveredBy(id, b.me())),
        LONG, () -> "receipts for the acknowledged ones");
    byte[] credentials = crash(b);
    sends.addAll(send(a, chatB, ids, BEFORE_CRASH, COUNT));
    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);

    MessagingPeer restarted = restart(credentials, b);
    awaitUntil(() -> restarted.textsFrom(chatA).size() >= COUNT - ACKED, LONG,
        () -> "restarted b got " + restarted.textsFrom(chatA).size());
    assertEquals(texts(ACKED, COUNT), restarted.textsFrom(chatA), "each unacked id, in order");
    assertEquals(ids.subList(ACKED, COUNT), restarted.stored().stream()
        .map(IncomingMessage::id).toList());
    List<MessageId> duplicates = restarted.events.history().stream()
        .filter(DuplicateMessage.class::isInstance).map(e -> ((DuplicateMessage) e).id())
        .toList();
    assertTrue(duplicates.stream().noneMatch(unacked::contains),
        "an unacknowledged message reported only as a duplicate: " + duplicates);
    Set<MessageId> everSeen = new HashSet<>();
    List.of(b, restarted).forEach(p -> p.stored().forEach(m -> everSeen.add(m.id())));
    b.held().forEach(m -> everSeen.add(m.id()));
    assertEquals(new HashSet<>(ids), everSeen, "every message received at least once");
    assertEquals(0, restarted.failures());
    assertTrue(admin.stats().path("messagesRedelivered").asLong() >= DECRYPTED - ACKED);

    awaitUntil(() -> ids.stream().allMatch(id -> a.deliveredBy(id, restarted.me())), LONG,
        () -> "receipts after restart");
    assertNoUnackedEntries(restarted, a.me(), ids);
    nothingRedeliveredAfterAnotherRestart(a, restarted, chatA, chatB);
  }

  /** After everything was acknowledged, a restart gets only what is new. */
  private void nothingRedeliveredAfterAnotherRestart(MessagingPeer a, MessagingPeer previous,
      Jid chatA, Jid chatB) throws Exception {
    byte[] credentials = previous.auth.credentials().serialize();
    previous.close();
    MessagingPeer again = restart(credentials, previous);
    MessageId marker = MessageId.derivedFrom("crash-marker");
    a.client.sendText(chatB, "marker", marker).get(20, TimeUnit.SECONDS);
    awaitUntil(() -> again.textsFrom(chatA).contains("marker"), LONG, () -> "marker");
    // The server redelivers at login, before anything new: the marker comes first or alone.
    List<WaEvent> messages = again.events.history().stream()
        .filter(e -> e instanceof MessageReceived || e instanceof DuplicateMessage).toList();
    assertEquals(1, messages.size(), "nothing but the marker: " + messages);
    assertEquals(List.of("marker"), again.textsFrom(chatA));
  }

  /** Kills b abruptly: the simulator drops its socket; nothing b holds is acknowledged. */
  private byte[] crash(MessagingPeer b) throws Exception {
    assertEquals(1, admin.fault("drop", 0, b.me().toString()), "b's one connection");
    Disconnected lost = b.events.await(Disconnected.class, LONG);
    assertEquals(DisconnectReason.CONNECTION_LOST, lost.reason(), lost.toString());
    byte[] credentials = b.auth.credentials().serialize();
    b.close();
    return credentials;
  }

  /** A new process on the stored credentials and the key store that survived. */
  private MessagingPeer restart(byte[] credentials, MessagingPeer crashed) throws Exception {
    MessagingPeer restarted = new MessagingPeer(
        new SharedKeysAuthState(credentials, crashed.auth.keys()), sim);
    peers.add(restarted);
    ClientSupport.connectUntilOpen(restarted.client, restarted.events, 1);
    return restarted;
  }

  /** The documented id of {@link SignalKeyStore#UNACKED_MESSAGE}: sender device|message id. */
  private static void assertNoUnackedEntries(MessagingPeer receiver, Jid senderDevice,
      List<MessageId> ids) {
    List<String> keys = ids.stream().map(id -> senderDevice + "|" + id.value()).toList();
    assertEquals(0, receiver.auth.keys().load(SignalKeyStore.UNACKED_MESSAGE, keys).size());
  }

  private static List<CompletableFuture<SendResult>> send(MessagingPeer from, Jid to,
      List<MessageId> ids, int start, int end) {
    List<CompletableFuture<SendResult>> sends = new ArrayList<>();
    for (int i = start; i < end; i++) {
      sends.add(from.client.sendText(to, "c" + i, ids.get(i)));
    }
    return sends;
  }

  private MessagingPeer pairedPeer(String phone) throws Exception {
    MessagingPeer peer = new MessagingPeer(InMemoryAuthState.create(), sim);
    peers.add(peer);
    ClientSupport.pair(peer.client, peer.events, admin, phone);
    ClientSupport.connectUntilOpen(peer.client, peer.events, 2);
    return peer;
  }

  private static List<String> texts(int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add("c" + i);
    }
    return out;
  }
}
