package io.wafleet.common.store;

import static io.wafleet.common.schema.FirestoreSchema.ACCOUNTS;
import static io.wafleet.common.schema.FirestoreSchema.AccountFields.DESIRED;
import static io.wafleet.common.schema.FirestoreSchema.AccountFields.STATUS;

import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldPath;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.ListenerRegistration;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.DesiredState;
import io.wafleet.common.model.Owner;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * accounts/{accountId}. Intent ({@code desired}, commands) is written by the API; observation
 * ({@code status} and the rest) only by the lease owner, through {@link #updateAsOwner}. Thread-safe.
 */
public final class AccountStore {

  public static final int MAX_PAGE_SIZE = 500;

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
   * Applies an API-side change (intent, profile, command) in a transaction; the change must not touch
   * observed fields. Throws {@link NotFoundStoreException} when the account is absent.
   */
  public Account update(String accountId, UnaryOperator<Account> change) {
    DocumentReference ref = ref(accountId);
    return Futures.await(db.runTransaction(tx -> {
      DocumentSnapshot s = tx.get(ref).get();
      if (!s.exists()) {
        throw new NotFoundStoreException(ref.getPath());
      }
      Account updated = withUpdatedAt(change.apply(AccountMapper.fromSnapshot(s)));
      tx.set(ref, AccountMapper.toMap(updated));
      return updated;
    }), "update account");
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
      Account updated = withUpdatedAt(change.apply(current));
      if (!owner.equals(updated.owner())) {
        throw new IllegalArgumentException("an owner update must not change the owner");
      }
      tx.set(ref, AccountMapper.toMap(updated));
      return updated;
    }), "update account as owner");
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
    return db.collection(ACCOUNTS).whereEqualTo(DESIRED, desired.name()).addSnapshotListener((snap, error) -> {
      if (error != null) {
        onError.accept(error);
        return;
      }
      try {
        onChange.accept(map(snap.getDocuments()));
      } catch (RuntimeException e) {
        onError.accept(e);
      }
    });
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
