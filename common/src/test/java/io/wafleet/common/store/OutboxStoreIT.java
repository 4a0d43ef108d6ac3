package io.wafleet.common.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.common.model.Account;
import io.wafleet.common.model.OutboxItem;
import io.wafleet.common.model.OutboxStatus;
import io.wafleet.common.model.Owner;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.common.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OutboxStoreIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final Owner OWNER = new Owner("inst-a", 1);
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T10:00:00Z"));
  private OutboxStore outbox;

  @BeforeEach
  void setUp() {
    outbox = new OutboxStore(FIRESTORE.firestore(), clock);
    new AccountStore(FIRESTORE.firestore(), clock).create(
        Account.newAccount("acc-1", "a", "+40700000001", clock.instant()).toBuilder().owner(OWNER).build());
  }

  @Test
  void enqueue_sameKeyTwice_returnsFirstItemAndCreatesOne() {
    OutboxItem item = OutboxItem.queued("key-1", "acc-1", "40711111111@s.whatsapp.net", "hi", clock.instant());
    assertTrue(outbox.enqueue(item).created());
    clock.advance(Duration.ofSeconds(3));
    OutboxStore.Enqueued again = outbox.enqueue(
        OutboxItem.queued("key-1", "acc-1", "40711111111@s.whatsapp.net", "hi", clock.instant()));
    assertFalse(again.created());
    assertEquals(item.createdAt(), again.item().createdAt());
    assertEquals(1, outbox.countByStatus(OutboxStatus.QUEUED));
  }

  @Test
  void enqueue_sameKeyDifferentText_throwsConflict() {
    outbox.enqueue(OutboxItem.queued("key-1", "acc-1", "to", "hi", clock.instant()));
    assertThrows(IdempotencyConflictException.class,
        () -> outbox.enqueue(OutboxItem.queued("key-1", "acc-1", "to", "bye", clock.instant())));
  }

  @Test
  void enqueue_badFields_throwNamingField() {
    InvalidDocumentIdException id = assertThrows(InvalidDocumentIdException.class,
        () -> outbox.enqueue(OutboxItem.queued("a/b", "acc-1", "to", "hi", clock.instant())));
    assertEquals("idempotencyKey", id.field());
    InvalidFieldException text = assertThrows(InvalidFieldException.class, () -> outbox.enqueue(
        OutboxItem.queued("k", "acc-1", "to", "x".repeat(OutboxItem.MAX_TEXT_LENGTH + 1), clock.instant())));
    assertEquals("text", text.field());
  }

  @Test
  void watchRouted_deliversTheQueuesRoutedToTheInstance_accountByAccount() throws Exception {
    AccountStore accounts = new AccountStore(FIRESTORE.firestore(), clock);
    accounts.create(Account.newAccount("acc-2", "b", "+40700000002", clock.instant()).toBuilder()
        .owner(OWNER).build());
    accounts.create(Account.newAccount("acc-3", "c", "+40700000003", clock.instant()).toBuilder()
        .owner(new Owner("inst-b", 1)).build());
    outbox.enqueue(OutboxItem.queued("mine-1", "acc-1", "to", "1", clock.instant()));
    outbox.enqueue(OutboxItem.queued("mine-2", "acc-2", "to", "2", clock.instant()));
    outbox.enqueue(OutboxItem.queued("theirs", "acc-3", "to", "3", clock.instant()));
    LinkedBlockingQueue<RoutedQueue> changes = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<Exception> errors = new LinkedBlockingQueue<>();
    try (AutoCloseable watch = outbox.watchRouted("inst-a", changes::add, errors::add, errors::add)) {
      RoutedQueue first = changes.poll(30, TimeUnit.SECONDS);
      assertTrue(first.complete(), "the first snapshot names every account with items");
      assertEquals(Map.of("acc-1", List.of("mine-1"), "acc-2", List.of("mine-2")), ids(first));

      outbox.enqueue(OutboxItem.queued("theirs-2", "acc-3", "to", "4", clock.instant()));
      outbox.enqueue(OutboxItem.queued("mine-3", "acc-1", "to", "5", clock.instant()));
      RoutedQueue added = changes.poll(30, TimeUnit.SECONDS);
      assertFalse(added.complete());
      assertEquals(Map.of("acc-1", List.of("mine-1", "mine-3")), ids(added),
          "only the changed account, with its whole queue; the other instance's item is not delivered");

      outbox.markSending("mine-2", OWNER, "3EB0A2");
      assertEquals(Map.of("acc-2", List.of()), ids(changes.poll(30, TimeUnit.SECONDS)),
          "an item that left QUEUED empties its account's queue");

      // A document that does not read is reported once and left out; the account's other item stays.
      FIRESTORE.firestore().collection(io.wafleet.common.schema.FirestoreSchema.OUTBOX).document("mine-3")
          .update(io.wafleet.common.schema.FirestoreSchema.OutboxFields.ATTEMPTS, "many").get();
      assertEquals(Map.of("acc-1", List.of("mine-1")), ids(changes.poll(30, TimeUnit.SECONDS)));
      Exception corrupt = errors.poll(30, TimeUnit.SECONDS);
      assertTrue(corrupt instanceof CorruptDocumentException, String.valueOf(corrupt));
    }
    assertTrue(errors.isEmpty(), errors.toString());
    assertThrows(InvalidDocumentIdException.class, () -> outbox.watchRouted("a/b", c -> { }, e -> { }, e -> { }));
  }

  @Test
  void enqueue_routesTheItemToTheAccountsOwner_orToNoneWhenItHasNone() throws Exception {
    new AccountStore(FIRESTORE.firestore(), clock).create(
        Account.newAccount("acc-free", "f", "+40700000009", clock.instant()));
    outbox.enqueue(OutboxItem.queued("owned", "acc-1", "to", "1", clock.instant()));
    outbox.enqueue(OutboxItem.queued("free", "acc-free", "to", "2", clock.instant()));
    assertEquals("inst-a", route("owned"));
    assertNull(route("free"));
  }

  @Test
  void takeOverQueue_routesQueuedItemsToTheNewOwner_andReturnsThoseLeftSending() throws Exception {
    outbox.enqueue(OutboxItem.queued("q-1", "acc-1", "to", "1", clock.instant()));
    outbox.enqueue(OutboxItem.queued("q-2", "acc-1", "to", "2", clock.instant()));
    outbox.enqueue(OutboxItem.queued("s-1", "acc-1", "to", "3", clock.instant()));
    outbox.markSending("s-1", OWNER, "3EB0S1");
    outbox.enqueue(OutboxItem.queued("done", "acc-1", "to", "4", clock.instant()));
    outbox.markSending("done", OWNER, "3EB0D1");
    outbox.advance("done", OWNER, i -> withStatus(i, OutboxStatus.SENT, "3EB0D1"));
    assertEquals("inst-a", route("q-1"));

    Owner next = new Owner("inst-b", 2);
    FIRESTORE.firestore().collection(io.wafleet.common.schema.FirestoreSchema.ACCOUNTS).document("acc-1")
        .update("owner", Map.of("instanceId", "inst-b", "generation", 2L)).get();
    assertThrows(FencingException.class, () -> outbox.takeOverQueue("acc-1", new Owner("inst-c", 1)),
        "an instance that does not own the account is refused");
    assertEquals("inst-a", route("q-1"), "nothing rerouted by a refused owner");

    OutboxStore.QueueTakeover taken = outbox.takeOverQueue("acc-1", next);
    assertEquals(2, taken.rerouted());
    assertEquals(List.of("s-1"), taken.sending().stream().map(OutboxItem::id).toList());
    assertEquals("inst-b", route("q-1"));
    assertEquals("inst-b", route("q-2"));
    assertEquals(OutboxStatus.SENT, outbox.load("done").orElseThrow().status());
    assertEquals(0, outbox.takeOverQueue("acc-1", next).rerouted(), "a second takeover has nothing to move");
    outbox.advance("s-1", next, i -> withStatus(i, OutboxStatus.QUEUED, i.waMessageId()));
    assertEquals("inst-b", route("s-1"), "an owner's write routes the item to it");
  }

  private String route(String outboxId) throws Exception {
    return FIRESTORE.firestore().collection(io.wafleet.common.schema.FirestoreSchema.OUTBOX).document(outboxId).get()
        .get(30, TimeUnit.SECONDS).getString(io.wafleet.common.schema.FirestoreSchema.OutboxFields.ROUTE_INSTANCE_ID);
  }

  private static Map<String, List<String>> ids(RoutedQueue change) {
    Map<String, List<String>> out = new java.util.HashMap<>();
    change.byAccount().forEach((account, items) -> out.put(account, items.stream().map(OutboxItem::id).sorted().toList()));
    return out;
  }

  @Test
  void listDue_onlyQueuedAndDue_oldestFirst() {
    outbox.enqueue(OutboxItem.queued("b", "acc-1", "to", "2", clock.instant().plusSeconds(1)));
    outbox.enqueue(OutboxItem.queued("a", "acc-1", "to", "1", clock.instant()));
    outbox.enqueue(OutboxItem.queued("later", "acc-1", "to", "3", clock.instant().plusSeconds(60)));
    clock.advance(Duration.ofSeconds(2));
    assertEquals(List.of("a", "b"), outbox.listDue("acc-1", 10).stream().map(OutboxItem::id).toList());
  }

  @Test
  void markSending_staleOwner_isFenced() {
    outbox.enqueue(OutboxItem.queued("k", "acc-1", "to", "hi", clock.instant()));
    assertThrows(FencingException.class, () -> outbox.markSending("k", new Owner("inst-b", 1), "3EB0AA"));
    OutboxItem sending = outbox.markSending("k", OWNER, "3EB0AA");
    assertEquals(OutboxStatus.SENDING, sending.status());
    assertEquals(1, sending.attempts());
    assertThrows(IllegalStateException.class, () -> outbox.markSending("k", OWNER, "3EB0CC"));
  }

  @Test
  void markSending_again_underTheSameId_returnsTheItemUnchanged() {
    outbox.enqueue(OutboxItem.queued("k", "acc-1", "to", "hi", clock.instant()));
    OutboxItem first = outbox.markSending("k", OWNER, "3EB0AA");
    OutboxItem again = outbox.markSending("k", OWNER, "3EB0AA");
    assertEquals(first, again);
    assertEquals(1, outbox.load("k").orElseThrow().attempts());
    assertThrows(FencingException.class, () -> outbox.markSending("k", new Owner("inst-b", 1), "3EB0AA"));
  }

  @Test
  void advance_receiptsOutOfOrder_neverRegress() {
    outbox.enqueue(OutboxItem.queued("k", "acc-1", "to", "hi", clock.instant()));
    outbox.markSending("k", OWNER, "3EB0AA");
    outbox.advance("k", OWNER, i -> withStatus(i, OutboxStatus.SENT, "3EB0AA"));
    outbox.advance("k", OWNER, i -> withStatus(i, OutboxStatus.READ, i.waMessageId()));
    OutboxItem after = outbox.advance("k", OWNER, i -> withStatus(i, OutboxStatus.DELIVERED, i.waMessageId()));
    assertEquals(OutboxStatus.READ, after.status());
    assertEquals("3EB0AA", outbox.load("k").orElseThrow().waMessageId());
  }

  @Test
  void markSending_recordsTheWhatsAppId_foundByReceipt_andListedAsSending() {
    outbox.enqueue(OutboxItem.queued("k", "acc-1", "to", "hi", clock.instant()));
    outbox.enqueue(OutboxItem.queued("other", "acc-1", "to", "hi", clock.instant()));
    outbox.markSending("k", OWNER, "3EB0BB");
    assertEquals("k", outbox.findBySentId("acc-1", "3EB0BB").orElseThrow().id());
    assertTrue(outbox.findBySentId("acc-1", "3EB0CC").isEmpty());
    assertEquals(List.of("k"), outbox.takeOverQueue("acc-1", OWNER).sending().stream().map(OutboxItem::id).toList(),
        "listed as SENDING for the owner that takes the queue over");
  }

  @Test
  void advance_staleOwner_isFencedAndWritesNothing() {
    outbox.enqueue(OutboxItem.queued("k", "acc-1", "to", "hi", clock.instant()));
    outbox.markSending("k", OWNER, "3EB0AA");
    assertThrows(FencingException.class,
        () -> outbox.advance("k", new Owner("inst-a", 2), i -> withStatus(i, OutboxStatus.SENT, "3EB0ZZ")));
    assertThrows(FencingException.class,
        () -> outbox.advance("k", new Owner("inst-b", 1), i -> withStatus(i, OutboxStatus.FAILED, null)));
    OutboxItem stored = outbox.load("k").orElseThrow();
    assertEquals(OutboxStatus.SENDING, stored.status());
    assertEquals("3EB0AA", stored.waMessageId());
  }

  private static OutboxItem withStatus(OutboxItem i, OutboxStatus status, String waId) {
    return new OutboxItem(i.id(), i.accountId(), i.to(), i.text(), status, i.attempts(), i.nextAttemptAt(), waId,
        i.error(), i.createdAt(), i.updatedAt());
  }
}
