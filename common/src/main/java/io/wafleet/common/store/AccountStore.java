package io.wafleet.common.store;

import static io.wafleet.common.schema.FirestoreSchema.ACCOUNTS;
import static io.wafleet.common.schema.FirestoreSchema.AccountFields.DESIRED;
import static io.wafleet.common.schema.FirestoreSchema.AccountFields.LAST_DISCONNECT_AT;
import static io.wafleet.common.schema.FirestoreSchema.AccountFields.STATUS;
import static io.wafleet.common.schema.FirestoreSchema.AccountFields.UPDATED_AT;
import static io.wafleet.common.schema.FirestoreSchema.CONNECTORS;

import com.google.api.core.ApiFuture;
import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldPath;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.ListenerRegistration;
import com.google.cloud.firestore.Precondition;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.firestore.WriteBatch;
import com.google.cloud.firestore.WriteResult;
import io.wafleet.common.model.AccountCommand;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.DesiredState;
import io.wafleet.common.model.Owner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * accounts/{accountId}. Intent ({@code desired}, commands) is written by the API; observation
 * ({@code status} and the rest) only by the lease owner, through {@link #updateAsOwner}. Thread-safe.
 */
public final class AccountStore {

  public static final int MAX_PAGE_SIZE = 500;
  /** Attempts of an optimistic API-side write before {@link ContentionException}. */
  public static final int MAX_WRITE_ATTEMPTS = 3;
  /** Updates per {@link #updateAllAsOwner} commit (a Firestore transaction takes at most 500 writes). */
  public static final int MAX_UPDATES_PER_COMMIT = 100;
  /**
   * Read-and-write rounds of an {@link #updateAllAsOwner} commit before it gives up on lost races.
   * Few: one document another writer keeps changing (or keeps locked) fails every round, and the
   * caller can then write each update on its own rather than hold all of them back.
   */
  public static final int GROUPED_ATTEMPTS = 3;
  /** A precondition that no longer holds (the document changed or went), or a write aborted by a concurrent one. */
  private static final Set<StatusCode.Code> LOST_RACE =
      Set.of(StatusCode.Code.FAILED_PRECONDITION, StatusCode.Code.ABORTED, StatusCode.Code.NOT_FOUND);

  private final Firestore db;
  private final Clock clock;

  public AccountStore(Firestore db, Clock clock) {
    this.db = Objects.requireNonNull(db, "db == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  /** Creates the account; throws {@link AlreadyExistsStoreException} when the id is taken. */
  public Account create(Account account) {
    DocumentReference ref = ref(account.id());
    try {
      ref.create(AccountMapper.toMap(account)).get();
      return account;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AlreadyExistsException) {
        throw new AlreadyExistsStoreException(ref.getPath());
      }
      throw new StoreException("create " + ref.getPath() + " failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("create interrupted", e);
    }
  }

  public Optional<Account> load(String accountId) {
    DocumentSnapshot s = Futures.await(ref(accountId).get(), "load account");
    return s.exists() ? Optional.of(AccountMapper.fromSnapshot(s)) : Optional.empty();
  }

  /** Accounts in id order, {@code limit} at a time, starting after {@code afterId} (null: from the start). */
  public List<Account> list(int limit, String afterId) {
    requirePageSize(limit);
    Query q = db.collection(ACCOUNTS).orderBy(FieldPath.documentId()).limit(limit);
    if (afterId != null) {
      q = q.startAfter(DocumentIds.require(afterId, "after"));
    }
    return map(Futures.await(q.get(), "list accounts").getDocuments());
  }

  /** Every account the fleet should hold a socket for, in id order. */
  public List<Account> listDesired(DesiredState desired) {
    Query q = db.collection(ACCOUNTS).whereEqualTo(DESIRED, desired.name()).orderBy(FieldPath.documentId());
    return map(Futures.await(q.get(), "list accounts by desired").getDocuments());
  }

  /**
   * Every account whose status is not CONNECTED, in any desired state (the heartbeat's per-account
   * record). One read per such account: in a healthy fleet only the stopped and broken ones.
   */
  public List<Account> listNotConnected() {
    Query q = db.collection(ACCOUNTS).whereNotEqualTo(STATUS, AccountStatus.CONNECTED.name());
    return map(Futures.await(q.get(), "list accounts not connected").getDocuments());
  }

  /**
   * Every account whose {@code lastDisconnectAt} is at or after {@code since} (the monitors' reconnect
   * rate): one read per account that disconnected since then, none for a calm fleet. One range
   * filter on one field: served by the automatic single-field index.
   */
  public List<Account> listDisconnectedSince(Instant since) {
    Objects.requireNonNull(since, "since == null");
    Query q = db.collection(ACCOUNTS).whereGreaterThanOrEqualTo(LAST_DISCONNECT_AT,
        com.google.cloud.Timestamp.ofTimeSecondsAndNanos(since.getEpochSecond(), since.getNano()));
    return map(Futures.await(q.get(), "list accounts disconnected since").getDocuments());
  }

  /** Count per status, for heartbeats and health; one aggregation query per status. */
  public Map<AccountStatus, Long> countByStatus() {
    Map<AccountStatus, Long> counts = new EnumMap<>(AccountStatus.class);
    for (AccountStatus status : AccountStatus.values()) {
      long n = Futures.await(
          db.collection(ACCOUNTS).whereEqualTo(STATUS, status.name()).count().get(), "count accounts")
          .getCount();
      counts.put(status, n);
    }
    return counts;
  }

  /**
   * Applies an API-side change (intent, profile, command); the change must not touch observed
   * fields, and may run more than once. Optimistic: it reads the document, writes only the fields
   * the change altered, and only if the document has not changed since the read (its update time);
   * after {@link #MAX_WRITE_ATTEMPTS} lost races it throws {@link ContentionException} at once
   * rather than queueing behind other writers. Throws {@link NotFoundStoreException} when the
   * account is absent.
   */
  public Account update(String accountId, UnaryOperator<Account> change) {
    DocumentReference ref = ref(accountId);
    for (int attempt = 1; ; attempt++) {
      DocumentSnapshot s = Futures.await(ref.get(), "load account");
      if (!s.exists()) {
        throw new NotFoundStoreException(ref.getPath());
      }
      Account current = AccountMapper.fromSnapshot(s);
      Account changed = change.apply(current);
      Map<String, Object> fields = AccountMapper.changedFields(current, changed);
      if (fields.isEmpty()) {
        return current;
      }
      Account updated = withUpdatedAt(changed);
      fields.put(UPDATED_AT, Fields.timestamp(updated.updatedAt()));
      if (writeIfUnchanged(ref.update(fields, Precondition.updatedAt(s.getUpdateTime())), "update account")) {
        return updated;
      }
      if (attempt == MAX_WRITE_ATTEMPTS) {
        throw new ContentionException(ref.getPath(), attempt);
      }
    }
  }

  /** What {@link #markDeleted} decided. */
  public enum DeleteDecision {
    /** A live connector owns the account: it was asked to log the device out and delete it. */
    LOGOUT_REQUESTED,
    /** Nobody live owns it: ownership was cleared, so the session and the account may go now. */
    DELETE_NOW
  }

  /** The decision and the account as written with it. */
  public record MarkedDeleted(DeleteDecision decision, Account account) {}

  /**
   * Marks the account DELETED and decides, in one transaction with the read of its owner's lease,
   * who removes it. With a live owner ({@code leaseSkew} as in {@link LeaseStore}) the owner gets
   * {@code logout}; otherwise the owner is cleared, which fences a former owner's session writes,
   * and a claim can no longer take it (claims need ACTIVE). Only the changed fields are written.
   */
  public MarkedDeleted markDeleted(String accountId, AccountCommand logout, Duration leaseSkew) {
    Objects.requireNonNull(logout, "logout == null");
    DocumentReference ref = ref(accountId);
    return Futures.await(db.runTransaction(tx -> {
      DocumentSnapshot s = tx.get(ref).get();
      if (!s.exists()) {
        throw new NotFoundStoreException(ref.getPath());
      }
      Account current = AccountMapper.fromSnapshot(s);
      Instant now = clock.instant();
      boolean ownerLive = false;
      if (current.owner() != null) {
        DocumentSnapshot lease = tx.get(db.collection(CONNECTORS).document(current.owner().instanceId())).get();
        ownerLive = lease.exists() && LeaseStore.fromSnapshot(lease).isLiveAt(now, leaseSkew);
      }
      Account.Builder marked = current.toBuilder().desired(DesiredState.DELETED).updatedAt(now);
      Account updated = ownerLive ? marked.command(logout).build() : marked.owner(null).command(null).build();
      Map<String, Object> fields = AccountMapper.changedFields(current, updated);
      fields.put(UPDATED_AT, Fields.timestamp(now));
      tx.update(ref, fields);
      return new MarkedDeleted(ownerLive ? DeleteDecision.LOGOUT_REQUESTED : DeleteDecision.DELETE_NOW, updated);
    }), "mark account deleted");
  }

  /**
   * Deletes an account {@link #markDeleted} decided to delete now, only if it is still DELETED and
   * unowned and has not changed since this read; false when it changed (decide again). True when
   * it is gone, also when it was already gone.
   */
  public boolean deleteIfStillMarked(String accountId) {
    DocumentReference ref = ref(accountId);
    DocumentSnapshot s = Futures.await(ref.get(), "load account");
    if (!s.exists()) {
      return true;
    }
    Account current = AccountMapper.fromSnapshot(s);
    if (current.desired() != DesiredState.DELETED || current.owner() != null) {
      return false;
    }
    return writeIfUnchanged(ref.delete(Precondition.updatedAt(s.getUpdateTime())), "delete account");
  }

  /**
   * Applies an owner-side change (status and what the connector observed) only while {@code owner}
   * still owns the account; otherwise throws {@link FencingException}. The fencing check and the
   * write share one transaction.
   */
  public Account updateAsOwner(String accountId, Owner owner, UnaryOperator<Account> change) {
    Objects.requireNonNull(owner, "owner == null");
    DocumentReference ref = ref(accountId);
    return Futures.await(db.runTransaction(tx -> {
      DocumentSnapshot s = tx.get(ref).get();
      if (!s.exists()) {
        throw new NotFoundStoreException(ref.getPath());
      }
      Account current = AccountMapper.fromSnapshot(s);
      if (!owner.equals(current.owner())) {
        throw new FencingException(accountId, owner, current.owner());
      }
      Account updated = withUpdatedAt(usedPairingCodeCleared(change.apply(current)));
      if (!owner.equals(updated.owner()) || updated.ownerGeneration() != current.ownerGeneration()) {
        throw new IllegalArgumentException("an owner update must not change the owner");
      }
      tx.set(ref, AccountMapper.toMap(updated));
      return updated;
    }), "update account as owner");
  }

  /** One owner-only change of {@link #updateAllAsOwner}. */
  public record OwnerUpdate(String accountId, Owner owner, UnaryOperator<Account> change) {
    public OwnerUpdate {
      Objects.requireNonNull(accountId, "accountId == null");
      Objects.requireNonNull(owner, "owner == null");
      Objects.requireNonNull(change, "change == null");
    }
  }

  /**
   * What became of one {@link OwnerUpdate}: the account as written, or why it was not written
   * ({@link FencingException}, {@link NotFoundStoreException}, {@link CorruptDocumentException},
   * or the change's own {@link RuntimeException}).
   */
  public record OwnerUpdateOutcome(Account written, RuntimeException refused) {
    /** The written account, or the refusal thrown. */
    public Account orThrow() {
      if (refused != null) {
        throw refused;
      }
      return written;
    }
  }

  /**
   * {@link #updateAsOwner} for several accounts in one commit, so many status moves cost one write
   * to the store: each update is checked against its own account's owner and refused on its own
   * (its outcome says why) while the others are written. Updates of the same account apply in the
   * given order. Optimistic, not a transaction: the accounts are read, then written in one batch
   * with each document's update time as precondition, and read again on a lost race (at most
   * {@link #GROUPED_ATTEMPTS} times). A transaction keeps its documents locked until it ends, and one
   * left open by a process killed in the middle held its accounts' documents for about a minute
   * (every claim and write of a restarted connector on them failed meanwhile); a batch holds no lock
   * between its read and its commit. A failure of the commit as a whole (store unreachable, or lost
   * races on every attempt: {@link ContentionException}) throws {@link StoreException} and nothing
   * is written. At most {@link #MAX_UPDATES_PER_COMMIT} updates.
   */
  public List<OwnerUpdateOutcome> updateAllAsOwner(List<OwnerUpdate> updates) {
    Objects.requireNonNull(updates, "updates == null");
    if (updates.isEmpty()) {
      return List.of();
    }
    if (updates.size() > MAX_UPDATES_PER_COMMIT) {
      throw new IllegalArgumentException("at most " + MAX_UPDATES_PER_COMMIT + " updates per commit, got "
          + updates.size());
    }
    Map<String, DocumentReference> refs = new LinkedHashMap<>();
    for (OwnerUpdate u : updates) {
      refs.computeIfAbsent(u.accountId(), this::ref);
    }
    for (int attempt = 1; ; attempt++) {
      List<DocumentSnapshot> snapshots = Futures.await(db.getAll(refs.values().toArray(new DocumentReference[0])),
          "read accounts");
      Map<String, DocumentSnapshot> byId = new HashMap<>();
      for (DocumentSnapshot s : snapshots) {
        byId.put(s.getId(), s);
      }
      Map<String, Account> before = new HashMap<>();
      Map<String, Account> after = new LinkedHashMap<>();
      List<OwnerUpdateOutcome> outcomes = new ArrayList<>(updates.size());
      for (OwnerUpdate u : updates) {
        outcomes.add(apply(u, byId.get(u.accountId()), before, after));
      }
      WriteBatch batch = db.batch();
      for (Map.Entry<String, Account> e : after.entrySet()) {
        Map<String, Object> fields = AccountMapper.changedFields(before.get(e.getKey()), e.getValue());
        fields.put(UPDATED_AT, Fields.timestamp(e.getValue().updatedAt()));
        batch.update(refs.get(e.getKey()), fields, Precondition.updatedAt(byId.get(e.getKey()).getUpdateTime()));
      }
      if (after.isEmpty() || writeIfUnchanged(batch.commit(), "update accounts as owner")) {
        return outcomes;
      }
      if (attempt == GROUPED_ATTEMPTS) {
        throw new ContentionException(ACCOUNTS + " (" + refs.size() + " accounts)", attempt);
      }
    }
  }

  /**
   * One update inside {@link #updateAllAsOwner}: {@code before} gets each account as read,
   * {@code after} each account as changed so far.
   */
  private OwnerUpdateOutcome apply(OwnerUpdate u, DocumentSnapshot snapshot, Map<String, Account> before,
      Map<String, Account> after) {
    try {
      Account current = after.get(u.accountId());
      if (current == null) {
        if (snapshot == null || !snapshot.exists()) {
          throw new NotFoundStoreException(ref(u.accountId()).getPath());
        }
        current = AccountMapper.fromSnapshot(snapshot);
      }
      if (!u.owner().equals(current.owner())) {
        throw new FencingException(u.accountId(), u.owner(), current.owner());
      }
      Account updated = withUpdatedAt(usedPairingCodeCleared(u.change().apply(current)));
      if (!u.owner().equals(updated.owner()) || updated.ownerGeneration() != current.ownerGeneration()) {
        throw new IllegalArgumentException("an owner update must not change the owner");
      }
      before.putIfAbsent(u.accountId(), current);
      after.put(u.accountId(), updated);
      return new OwnerUpdateOutcome(updated, null);
    } catch (RuntimeException e) {
      return new OwnerUpdateOutcome(null, e);
    }
  }

  public void delete(String accountId) {
    Futures.await(ref(accountId).delete(), "delete account");
  }

  /**
   * Listens to every account whose desired state is {@code desired}; the consumer gets the full
   * current list on each change (Firestore fires once at once with the initial snapshot). Errors
   * reach {@code onError}; the registration stays until removed.
   */
  public ListenerRegistration listen(DesiredState desired, Consumer<List<Account>> onChange, Consumer<Exception> onError) {
    return listenTo(db.collection(ACCOUNTS).whereEqualTo(DESIRED, desired.name()), onChange, onError);
  }

  /**
   * Listens to every account owned by {@code instanceId} (whatever its desired state): how an owner
   * sees the API's {@code desired} and {@code command} changes. Same contract as
   * {@link #listen(DesiredState, Consumer, Consumer)}.
   */
  public ListenerRegistration listenOwnedBy(String instanceId, Consumer<List<Account>> onChange,
      Consumer<Exception> onError) {
    String field = io.wafleet.common.schema.FirestoreSchema.AccountFields.OWNER + "."
        + io.wafleet.common.schema.FirestoreSchema.AccountFields.OWNER_INSTANCE_ID;
    return listenTo(db.collection(ACCOUNTS).whereEqualTo(field, instanceId), onChange, onError);
  }

  /**
   * The listeners' one shape: the full current list on each change, of which only the changed
   * documents are read ({@link LiveAccounts}). A document that does not map goes to {@code onError}
   * and is left out; the others are still delivered.
   */
  private static ListenerRegistration listenTo(Query query, Consumer<List<Account>> onChange,
      Consumer<Exception> onError) {
    LiveAccounts live = new LiveAccounts();
    return query.addSnapshotListener((snap, error) -> {
      if (error != null) {
        onError.accept(error);
        return;
      }
      try {
        List<Account> current = live.apply(snap, onError::accept);
        if (current != null) {
          onChange.accept(current);
        }
      } catch (RuntimeException e) {
        onError.accept(e);
      }
    });
  }

  /** A pairing code is single-use: once the account is connected it has been used, so it goes. */
  private static Account usedPairingCodeCleared(Account a) {
    if (a.status() != AccountStatus.CONNECTED || a.pairingCode() == null) {
      return a;
    }
    return a.toBuilder().pairingCode(null).pairingCodeExpiresAt(null).build();
  }

  /** Awaits a write made with a precondition: false when the precondition failed (the document changed). */
  private static boolean writeIfUnchanged(ApiFuture<?> write, String what) {
    try {
      write.get();
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(what + ": interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ApiException api && LOST_RACE.contains(api.getStatusCode().getCode())) {
        return false;
      }
      throw new StoreException(what + " failed: " + e.getCause(), e.getCause());
    }
  }

  DocumentReference ref(String accountId) {
    return db.collection(ACCOUNTS).document(DocumentIds.require(accountId, "accountId"));
  }

  private Account withUpdatedAt(Account a) {
    return a.toBuilder().updatedAt(clock.instant()).build();
  }

  private static List<Account> map(List<QueryDocumentSnapshot> docs) {
    List<Account> out = new ArrayList<>(docs.size());
    for (QueryDocumentSnapshot d : docs) {
      out.add(AccountMapper.fromSnapshot(d));
    }
    return out;
  }

  static void requirePageSize(int limit) {
    if (limit < 1 || limit > MAX_PAGE_SIZE) {
      throw new InvalidFieldException("limit", "must be between 1 and " + MAX_PAGE_SIZE);
    }
  }
}
