package io.wafleet.simulator.client;

import static io.wafleet.simulator.client.MessagingPeer.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.ConnectionState;
import io.wafleet.client.RawAccess;
import io.wafleet.client.auth.InMemoryAuthState;
import io.wafleet.client.auth.SignalKeyStore;
import io.wafleet.client.binary.Node;
import io.wafleet.client.event.DecryptionFailed;
import io.wafleet.client.event.DuplicateMessage;
import io.wafleet.client.event.ReceiptReceived;
import io.wafleet.client.event.ReceiptType;
import io.wafleet.client.message.IncomingMessage;
import io.wafleet.client.message.MessageContent;
import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import io.wafleet.simulator.WaSimulator;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input on the receive path (§9.2, §9.4): a simulated phone sends damaged copies (no session,
 * bad MAC, corrupt) and replays; a raw wa-client peer sends an unknown enc type. Each gives its
 * DecryptionFailed (or DuplicateMessage), a retry receipt reaches the sender where WhatsApp sends
 * one, the sender's clean resend arrives, and the client stays connected.
 */
class ClientBadMessagesIT {

  private static final String OWNER = "40713000001";
  private static final String PHONE = "40713000002";
  private static final String RAW = "40713000003";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private WaSimulator sim;
  private SimulatorAdminClient admin;
  private final List<MessagingPeer> peers = new java.util.ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    sim = ClientSupport.startSimulator();
    admin = new SimulatorAdminClient(sim.adminUri());
    for (String phone : List.of(OWNER, PHONE, RAW)) {
      admin.createPhone(phone);
    }
  }

  @AfterEach
  void stop() {
    peers.forEach(MessagingPeer::close);
    sim.close();
  }

  @Test
  void damagedAndReplayedMessages_giveErrorEventsAndRetryReceipts_connectionStaysUp()
      throws Exception {
    MessagingPeer client = paired(OWNER);
    String owner = OWNER + "@s.whatsapp.net";

    String noSession = tampered("no-session", owner, "healed after no-session");
    assertFailure(client, noSession, "no-session", 1);
    assertHealed(client, noSession, "healed after no-session");

    String ok = admin.send(PHONE, owner, "plain");
    awaitStored(client, ok);
    client.client.sendText(Jid.of(PHONE, Jid.SERVER), "reply").get(20, TimeUnit.SECONDS);

    String badMac = tampered("bad-mac", owner, "healed after bad-mac");
    assertFailure(client, badMac, "bad-mac", 1);
    assertHealed(client, badMac, "healed after bad-mac");

    String corrupt = tampered("corrupt", owner, "healed after corrupt");
    assertFailure(client, corrupt, "invalid-message", 1);
    assertHealed(client, corrupt, "healed after corrupt");

    // a replay of an acknowledged message: reported, not stored twice, receipted again
    String plain = admin.send(PHONE, owner, "replay me");
    awaitStored(client, plain);
    replay(plain);
    awaitUntil(() -> duplicates(client, plain) == 1, WAIT, () -> "duplicate " + plain);
    assertEquals(1, client.stored().stream().filter(m -> m.id().value().equals(plain)).count());

    // after a restart the id is forgotten, but the ciphertext's key is used: still a duplicate
    byte[] credentials = client.auth.credentials().serialize();
    client.close();
    MessagingPeer restarted = new MessagingPeer(
        new SharedKeysAuthState(credentials, client.auth.keys()), sim);
    peers.add(restarted);
    ClientSupport.connectUntilOpen(restarted.client, restarted.events, 1);
    replay(plain);
    awaitUntil(() -> duplicates(restarted, plain) == 1, WAIT, () -> "duplicate after restart");
    assertTrue(restarted.stored().isEmpty(), "nothing new surfaced");

    unknownEncType(restarted);

    String still = admin.send(PHONE, owner, "still connected");
    awaitStored(restarted, still);
    assertEquals(ConnectionState.OPEN, restarted.client.state());
  }

  @Test
  void receiverLostItsSession_retryReceipt_senderClientResendsAsPkmsg() throws Exception {
    MessagingPeer receiver = paired(OWNER);
    MessagingPeer sender = paired(RAW);
    Jid toReceiver = Jid.of(OWNER, Jid.SERVER);
    Jid toSender = Jid.of(RAW, Jid.SERVER);
    MessageId first = sender.client.sendText(toReceiver, "one").get(20, TimeUnit.SECONDS).id();
    awaitStored(receiver, first.value());
    MessageId reply = receiver.client.sendText(toSender, "reply").get(20, TimeUnit.SECONDS).id();
    awaitStored(sender, reply.value());

    // the receiver loses its session with the sender's device (PN- and LID-keyed forms)
    int device = sender.me().deviceId();
    String lidUser = sender.auth.credentials().lid().user();
    Map<String, byte[]> gone = new java.util.HashMap<>();
    gone.put(RAW + "." + device, null);
    gone.put(lidUser + "_1." + device, null);
    receiver.auth.keys().store(SignalKeyStore.SESSION, gone);

    MessageId lost = sender.client.sendText(toReceiver, "two").get(20, TimeUnit.SECONDS).id();
    awaitUntil(() -> receiver.events.history().stream().anyMatch(e -> e instanceof DecryptionFailed f
        && f.id().equals(lost) && f.reason().equals("no-session")), WAIT,
        () -> "no-session failure: " + receiver.events.history());
    IncomingMessage healed = awaitStored(receiver, lost.value());
    assertEquals(new MessageContent.Text("two"), healed.content());
    assertEquals("pkmsg", healed.encType(), "the resend starts a fresh session");
    assertTrue(sender.events.history().stream().anyMatch(e -> e instanceof ReceiptReceived r
        && r.id().equals(lost) && r.type() == ReceiptType.RETRY));
    MessageId after = sender.client.sendText(toReceiver, "three").get(20, TimeUnit.SECONDS).id();
    assertEquals(new MessageContent.Text("three"), awaitStored(receiver, after.value()).content());
    assertEquals(1, receiver.failures());
  }

  /** A raw wa-client peer sends an enc type the relay carries but no 1:1 client knows. */
  private void unknownEncType(MessagingPeer client) throws Exception {
    MessagingPeer raw = paired(RAW);
    String id = "3EB0BADENC0001";
    Node enc = Node.of("enc", Node.attrsOf("v", "2", "type", "frskmsg"), new byte[] {1, 2, 3});
    Node to = Node.of("to", Node.attrsOf("jid", client.me().toString()), List.of(enc));
    Node message = Node.of("message", Node.attrsOf("id", id, "to", OWNER + "@s.whatsapp.net",
        "type", "text"), List.of(Node.of("participants", Map.of(), List.of(to))));
    assertTrue(RawAccess.sendRaw(raw.client, message));
    awaitUntil(() -> client.events.history().stream().anyMatch(e -> e instanceof DecryptionFailed f
        && f.id().value().equals(id) && f.reason().equals("unknown-enc-type")), WAIT,
        () -> "unknown-enc-type failure: " + client.events.history());
    awaitUntil(() -> raw.events.history().stream().anyMatch(e -> e instanceof ReceiptReceived r
        && r.id().value().equals(id) && r.type() == ReceiptType.RETRY), WAIT,
        () -> "retry receipt at the raw sender");
    Node retry = raw.inbound.stream().filter(n -> n.tag().equals("receipt")
        && "retry".equals(n.attr("type")) && id.equals(n.attr("id"))).findFirst().orElseThrow();
    assertEquals(client.me().toString(), retry.attr("from"));
    Node retryChild = retry.child("retry");
    assertEquals("1", retryChild.attr("count"));
    assertEquals(id, retryChild.attr("id"));
    assertEquals("1", retryChild.attr("v"));
    assertEquals(4, retry.child("registration").bytes().length);
    Node keys = retry.child("keys");
    assertNotNull(keys, "no session with the raw sender: keys included");
    assertEquals(32, keys.child("identity").bytes().length);
    assertEquals(32, keys.child("key").child("value").bytes().length);
    assertEquals(64, keys.child("skey").child("signature").bytes().length);
    assertNotNull(keys.child("device-identity"));
  }

  private String tampered(String tamper, String to, String text) throws Exception {
    return admin.send(PHONE, to, text, tamper);
  }

  private void replay(String id) throws Exception {
    admin.replay(PHONE, id);
  }

  private void assertFailure(MessagingPeer client, String id, String reason, int count)
      throws Exception {
    awaitUntil(() -> client.events.history().stream().anyMatch(e -> e instanceof DecryptionFailed f
        && f.id().value().equals(id)), WAIT, () -> "failure for " + id);
    DecryptionFailed failed = client.events.history().stream()
        .filter(e -> e instanceof DecryptionFailed f && f.id().value().equals(id))
        .map(DecryptionFailed.class::cast).findFirst().orElseThrow();
    assertEquals(reason, failed.reason());
    assertEquals(count, failed.failureCount());
    assertEquals(Jid.of(PHONE, Jid.SERVER), failed.sender().toNonDevice());
    awaitUntil(() -> {
      try {
        return admin.receipts(PHONE).toString().contains("\"" + id + "\"")
            && admin.receipts(PHONE).toString().contains("retry");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, WAIT, () -> "retry receipt at the phone for " + id);
  }

  private static void assertHealed(MessagingPeer client, String id, String text) throws Exception {
    IncomingMessage healed = awaitStored(client, id);
    assertEquals(new MessageContent.Text(text), healed.content());
  }

  private static IncomingMessage awaitStored(MessagingPeer peer, String id) throws Exception {
    awaitUntil(() -> peer.stored().stream().anyMatch(m -> m.id().value().equals(id)), WAIT,
        () -> "message " + id + "; events " + peer.events.history());
    return peer.stored().stream().filter(m -> m.id().value().equals(id)).findFirst().orElseThrow();
  }

  private static long duplicates(MessagingPeer peer, String id) {
    return peer.events.history().stream()
        .filter(e -> e instanceof DuplicateMessage d && d.id().value().equals(id)).count();
  }

  private MessagingPeer paired(String phone) throws Exception {
    MessagingPeer peer = new MessagingPeer(InMemoryAuthState.create(), sim);
    peers.add(peer);
    ClientSupport.pair(peer.client, peer.events, admin, phone);
    ClientSupport.connectUntilOpen(peer.client, peer.events, 2);
    return peer;
  }
}
