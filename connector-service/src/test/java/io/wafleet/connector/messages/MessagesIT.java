package io.wafleet.connector.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.firestore.DocumentReference;
import io.wafleet.client.WaClient;
import io.wafleet.client.auth.AuthState;
import io.wafleet.client.auth.SignalKeyStore;
import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.ChatThread;
import io.wafleet.common.model.OutboxItem;
import io.wafleet.common.model.OutboxStatus;
import io.wafleet.common.model.Owner;
import io.wafleet.common.model.StoredMessage;
import io.wafleet.common.schema.FirestoreSchema;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.IncidentStore;
import io.wafleet.common.store.MessageStore;
import io.wafleet.common.store.OutboxStore;
import io.wafleet.common.store.SessionStore;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.common.testing.ManualClock;
import io.wafleet.connector.fleet.AccountSupervisor;
import io.wafleet.connector.fleet.Backoff;
import io.wafleet.connector.fleet.FleetContext;
import io.wafleet.connector.fleet.SupervisorConfig;
import io.wafleet.connector.testing.ManualScheduler;
import io.wafleet.connector.testing.Sessions;
import io.wafleet.connector.testing.Waits;
import io.wafleet.simulator.SimulatorConfig;
import io.wafleet.simulator.WaSimulator;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Messages through a connector-held account, against the real simulator (a second simulated phone
 * is the other party) and the real Firestore emulator. Pacing time moves by hand with a
 * {@link ManualScheduler}; everything else runs for real.
 */
