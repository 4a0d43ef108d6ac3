package io.wafleet.common.store;

import static io.wafleet.common.schema.FirestoreSchema.ACCOUNTS;
import static io.wafleet.common.schema.FirestoreSchema.OUTBOX;
import static io.wafleet.common.schema.FirestoreSchema.OutboxFields.*;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.ListenerRegistration;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.firestore.Transaction;
import io.wafleet.common.model.DesiredState;
import io.wafleet.common.model.OutboxItem;
import io.wafleet.common.model.OutboxStatus;
import io.wafleet.common.model.Owner;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * outbox/{outboxId}. The id is the caller's idempotency key: enqueueing the same request twice
 * returns the first item, never a second message. Status only moves forward. Thread-safe.
 */
public final class OutboxStore {

  private final Firestore db;
  private final Clock clock;

  public OutboxStore(Firestore db, Clock clock) {
    this.db = Objects.requireNonNull(db, "db == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  /** The outcome of an enqueue: the stored item, and whether this call created it. */
  public record Enqueued(OutboxItem item, boolean created) {}

  /**
   * Stores a QUEUED item unless one with the same id exists. The same request again returns the
   * stored item; a different request under the same id throws {@link IdempotencyConflictException}.
   * A new item needs its account to exist ({@link NotFoundStoreException}) and not be marked
   * DELETED ({@link AccountDeletingException}); that is read in the same transaction, so a delete
   * decided concurrently either sees the item or is seen by it.
   */
  public Enqueued enqueue(OutboxItem item) {
    validate(item);
    DocumentReference ref = ref(item.id());
    DocumentReference accountRef = db.collection(ACCOUNTS).document(item.accountId());
    return Futures.await(db.runTransaction(tx -> {
      DocumentSnapshot s = tx.get(ref).get();
      DocumentSnapshot account = tx.get(accountRef).get();
      if (!s.exists()) {
        if (!account.exists()) {
          throw new NotFoundStoreException(accountRef.getPath());
        }
        if (new Fields(account).requiredEnum(io.wafleet.common.schema.FirestoreSchema.AccountFields.DESIRED,
            DesiredState.class) == DesiredState.DELETED) {
          throw new AccountDeletingException(item.accountId());
        }
      }
      if (s.exists()) {
        OutboxItem existing = fromSnapshot(s);
        if (!existing.sameRequestAs(item)) {
          throw new IdempotencyConflictException(item.id());
        }
        return new Enqueued(existing, false);
      }
      Map<String, Object> stored = toMap(item);
      Owner accountOwner = AccountMapper.owner(new Fields(account));
      stored.put(ROUTE_INSTANCE_ID, accountOwner == null ? null : accountOwner.instanceId());
      tx.create(ref, stored);
      return new Enqueued(item, true);
    }), "enqueue");
  }

  public Optional<OutboxItem> load(String outboxId) {
    DocumentSnapshot s = Futures.await(ref(outboxId).get(), "load outbox item");
    return s.exists() ? Optional.of(fromSnapshot(s)) : Optional.empty();
  }

  /**
   * The item of {@code accountId} sent under WhatsApp id {@code waMessageId} (a receipt names only
   * that id), if any. Equality on two fields: served by single-field indexes.
   */
  public Optional<OutboxItem> findBySentId(String accountId, String waMessageId) {
    Query q = db.collection(OUTBOX)
        .whereEqualTo(ACCOUNT_ID, DocumentIds.require(accountId, "accountId"))
        .whereEqualTo(WA_MESSAGE_ID, Objects.requireNonNull(waMessageId, "waMessageId == null"))
        .limit(1);
    List<OutboxItem> found = map(Futures.await(q.get(), "find outbox item by sent id").getDocuments());
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /** QUEUED items of one account whose next attempt is due, oldest due first. Index: {@link io.wafleet.common.schema.CompositeIndexes#OUTBOX_DUE}. */
  public List<OutboxItem> listDue(String accountId, int limit) {
    AccountStore.requirePageSize(limit);
    Query q = db.collection(OUTBOX)
        .whereEqualTo(ACCOUNT_ID, DocumentIds.require(accountId, "accountId"))
        .whereEqualTo(STATUS, OutboxStatus.QUEUED.name())
        .whereLessThanOrEqualTo(NEXT_ATTEMPT_AT, Fields.timestamp(clock.instant()))
        .orderBy(NEXT_ATTEMPT_AT)
        .limit(limit);
    return map(Futures.await(q.get(), "list due outbox").getDocuments());
  }

  /**
   * Watches the QUEUED items routed to connector instance {@code instanceId}
   * ({@link io.wafleet.common.schema.FirestoreSchema.OutboxFields#ROUTE_INSTANCE_ID}): one listener
   * per instance whatever the number of accounts it holds, and never the queues of accounts other
   * instances hold. Each snapshot hands {@code onQueue} the accounts it changed with their full
   * current lists ({@link RoutedQueue}), on Firestore's listener thread, so the consumer must only
   * hand it over. A document that does not map goes to {@code onCorrupt} once (until it changes) and
   * is left out; errors that end the listener go to {@code onError}. Close the returned handle to
   * stop. Equality filters only: served by the single-field indexes, no composite index.
   */
  public AutoCloseable watchRouted(String instanceId, Consumer<RoutedQueue> onQueue,
      Consumer<CorruptDocumentException> onCorrupt, Consumer<Exception> onError) {
    DocumentIds.require(instanceId, "instanceId");
    Objects.requireNonNull(onQueue, "onQueue == null");
    Objects.requireNonNull(onCorrupt, "onCorrupt == null");
    Objects.requireNonNull(onError, "onError == null");
    RoutedQueueView view = new RoutedQueueView();
    ListenerRegistration registration = db.collection(OUTBOX)
        .whereEqualTo(ROUTE_INSTANCE_ID, instanceId)
        .whereEqualTo(STATUS, OutboxStatus.QUEUED.name())
        .addSnapshotListener((snapshot, error) -> {
          if (error != null) {
            onError.accept(error);
            return;
          }
          if (snapshot == null) {
            return;
          }
          // Handed over inside the view's lock so two snapshots never reach the consumer out of order.
          view.apply(snapshot, onCorrupt, onQueue);
        });
    return registration::remove;
  }

  /**
   * What {@code owner} does with an account's queue when the account connects on it: QUEUED items
   * routed to another instance (a previous owner, or none) are routed to {@code owner}'s instance, so
   * its {@link #watchRouted} listener delivers them, and the items left in SENDING are returned (a
   * crash between a send and its SENT write leaves them; they are resent under the same WhatsApp id).
   * The rerouting is checked against the owner in each transaction (up to
   * {@link #MAX_REROUTES_PER_COMMIT} items each; {@link FencingException} when {@code owner} no longer
   * owns the account) and skips items that left QUEUED meanwhile. Equality and {@code in} on two
   * fields: served by single-field indexes.
   */
  public QueueTakeover takeOverQueue(String accountId, Owner owner) {
    DocumentIds.require(accountId, "accountId");
    Objects.requireNonNull(owner, "owner == null");
    Query q = db.collection(OUTBOX)
        .whereEqualTo(ACCOUNT_ID, accountId)
        .whereIn(STATUS, List.of(OutboxStatus.QUEUED.name(), OutboxStatus.SENDING.name()));
    List<OutboxItem> sending = new ArrayList<>();
    List<DocumentReference> elsewhere = new ArrayList<>();
    for (QueryDocumentSnapshot d : Futures.await(q.get(), "take over outbox queue").getDocuments()) {
      if (OutboxStatus.SENDING.name().equals(d.get(STATUS))) {
        sending.add(fromSnapshot(d));
      } else if (!owner.instanceId().equals(d.get(ROUTE_INSTANCE_ID))) {
        elsewhere.add(d.getReference());
      }
    }
    int rerouted = 0;
    for (int from = 0; from < elsewhere.size(); from += MAX_REROUTES_PER_COMMIT) {
      List<DocumentReference> chunk = elsewhere.subList(from, Math.min(elsewhere.size(), from + MAX_REROUTES_PER_COMMIT));
      rerouted += Futures.await(db.runTransaction(tx -> {
        requireOwner(tx, accountId, owner);
        int moved = 0;
        for (DocumentSnapshot s : tx.getAll(chunk.toArray(DocumentReference[]::new)).get()) {
          if (s.exists() && OutboxStatus.QUEUED.name().equals(s.get(STATUS))
              && !owner.instanceId().equals(s.get(ROUTE_INSTANCE_ID))) {
            tx.update(s.getReference(), ROUTE_INSTANCE_ID, owner.instanceId());
            moved++;
          }
        }
        return moved;
      }), "reroute outbox items");
    }
    return new QueueTakeover(List.copyOf(sending), rerouted);
  }

  /** Most items one rerouting transaction of {@link #takeOverQueue} writes (Firestore allows 500). */
  public static final int MAX_REROUTES_PER_COMMIT = 100;

  /** What {@link #takeOverQueue} found: the items left in SENDING, and how many QUEUED it rerouted. */
  public record QueueTakeover(List<OutboxItem> sending, int rerouted) {}

  /**
   * Watches one item (the monitor's outbound probe waits for its server ack this way): each snapshot
   * of an existing item goes to {@code onChange} on Firestore's listener thread, so the consumer must
   * only hand it over. Errors go to {@code onError}; close the returned handle to stop.
   */
  public AutoCloseable watchItem(String outboxId, Consumer<OutboxItem> onChange, Consumer<Exception> onError) {
    Objects.requireNonNull(onChange, "onChange == null");
    Objects.requireNonNull(onError, "onError == null");
    ListenerRegistration registration = db.collection(OUTBOX).document(DocumentIds.require(outboxId, "outboxId"))
        .addSnapshotListener((snapshot, error) -> {
          if (error != null) {
            onError.accept(error);
            return;
          }
          if (snapshot == null || !snapshot.exists()) {
            return;
          }
          try {
            onChange.accept(fromSnapshot(snapshot));
          } catch (StoreException e) {
            onError.accept(e);
          }
        });
    return registration::remove;
  }

  /**
   * Watches the {@code limit} oldest QUEUED items across the fleet (the monitor's queue probe waits
   * for a backlog to drain this way): each snapshot hands {@code onQueued} those items, oldest
   * first, on Firestore's listener thread, so the consumer must only hand them over. Errors go to
   * {@code onError}; close the returned handle to stop. Index: as {@link #listByStatus}.
   */
  public AutoCloseable watchOldestQueued(int limit, Consumer<List<OutboxItem>> onQueued, Consumer<Exception> onError) {
    AccountStore.requirePageSize(limit);
    Objects.requireNonNull(onQueued, "onQueued == null");
    Objects.requireNonNull(onError, "onError == null");
    ListenerRegistration registration = db.collection(OUTBOX)
        .whereEqualTo(STATUS, OutboxStatus.QUEUED.name()).orderBy(CREATED_AT).limit(limit)
        .addSnapshotListener((snapshot, error) -> {
          if (error != null) {
            onError.accept(error);
            return;
          }
          if (snapshot == null) {
            return;
          }
          List<OutboxItem> items = new ArrayList<>();
          for (QueryDocumentSnapshot d : snapshot.getDocuments()) {
            try {
              items.add(fromSnapshot(d));
            } catch (StoreException e) {
              onError.accept(e);
              return;
            }
          }
          onQueued.accept(items);
        });
    return registration::remove;
  }

  /**
   * Items in one status across the fleet (queue depth, stuck SENDING), oldest first. Index:
   * {@link io.wafleet.common.schema.CompositeIndexes#OUTBOX_BY_STATUS}.
   */
  public List<OutboxItem> listByStatus(OutboxStatus status, int limit) {
    AccountStore.requirePageSize(limit);
    Query q = db.collection(OUTBOX).whereEqualTo(STATUS, status.name()).orderBy(CREATED_AT).limit(limit);
    return map(Futures.await(q.get(), "list outbox by status").getDocuments());
  }

  public long countByStatus(OutboxStatus status) {
    return Futures.await(db.collection(OUTBOX).whereEqualTo(STATUS, status.name()).count().get(), "count outbox")
        .getCount();
  }

  /**
   * Moves an item to SENDING for an attempt under WhatsApp id {@code waMessageId} (recorded before
   * the send, so a receipt that overtakes the SENT write still finds its item), only while
   * {@code owner} owns its account; the fencing check and the write share a transaction, so two
   * instances never send the same item at once. An item the owner already marked SENDING under the
   * same id is returned unchanged.
   */
  public OutboxItem markSending(String outboxId, Owner owner, String waMessageId) {
    Objects.requireNonNull(waMessageId, "waMessageId == null");
    DocumentReference ref = ref(outboxId);
    return Futures.await(db.runTransaction(tx -> {
      DocumentSnapshot s = tx.get(ref).get();
      if (!s.exists()) {
        throw new NotFoundStoreException(ref.getPath());
      }
      OutboxItem item = fromSnapshot(s);
      requireOwner(tx, item.accountId(), owner);
      if (item.status() == OutboxStatus.SENDING && waMessageId.equals(item.waMessageId())) {
        // Already marked under this id by the owner: a transaction whose commit landed but whose
        // answer was lost is run again by the client, and must not leave the item SENDING unsent.
        return item;
      }
      if (item.status() != OutboxStatus.QUEUED) {
        throw new IllegalStateException("outbox item " + outboxId + " is " + item.status() + ", not QUEUED");
      }
      OutboxItem sending = copy(item, OutboxStatus.SENDING, item.attempts() + 1, item.nextAttemptAt(),
          waMessageId, null);
      tx.set(ref, routed(sending, owner));
      return sending;
    }), "mark sending");
  }

  /**
   * Moves an item forward (SENT, DELIVERED, READ, FAILED) or back to QUEUED for a retry, only while
   * {@code owner} owns its account (checked in the same transaction; a stale owner gets
   * {@link FencingException} and nothing is written). A backward or repeated status is ignored
   * (receipts arrive out of order). Returns the stored item.
   */
  public OutboxItem advance(String outboxId, Owner owner, UnaryOperator<OutboxItem> change) {
    Objects.requireNonNull(owner, "owner == null");
    DocumentReference ref = ref(outboxId);
    return Futures.await(db.runTransaction(tx -> {
      DocumentSnapshot s = tx.get(ref).get();
      if (!s.exists()) {
        throw new NotFoundStoreException(ref.getPath());
      }
      OutboxItem current = fromSnapshot(s);
      requireOwner(tx, current.accountId(), owner);
      OutboxItem next = change.apply(current);
      boolean retry = current.status() == OutboxStatus.SENDING && next.status() == OutboxStatus.QUEUED;
      if (next.status() != current.status() && !retry && !current.status().canMoveTo(next.status())) {
        return current;
      }
      OutboxItem stored = copy(next, next.status(), next.attempts(), next.nextAttemptAt(), next.waMessageId(),
          next.error());
      tx.set(ref, routed(stored, owner));
      return stored;
    }), "advance outbox item");
  }

  /** Reads the account inside {@code tx} and refuses when {@code owner} is not its current owner. */
  private void requireOwner(Transaction tx, String accountId, Owner owner) throws Exception {
    DocumentSnapshot account = tx.get(db.collection(ACCOUNTS).document(accountId)).get();
    Owner current = account.exists() ? AccountMapper.owner(new Fields(account)) : null;
    if (!owner.equals(current)) {
      throw new FencingException(accountId, owner, current);
    }
  }

  private OutboxItem copy(OutboxItem i, OutboxStatus status, int attempts, Instant nextAttemptAt,
      String waMessageId, String error) {
    return new OutboxItem(i.id(), i.accountId(), i.to(), i.text(), status, attempts, nextAttemptAt, waMessageId,
        error, i.createdAt(), clock.instant());
  }

  private static void validate(OutboxItem item) {
    DocumentIds.require(item.id(), "idempotencyKey");
    DocumentIds.require(item.accountId(), "accountId");
    if (item.text().isEmpty()) {
      throw new InvalidFieldException("text", "is empty");
    }
    if (item.text().length() > OutboxItem.MAX_TEXT_LENGTH) {
      throw new InvalidFieldException("text", "is longer than " + OutboxItem.MAX_TEXT_LENGTH + " characters");
    }
    if (item.to().isBlank()) {
      throw new InvalidFieldException("to", "is empty");
    }
  }

  private DocumentReference ref(String outboxId) {
    return db.collection(OUTBOX).document(DocumentIds.require(outboxId, "outboxId"));
  }

  private static Map<String, Object> toMap(OutboxItem i) {
    Map<String, Object> m = new HashMap<>();
    m.put(ACCOUNT_ID, i.accountId());
    m.put(TO, i.to());
    m.put(TEXT, i.text());
    m.put(STATUS, i.status().name());
    m.put(ATTEMPTS, (long) i.attempts());
    m.put(NEXT_ATTEMPT_AT, Fields.timestamp(i.nextAttemptAt()));
    m.put(WA_MESSAGE_ID, i.waMessageId());
    m.put(ERROR, i.error());
    m.put(CREATED_AT, Fields.timestamp(i.createdAt()));
    m.put(UPDATED_AT, Fields.timestamp(i.updatedAt()));
    return m;
  }

  /** The item as an owner writes it: routed to the owner's instance. */
  private static Map<String, Object> routed(OutboxItem i, Owner owner) {
    Map<String, Object> m = toMap(i);
    m.put(ROUTE_INSTANCE_ID, owner.instanceId());
    return m;
  }

  static OutboxItem fromSnapshot(DocumentSnapshot s) {
    Fields f = new Fields(s);
    return new OutboxItem(s.getId(), f.requiredString(ACCOUNT_ID), f.requiredString(TO), f.requiredString(TEXT),
        f.requiredEnum(STATUS, OutboxStatus.class), f.intOr(ATTEMPTS, 0), f.optionalInstant(NEXT_ATTEMPT_AT),
        f.optionalString(WA_MESSAGE_ID), f.optionalString(ERROR), f.requiredInstant(CREATED_AT),
        f.requiredInstant(UPDATED_AT));
  }

  private static List<OutboxItem> map(List<QueryDocumentSnapshot> docs) {
    List<OutboxItem> out = new ArrayList<>(docs.size());
    for (QueryDocumentSnapshot d : docs) {
      out.add(fromSnapshot(d));
    }
    return out;
  }
}