@Timeout(180)
class MessagesIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final AtomicInteger PHONES = new AtomicInteger();
  private static WaSimulator simulator;
  private static SimulatorAdminClient admin;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T10:00:00Z"));
  private ManualScheduler scheduler = new ManualScheduler(clock);
  private final List<AccountSupervisor> supervisors = new ArrayList<>();
  private final List<OutboxDispatcher> dispatchers = new ArrayList<>();
  private ExecutorService pool;
  private AccountStore accounts;
  private SessionStore sessions;
  private OutboxStore outbox;
  private MessageStore messages;
  private String accountId;
  private String phone;
  private String peer;
  private String peerJid;
  private Owner owner;

  @BeforeAll
  static void startSimulator() throws Exception {
    simulator = WaSimulator.start(SimulatorConfig.builder().build());
    admin = new SimulatorAdminClient(simulator.adminUri());
  }

  @AfterAll
  static void stopSimulator() throws Exception {
    simulator.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    pool = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "fleet-worker");
      t.setDaemon(true);
      return t;
    });
    accounts = new AccountStore(FIRESTORE.firestore(), clock);
    sessions = new SessionStore(FIRESTORE.firestore(), Sessions.cipher("k1", 3), clock);
    outbox = new OutboxStore(FIRESTORE.firestore(), clock);
    messages = new MessageStore(FIRESTORE.firestore(), clock);
    int n = PHONES.incrementAndGet();
    accountId = "acc-" + n;
    phone = "4070020" + String.format("%04d", n);
    peer = "4070030" + String.format("%04d", n);
    peerJid = peer + "@s.whatsapp.net";
    owner = new Owner("inst-a", 1);
    admin.createPhone(phone);
    admin.createPhone(peer);
    accounts.create(Account.newAccount(accountId, "shop " + n, "+" + phone, clock.instant()).toBuilder()
        .owner(owner).build());
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AccountSupervisor s : supervisors) {
      s.shutdown().get(30, TimeUnit.SECONDS);
    }
    for (OutboxDispatcher d : dispatchers) {
      d.close();
    }
    pool.shutdownNow();
  }

  @Test
  void phoneMessage_isStoredThenAcknowledged_andItsUnackedCopyRemoved() throws Exception {
    pair(20);
    String id = admin.send(peer, phone + "@s.whatsapp.net", "hello shop");
    String threadId = ChatThread.idFor(accountId, peerJid);
    await(() -> messages.load(threadId, id).isPresent(), "the message stored");
    StoredMessage stored = messages.load(threadId, id).orElseThrow();
    assertEquals("hello shop", stored.text());
    assertEquals(peerJid, stored.from());
    await(() -> hasReceipt(peer, id), "the delivery receipt at the sending phone");
    await(() -> unackedKeys() == 0, "no unacknowledged copy left in the session");
    assertEquals(1, messages.loadThread(threadId).orElseThrow().unread());
  }

  @Test
  void storeFailure_beforeAck_isNotAcknowledged_thenRedeliveredAndStoredOnce() throws Exception {
    pair(20);
    String threadId = ChatThread.idFor(accountId, peerJid);
    DocumentReference thread = FIRESTORE.firestore().collection(FirestoreSchema.THREADS).document(threadId);
    // A thread whose unread counter is not a number: the store transaction fails with a typed error.
    thread.set(Map.of("accountId", accountId, "chatJid", peerJid, "unread", "not-a-number")).get();
    // The store retry is due after the first backoff step (1 s); the activity flush waits a minute.
    int tasks = scheduler.pendingWithin(Duration.ofSeconds(1));
    String id = admin.send(peer, phone + "@s.whatsapp.net", "kept until stored");
    await(() -> scheduler.pendingWithin(Duration.ofSeconds(1)) > tasks, "a store retry scheduled");
    assertFalse(hasReceipt(peer, id), "no receipt before the message is stored");
    assertTrue(unackedKeys() > 0, "the client keeps its unacknowledged copy");
    thread.delete().get();

    restart(20);
    await(() -> hasReceipt(peer, id), "the receipt after the redelivered message was stored");
    StoredMessage stored = messages.load(threadId, id).orElseThrow();
    assertEquals("kept until stored", stored.text());
    assertEquals(1, messages.listMessages(threadId, 10, null).size());
    assertEquals(1, messages.loadThread(threadId).orElseThrow().unread());
    await(() -> unackedKeys() == 0, "no unacknowledged copy left in the session");
  }

  @Test
  void outboxItem_queuedToSentToDelivered_phoneGetsOneCopy() throws Exception {
    pair(20);
    outbox.enqueue(OutboxItem.queued("order-1", accountId, peerJid, "your order shipped", clock.instant()));
    OutboxItem delivered = awaitItem("order-1", i -> i.status() == OutboxStatus.DELIVERED, "DELIVERED");
    String waId = MessageId.derivedFrom("order-1").value();
    assertEquals(waId, delivered.waMessageId());
    assertEquals(1, delivered.attempts());
    await(() -> storedStatus(waId).equals(OutboxStatus.DELIVERED.name()), "the stored copy DELIVERED");
    assertEquals(1, inboxCount(peer, waId));
    assertEquals(List.of("your order shipped"), admin.inboxTexts(peer));
  }

  @Test
  void itemsQueuedUnderAPreviousOwner_areRoutedToTheNewOwner_andSentOnce() throws Exception {
    pair(20);
    supervisors.remove(supervisors.size() - 1).shutdown().get(30, TimeUnit.SECONDS);
    dispatchers.remove(dispatchers.size() - 1).close();
    // Queued while inst-a still owned the account: routed to inst-a, whose process is gone.
    outbox.enqueue(OutboxItem.queued("moved-1", accountId, peerJid, "sent by the new owner", clock.instant()));
    outbox.enqueue(OutboxItem.queued("moved-2", accountId, peerJid, "and this one", clock.instant().plusMillis(1)));
    assertEquals("inst-a", route("moved-1"));
    // Another instance claims the account (generation bump), as its claim loop would.
    owner = new Owner("inst-b", 2);
    FIRESTORE.firestore().collection(FirestoreSchema.ACCOUNTS).document(accountId)
        .update("owner", Map.of("instanceId", owner.instanceId(), "generation", owner.generation())).get();
    scheduler = new ManualScheduler(clock);
    start(AccountStatus.CONNECTED, 20);

    awaitItem("moved-1", i -> i.status() == OutboxStatus.SENT || i.status() == OutboxStatus.DELIVERED, "sent");
    // 20 per minute: the next send waits 3 s on the manual clock.
    await(() -> scheduler.pendingWithin(Duration.ofSeconds(3)) > 0, "the next send waiting for its turn");
    scheduler.advance(Duration.ofSeconds(3));
    awaitItem("moved-2", i -> i.status() == OutboxStatus.SENT || i.status() == OutboxStatus.DELIVERED, "sent");
    for (String id : List.of("moved-1", "moved-2")) {
      assertEquals("inst-b", route(id), "routed to the owner that sent it");
      assertEquals(1, inboxCount(peer, MessageId.derivedFrom(id).value()), "one copy of " + id);
    }
    assertEquals(List.of("sent by the new owner", "and this one"), admin.inboxTexts(peer));
  }

  private String route(String outboxId) throws Exception {
    return FIRESTORE.firestore().collection(FirestoreSchema.OUTBOX).document(outboxId).get().get(30, TimeUnit.SECONDS)
        .getString(FirestoreSchema.OutboxFields.ROUTE_INSTANCE_ID);
  }

  @Test
  void outboundCopyNotStored_holdsTheSend_untilItIs_thenOneCopyInTheThreadAndAtThePhone() throws Exception {
    pair(20);
    String threadId = ChatThread.idFor(accountId, peerJid);
    DocumentReference thread = FIRESTORE.firestore().collection(FirestoreSchema.THREADS).document(threadId);
    // A thread whose unread counter is not a number: storing the outbound copy fails.
    thread.set(Map.of("accountId", accountId, "chatJid", peerJid, "unread", "not-a-number")).get();
    int tasks = scheduler.pendingWithin(Duration.ofSeconds(1));
    outbox.enqueue(OutboxItem.queued("order-c", accountId, peerJid, "copy first", clock.instant()));
    await(() -> scheduler.pendingWithin(Duration.ofSeconds(1)) > tasks, "a retry of the copy scheduled");
    assertEquals(OutboxStatus.SENDING, outbox.load("order-c").orElseThrow().status());
    assertEquals(List.of(), admin.inboxTexts(peer), "nothing sent while the thread copy is not stored");

    thread.delete().get();
    scheduler.advance(Duration.ofSeconds(1));
    OutboxItem delivered = awaitItem("order-c", i -> i.status() == OutboxStatus.DELIVERED, "DELIVERED");
    String waId = MessageId.derivedFrom("order-c").value();
    assertEquals(1, delivered.attempts(), "one attempt: the retry marked the same send again");
    await(() -> storedStatus(waId).equals(OutboxStatus.DELIVERED.name()), "the stored copy DELIVERED");
    assertEquals(1, messages.listMessages(threadId, 10, null).size());
    assertEquals(1, inboxCount(peer, waId));
  }

  @Test
  void crashBetweenSendAndSentWrite_newSupervisorResendsSameId_phoneSeesOneCopy() throws Exception {
    pair(20);
    outbox.enqueue(OutboxItem.queued("order-2", accountId, peerJid, "one copy only", clock.instant()));
    awaitItem("order-2", i -> i.status() == OutboxStatus.DELIVERED, "DELIVERED");
    String waId = MessageId.derivedFrom("order-2").value();
    // The state a crash right after the send leaves: the item still SENDING, the phone has the text.
    FIRESTORE.firestore().collection(FirestoreSchema.OUTBOX).document("order-2")
        .update(FirestoreSchema.OutboxFields.STATUS, OutboxStatus.SENDING.name()).get();

    restart(20);
    OutboxItem again = awaitItem("order-2", i -> i.status() == OutboxStatus.DELIVERED && i.attempts() == 2,
        "resent and DELIVERED again");
    assertEquals(waId, again.waMessageId());
    assertEquals(1, inboxCount(peer, waId), "the phone holds one copy");
    assertEquals(List.of("one copy only"), admin.inboxTexts(peer));
  }

  @Test
  void outcomeNotWrittenAfterASend_isWrittenOnALaterTry_andTheCopyCatchesUpWithTheReceipt() throws Exception {
    pair(20);
    String waId = MessageId.derivedFrom("order-o").value();
    DocumentReference copy = FIRESTORE.firestore().collection(FirestoreSchema.THREADS)
        .document(ChatThread.idFor(accountId, peerJid)).collection(FirestoreSchema.MESSAGES).document(waId);
    // The copy is stored already (as a crash after storing it leaves it), with a status that does not
    // read: every status write to it fails with a typed error until it is repaired.
    copy.set(Map.of("accountId", accountId, "chatJid", peerJid, "direction", "OUTBOUND", "from", accountId,
        "to", peerJid, "text", "caught up", "status", 42, "ts", com.google.cloud.Timestamp.now())).get();
    int tasks = scheduler.pendingWithin(Duration.ofSeconds(1));
    outbox.enqueue(OutboxItem.queued("order-o", accountId, peerJid, "caught up", clock.instant()));
    awaitItem("order-o", i -> i.status() == OutboxStatus.DELIVERED, "the item's own writes pass: DELIVERED");
    await(() -> scheduler.pendingWithin(Duration.ofSeconds(1)) > tasks, "a later try of the outcome scheduled");
    assertEquals(1, inboxCount(peer, waId), "sent once");

    copy.update(FirestoreSchema.ThreadFields.STATUS, OutboxStatus.SENDING.name()).get();
    scheduler.advance(Duration.ofSeconds(1));
    await(() -> storedStatus(waId).equals(OutboxStatus.DELIVERED.name()),
        "the copy caught up with the item, receipt included: DELIVERED");
    assertEquals(OutboxStatus.DELIVERED, outbox.load("order-o").orElseThrow().status(), "the item did not go back");
    assertEquals(1, inboxCount(peer, waId), "still one copy at the phone");
  }

  @Test
  void itemLeftSending_whoseRecoveryFails_isRecoveredOnALaterTry_notLeftSending() throws Exception {
    pair(20);
    outbox.enqueue(OutboxItem.queued("order-l", accountId, peerJid, "recovered later", clock.instant()));
    awaitItem("order-l", i -> i.status() == OutboxStatus.DELIVERED, "DELIVERED");
    String waId = MessageId.derivedFrom("order-l").value();
    DocumentReference item = FIRESTORE.firestore().collection(FirestoreSchema.OUTBOX).document("order-l");
    // Left in SENDING by a crash, and for now unreadable: the recovery's read fails with a typed error.
    item.update(FirestoreSchema.OutboxFields.STATUS, OutboxStatus.SENDING.name(),
        FirestoreSchema.OutboxFields.ATTEMPTS, "not-a-number").get();

    restart(20);
    await(() -> scheduler.pendingWithin(Duration.ofSeconds(1)) > 0, "the recovery tried again later");
    item.update(FirestoreSchema.OutboxFields.ATTEMPTS, 1).get();
    scheduler.advance(Duration.ofSeconds(1));
    OutboxItem again = awaitItem("order-l", i -> i.status() == OutboxStatus.DELIVERED && i.attempts() == 2,
        "recovered, resent under the same id and DELIVERED");
    assertEquals(waId, again.waMessageId());
    assertEquals(1, inboxCount(peer, waId), "the phone holds one copy");
  }

  @Test
  void unusableRecipient_isFailedWithItsReason_andTheQueueMovesOn() throws Exception {
    pair(20);
    outbox.enqueue(OutboxItem.queued("bad-1", accountId, "not a jid", "never sent", clock.instant()));
    // Same due time: ordered by id, so the unusable one comes first.
    outbox.enqueue(OutboxItem.queued("good-1", accountId, peerJid, "still sent", clock.instant()));
    OutboxItem failed = awaitItem("bad-1", i -> i.status() == OutboxStatus.FAILED, "FAILED");
    assertEquals("invalid-recipient", failed.error());
    // The failed item used no send slot: the next one goes out at once, with no clock moved.
    awaitItem("good-1", i -> i.status() == OutboxStatus.SENT || i.status() == OutboxStatus.DELIVERED, "sent");
    assertEquals(List.of("still sent"), admin.inboxTexts(peer));
  }

  @Test
  void pacing_holdsTheQueue_untilTheManualClockAllowsTheNextSend() throws Exception {
    pair(2);
    outbox.enqueue(OutboxItem.queued("p1", accountId, peerJid, "first", clock.instant()));
    outbox.enqueue(OutboxItem.queued("p2", accountId, peerJid, "second", clock.instant().plusMillis(1)));
    awaitItem("p1", i -> i.status() == OutboxStatus.SENT || i.status() == OutboxStatus.DELIVERED, "p1 sent");
    // The pacing timer (due in 30 s); the account's hourly phone check and activity flush wait longer.
    await(() -> scheduler.pendingWithin(Duration.ofSeconds(30)) == 1, "the next send waiting for its turn");
    scheduler.advance(Duration.ofSeconds(29));
    assertEquals(OutboxStatus.QUEUED, outbox.load("p2").orElseThrow().status(), "2 per minute: not yet");
    scheduler.advance(Duration.ofSeconds(1));
    awaitItem("p2", i -> i.status() == OutboxStatus.SENT || i.status() == OutboxStatus.DELIVERED, "p2 sent");
    await(() -> inboxTexts(peer).size() == 2, "both texts at the phone");
    assertEquals(List.of("first", "second"), admin.inboxTexts(peer));
  }

  // ---- helpers ----

  private void pair(int perMinute) throws Exception {
    start(AccountStatus.PENDING, perMinute);
    Account qr = awaitAccount(a -> a.status() == AccountStatus.NEEDS_QR && a.qr() != null, "a QR");
    admin.scan(phone, qr.qr().value());
    awaitAccount(a -> a.status() == AccountStatus.CONNECTED, "CONNECTED after the scan");
  }

  /** As a process restart: the supervisor and dispatcher go, new ones start over the same Firestore. */
  private void restart(int perMinute) throws Exception {
    supervisors.remove(supervisors.size() - 1).shutdown().get(30, TimeUnit.SECONDS);
    dispatchers.remove(dispatchers.size() - 1).close();
    scheduler = new ManualScheduler(clock);
    clock.advance(Duration.ofSeconds(5));
    Instant restartedAt = clock.instant();
    AccountSupervisor second = start(AccountStatus.CONNECTED, perMinute);
    awaitAccount(a -> a.status() == AccountStatus.CONNECTED && !a.connectedAt().isBefore(restartedAt)
        && second.status() == AccountStatus.CONNECTED, "reconnected by the new supervisor");
  }

  private AccountSupervisor start(AccountStatus stored, int perMinute) {
    OutboxDispatcher dispatcher = new OutboxDispatcher(outbox, messages, owner.instanceId(), scheduler, clock,
        new OutboxConfig(perMinute, OutboxConfig.DEFAULT_MAX_ATTEMPTS, Backoff.standard(() -> 0.5)));
    dispatcher.start();
    dispatchers.add(dispatcher);
    FleetContext ctx = new FleetContext(accounts, sessions, dispatcher, this::client, scheduler, pool, clock,
        new SecureRandom(), new SupervisorConfig(SupervisorConfig.DEFAULT_CONNECT_TIMEOUT,
            Backoff.standard(() -> 0.5)), new IncidentStore(FIRESTORE.firestore(), clock));
    AccountSupervisor s = new AccountSupervisor(accountId, owner, stored, ctx);
    supervisors.add(s);
    s.start();
    return s;
  }

  private WaClient client(AuthState auth, io.wafleet.client.WaListener listener) {
    return WaClient.builder(auth).serverUri(simulator.wsUri()).certificateVerifier(simulator.trustedVerifier())
        .listener(listener).connectTimeout(Duration.ofMinutes(10)).initialPreKeyCount(30).build();
  }

  private long unackedKeys() {
    try {
      return FIRESTORE.firestore().collection(FirestoreSchema.SESSIONS).document(accountId)
          .collection(FirestoreSchema.SESSION_KEYS).get().get(30, TimeUnit.SECONDS).getDocuments().stream()
          .filter(d -> d.getId().startsWith(SignalKeyStore.UNACKED_MESSAGE + "_")).count();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private List<String> inboxTexts(String receiver) {
    try {
      return admin.inboxTexts(receiver);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /**
   * True when a linked device (not the account's phone itself, device 0, which receives its own
   * copy and answers on its own) sent the delivery receipt for {@code id}.
   */
  private boolean hasReceipt(String sender, String id) {
    try {
      for (JsonNode r : admin.receipts(sender)) {
        Jid from = Jid.tryParse(r.path("from").asText());
        if (id.equals(r.path("id").asText()) && from != null && from.deviceId() != 0) {
          return true;
        }
      }
      return false;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private int inboxCount(String receiver, String id) throws Exception {
    int n = 0;
    for (JsonNode m : admin.inbox(receiver)) {
      if (id.equals(m.path("id").asText())) {
        n++;
      }
    }
    return n;
  }

  private String storedStatus(String waId) {
    return messages.load(ChatThread.idFor(accountId, peerJid), waId).map(m -> String.valueOf(m.status()))
        .orElse("absent");
  }

  private OutboxItem awaitItem(String id, Predicate<OutboxItem> condition, String what) {
    return Waits.until(what, WAIT, () -> outbox.load(id).orElse(null), condition, i -> i + " error=" + i.error());
  }

  private Account awaitAccount(Predicate<Account> condition, String what) {
    return Waits.until(what, WAIT, () -> accounts.load(accountId).orElse(null), condition,
        a -> "status=" + a.status() + " lastError=" + a.lastError());
  }

  private static void await(BooleanSupplier condition, String what) {
    Waits.until(what, WAIT, condition);
  }
}
