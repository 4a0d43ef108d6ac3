package io.wafleet.common.store;

import static io.wafleet.common.schema.FirestoreSchema.CONNECTORS;
import static io.wafleet.common.schema.FirestoreSchema.ConnectorFields.*;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.ListenerRegistration;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.firestore.Transaction;
import com.google.cloud.firestore.TransactionOptions;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.DesiredState;
import io.wafleet.common.model.Lease;
import io.wafleet.common.model.Owner;
import java.time.Clock;
import java.time.Duration;
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
 * connectors/{instanceId} leases and the account claims that depend on them (docs/architecture.md,
 * "Leases"). Claim, renew and take-over are transactions whose read and write share
 * one predicate, {@link #claimable}. Transactions are pure: no effects inside. Thread-safe.
 */
public final class LeaseStore {

  private final Firestore db;
  private final Clock clock;
  private final Duration skew;

  /** @param skew how much longer than it says a peer's lease is treated as live (clock differences) */
  public LeaseStore(Firestore db, Clock clock, Duration skew) {
    this.db = Objects.requireNonNull(db, "db == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.skew = Objects.requireNonNull(skew, "skew == null");
    if (skew.isNegative()) {
      throw new IllegalArgumentException("skew < 0");
    }
  }

  /**
   * Creates or extends this instance's lease to now + ttl for a caller that holds the id alone and
   * has no incarnation (tests, tools): the same as {@link #renew(String, String, Duration, String, int, long)}
   * with the empty incarnation.
   */
  public Lease renew(String instanceId, Duration ttl, String version, int accountsOwned, long memoryBytes) {
    return renew(instanceId, "", ttl, version, accountsOwned, memoryBytes);
  }

  /**
   * Extends the lease of {@code incarnation} to now + ttl (created when absent, e.g. deleted by hand).
   *
   * @throws LeaseReplacedException when another process has taken the lease under the same id: the
   *     caller must stop holding anything at once
   */
  public Lease renew(String instanceId, String incarnation, Duration ttl, String version, int accountsOwned,
      long memoryBytes) {
    requirePositive(ttl);
    Objects.requireNonNull(incarnation, "incarnation == null");
    DocumentReference ref = ref(instanceId);
    return Futures.await(db.runTransaction(tx -> {
      DocumentSnapshot s = tx.get(ref).get();
      Instant now = clock.instant();
      Lease previous = s.exists() ? fromSnapshot(s) : null;
      if (previous != null && !previous.incarnation().equals(incarnation)) {
        throw new LeaseReplacedException(instanceId, incarnation, previous.incarnation());
      }
      Lease lease = previous == null
          ? new Lease(instanceId, now.plus(ttl), 1, now, now, version, accountsOwned, memoryBytes, incarnation, "", now)
          : new Lease(instanceId, now.plus(ttl), previous.generation(), previous.startedAt(), now, version,
              accountsOwned, memoryBytes, incarnation, previous.holder(), previous.reclaimAfter());
      tx.set(ref, toMap(lease));
      return lease;
    }), "renew lease");
  }

  /**
   * A new process takes this instance id's lease: writes its own {@code incarnation} (a process
   * still renewing the earlier one finds it replaced and stops), bumps the lease generation, and sets
   * when it may take back the accounts still owned under this id. That is at once when the earlier
   * lease ran out (plus skew) or when the earlier process is known to be gone ({@code holderLockHeld}:
   * the caller holds the lock of the same {@code holder}, which a live process under this id on that
   * host would hold); otherwise when the earlier lease plus skew runs out.
   */
  public LeaseTakeOver takeOver(String instanceId, String incarnation, String holder, boolean holderLockHeld,
      Duration ttl, String version, int accountsOwned, long memoryBytes) {
    requirePositive(ttl);
    Objects.requireNonNull(incarnation, "incarnation == null");
    Objects.requireNonNull(holder, "holder == null");
    DocumentReference ref = ref(instanceId);
    return Futures.await(db.runTransaction(tx -> {
      DocumentSnapshot s = tx.get(ref).get();
      Instant now = clock.instant();
      Lease previous = s.exists() ? fromSnapshot(s) : null;
      boolean earlierGone = previous == null || !previous.isLiveAt(now, skew)
          || (holderLockHeld && !holder.isEmpty() && holder.equals(previous.holder()));
      Instant reclaimAfter = earlierGone ? now : previous.leaseUntil().plus(skew);
      Lease lease = new Lease(instanceId, now.plus(ttl), previous == null ? 1 : previous.generation() + 1, now, now,
          version, accountsOwned, memoryBytes, incarnation, holder, reclaimAfter);
      tx.set(ref, toMap(lease));
      return new LeaseTakeOver(lease, previous);
    }), "take over lease");
  }

  /**
   * The earlier process under this id is known to be gone (its host lock came free): {@code incarnation}
   * may take back the accounts at once. False when the lease is no longer this incarnation's.
   */
  public boolean allowReclaim(String instanceId, String incarnation) {
    DocumentReference ref = ref(instanceId);
    return Futures.await(db.runTransaction(tx -> {
      DocumentSnapshot s = tx.get(ref).get();
      if (!s.exists()) {
        return false;
      }
      Lease lease = fromSnapshot(s);
      if (!lease.incarnation().equals(incarnation)) {
        return false;
      }
      Instant now = clock.instant();
      if (lease.reclaimAfter().isAfter(now)) {
        tx.update(ref, RECLAIM_AFTER, Fields.timestamp(now));
      }
      return true;
    }), "allow reclaim");
  }

  /**
   * Listens to this instance's lease document; the consumer gets it (empty when deleted) on every
   * change, on Firestore's listener thread: hand the work on.
   */
  public ListenerRegistration listen(String instanceId, Consumer<Optional<Lease>> onChange,
      Consumer<Exception> onError) {
    return ref(instanceId).addSnapshotListener((snap, error) -> {
      if (error != null) {
        onError.accept(error);
        return;
      }
      try {
        onChange.accept(snap != null && snap.exists() ? Optional.of(fromSnapshot(snap)) : Optional.empty());
      } catch (RuntimeException e) {
        onError.accept(e);
      }
    });
  }

  /** How much longer than it says a peer's lease is treated as live. */
  public Duration skew() {
    return skew;
  }

  /** Ends this instance's lease at once, so peers may adopt its accounts without waiting. */
  public void release(String instanceId) {
    Futures.await(ref(instanceId).delete(), "release lease");
  }

  /** Ends the lease if {@code incarnation} still holds it (a replaced process never deletes its successor's). */
  public boolean release(String instanceId, String incarnation) {
    DocumentReference ref = ref(instanceId);
    return Futures.await(db.runTransaction(tx -> {
      DocumentSnapshot s = tx.get(ref).get();
      if (!s.exists() || !fromSnapshot(s).incarnation().equals(incarnation)) {
        return false;
      }
      tx.delete(ref);
      return true;
    }), "release lease");
  }

  public Optional<Lease> load(String instanceId) {
    DocumentSnapshot s = Futures.await(ref(instanceId).get(), "load lease");
    return s.exists() ? Optional.of(fromSnapshot(s)) : Optional.empty();
  }

  public List<Lease> list() {
    List<Lease> out = new ArrayList<>();
    for (QueryDocumentSnapshot d : Futures.await(db.collection(CONNECTORS).get(), "list leases").getDocuments()) {
      out.add(fromSnapshot(d));
    }
    return out;
  }

  /** The most accounts one {@link #claimBatch} transaction takes (Firestore: 500 writes per transaction). */
  public static final int MAX_BATCH = 500;
  /**
   * Attempts of one claim transaction (the client library's default is 5). A claim that cannot
   * commit is best given up soon: the caller's next pass claims again, and an account whose
   * document stays locked (a transaction a killed process left open holds its lock until the store
   * expires it) must not hold the claimer up for five lock timeouts.
   */
  public static final int CLAIM_ATTEMPTS = 2;
  private static final TransactionOptions CLAIM_OPTIONS =
      TransactionOptions.createReadWriteOptionsBuilder().setNumberOfAttempts(CLAIM_ATTEMPTS).build();

  /**
   * Claims an active account for {@code instanceId} if nobody live owns it, bumping the generation
   * (the fencing token): a batch of one ({@link #claimBatch}). Never throws for a lost race.
   */
  public ClaimResult claim(String accountId, String instanceId) {
    return claimBatch(List.of(accountId), instanceId).get(accountId);
  }

  /**
   * Claims, in one transaction, each account of {@code accountIds} (at most {@link #MAX_BATCH},
   * duplicates count once) that is active and has no live owner, bumping each one's generation (the
   * fencing token). Either every claim of the outcome is written or none is (the transaction fails
   * as a whole, with a {@link StoreException}). Returns one outcome per distinct id, in the given
   * order; never throws for a lost race. An account document that cannot be read is refused on its
   * own, so it does not hold back the rest of the batch.
   *
   * <p>The claimer's own lease must be live; it is read once per batch, <em>before</em> the
   * transaction and outside it. Read inside, every claim transaction holds a lock on the very
   * document the lease renewal writes, and with claims back to back the renewal waited until the
   * lease was declared lost (docs/benchmarks.md, 1,000 accounts). Outside is safe because the
   * fencing does not rest on it: an account's holder lease is still read inside the transaction, so
   * a claim never takes an account from a live owner, and an account claimed just as this lease
   * runs out is claimable by a peer once it has, with a higher generation.
   */
  public Map<String, ClaimResult> claimBatch(List<String> accountIds, String instanceId) {
    return claimBatch(accountIds, instanceId, UnaryOperator.identity());
  }

  /**
   * As {@link #claimBatch(List, String)}, and each claimed account also gets {@code onClaim} in the
   * claim's own write: the new owner's first move (the connector writes its CONNECTING there, which
   * saves a transaction per account on a restore). {@code onClaim} must not change the owner, the
   * generation or the desired state.
   */
  public Map<String, ClaimResult> claimBatch(List<String> accountIds, String instanceId,
      UnaryOperator<Account.Builder> onClaim) {
    Objects.requireNonNull(accountIds, "accountIds == null");
    Objects.requireNonNull(onClaim, "onClaim == null");
    List<String> ids = List.copyOf(new java.util.LinkedHashSet<>(accountIds));
    if (ids.size() > MAX_BATCH) {
      throw new InvalidFieldException("accountIds", "more than " + MAX_BATCH + " accounts in one claim batch");
    }
    DocumentReference[] accountRefs = ids.stream()
        .map(id -> db.collection(io.wafleet.common.schema.FirestoreSchema.ACCOUNTS)
            .document(DocumentIds.require(id, "accountId")))
        .toArray(DocumentReference[]::new);
    if (ids.isEmpty()) {
      return Map.of();
    }
    Lease myLease = load(instanceId).orElse(null);
    return Futures.await(db.runTransaction(tx -> {
      // Every read before any write (a Firestore transaction's rule): the accounts in one round
      // trip, then the distinct peers' leases in a second.
      List<DocumentSnapshot> snaps = tx.getAll(accountRefs).get();
      Instant now = clock.instant();
      boolean live = myLease != null && myLease.isLiveAt(now, Duration.ZERO);
      Map<String, ClaimResult> out = new java.util.LinkedHashMap<>();
      Map<String, Account> readable = new java.util.LinkedHashMap<>();
      java.util.Set<String> peers = new java.util.TreeSet<>();
      for (int i = 0; i < ids.size(); i++) {
        String id = ids.get(i);
        DocumentSnapshot s = snaps.get(i);
        if (!s.exists()) {
          out.put(id, ClaimResult.refused(null, "account does not exist"));
          continue;
        }
        Account account;
        try {
          account = AccountMapper.fromSnapshot(s);
        } catch (CorruptDocumentException e) {
          out.put(id, ClaimResult.refused(null, "account document unreadable: " + e.getMessage()));
          continue;
        }
        if (!live) {
          out.put(id, ClaimResult.refused(account.owner(), "claimer has no live lease"));
        } else if (account.desired() != DesiredState.ACTIVE) {
          out.put(id, ClaimResult.refused(account.owner(), "account is not active"));
        } else {
          readable.put(id, account);
          out.put(id, null);
          if (account.owner() != null && !account.owner().instanceId().equals(instanceId)) {
            peers.add(account.owner().instanceId());
          }
        }
      }
      Map<String, Lease> peerLeases = loadAll(tx, peers);
      for (Map.Entry<String, Account> e : readable.entrySet()) {
        Account account = e.getValue();
        Owner current = account.owner();
        Lease holder = current == null ? null
            : current.instanceId().equals(instanceId) ? myLease : peerLeases.get(current.instanceId());
        String why = claimRefusal(current, holder, myLease, now, skew);
        if (why != null) {
          out.put(e.getKey(), ClaimResult.refused(current, why));
          continue;
        }
        // The counter survives releases, so a claim after a release still gets a never-used token.
        long generation = Math.max(account.ownerGeneration(), current == null ? 0 : current.generation()) + 1;
        Owner owner = new Owner(instanceId, generation);
        Account claimed = onClaim.apply(account.toBuilder()).owner(owner).ownerGeneration(generation)
            .desired(account.desired()).updatedAt(now).build();
        tx.set(accountRefs[ids.indexOf(e.getKey())], AccountMapper.toMap(claimed));
        out.put(e.getKey(), ClaimResult.claimed(owner));
      }
      return out;
    }, CLAIM_OPTIONS), "claim accounts");
  }

  /** Gives an account up (shutdown, stop, delete) if {@code owner} still holds it. */
  public boolean releaseAccount(String accountId, Owner owner) {
    DocumentReference accountRef = db.collection(io.wafleet.common.schema.FirestoreSchema.ACCOUNTS)
        .document(DocumentIds.require(accountId, "accountId"));
    return Futures.await(db.runTransaction(tx -> {
      DocumentSnapshot s = tx.get(accountRef).get();
      if (!s.exists()) {
        return false;
      }
      Account account = AccountMapper.fromSnapshot(s);
      if (!owner.equals(account.owner())) {
        return false;
      }
      tx.set(accountRef, AccountMapper.toMap(account.toBuilder().owner(null).updatedAt(clock.instant()).build()));
      return true;
    }), "release account");
  }

  /**
   * Takes over the deletion of an account whose owner died before finishing it: the API marked it
   * DELETED and asked its then live owner to log the device out (202), and that owner's lease has
   * since run out ({@link #claimRefusal}, the claims' own rule: lease plus skew, or for an earlier
   * process under the claimer's own id once reclaiming is allowed). Bumps the generation as a claim
   * does, so the dead owner is fenced; the new owner finishes the deletion. Refused when the account
   * is not DELETED (a claim of {@link #claimBatch} takes active ones) or has no owner (the API
   * deletes an unowned account itself). As in {@link #claimBatch}, the claimer's own lease is read
   * once, outside the transaction, and must be live; never throws for a lost race.
   */
  public ClaimResult claimForDeletion(String accountId, String instanceId) {
    DocumentReference accountRef = db.collection(io.wafleet.common.schema.FirestoreSchema.ACCOUNTS)
        .document(DocumentIds.require(accountId, "accountId"));
    Lease myLease = load(instanceId).orElse(null);
    return Futures.await(db.runTransaction(tx -> {
      DocumentSnapshot s = tx.get(accountRef).get();
      if (!s.exists()) {
        return ClaimResult.refused(null, "account does not exist");
      }
      Account account;
      try {
        account = AccountMapper.fromSnapshot(s);
      } catch (CorruptDocumentException e) {
        return ClaimResult.refused(null, "account document unreadable: " + e.getMessage());
      }
      Instant now = clock.instant();
      Owner current = account.owner();
      if (myLease == null || !myLease.isLiveAt(now, Duration.ZERO)) {
        return ClaimResult.refused(current, "claimer has no live lease");
      }
      if (account.desired() != DesiredState.DELETED) {
        return ClaimResult.refused(current, "account is not being deleted");
      }
      if (current == null) {
        return ClaimResult.refused(null, "account has no owner");
      }
      Lease holder = current.instanceId().equals(instanceId) ? myLease
          : loadAll(tx, List.of(current.instanceId())).get(current.instanceId());
      String why = claimRefusal(current, holder, myLease, now, skew);
      if (why != null) {
        return ClaimResult.refused(current, why);
      }
      long generation = Math.max(account.ownerGeneration(), current.generation()) + 1;
      Owner owner = new Owner(instanceId, generation);
      tx.set(accountRef, AccountMapper.toMap(
          account.toBuilder().owner(owner).ownerGeneration(generation).updatedAt(now).build()));
      return ClaimResult.claimed(owner);
    }), "claim account for deletion");
  }

  /**
   * Null when the holder of {@code mine} may claim an account whose owner is {@code current};
   * otherwise why not. The one predicate, used inside the claim transaction and, on a snapshot of
   * the leases, to pick candidates before any transaction.
   *
   * @param holderLease the lease of {@code current}'s instance (null when absent); {@code mine} when
   *     that is the claimer's own id
   * @param mine the claimer's own lease
   */
  public static String claimRefusal(Owner current, Lease holderLease, Lease mine, Instant now, Duration skew) {
    if (current == null) {
      return null;
    }
    if (current.instanceId().equals(mine.instanceId())) {
      // Owned under this id: by an earlier process (this one runs only what it claimed, and the
      // caller never claims what it runs), which may be gone already or may still hold sockets.
      return now.isBefore(mine.reclaimAfter())
          ? "owned under this instance id by an earlier process until " + mine.reclaimAfter() : null;
    }
    if (holderLease != null && holderLease.isLiveAt(now, skew)) {
      return "owned by a live instance";
    }
    return null;
  }

  /** The leases of {@code instanceIds} that exist, by id, read in one round trip of {@code tx}. */
  private Map<String, Lease> loadAll(Transaction tx, java.util.Collection<String> instanceIds) throws Exception {
    Map<String, Lease> out = new HashMap<>();
    if (instanceIds.isEmpty()) {
      return out;
    }
    for (DocumentSnapshot s : tx.getAll(instanceIds.stream().map(this::ref).toArray(DocumentReference[]::new)).get()) {
      if (s.exists()) {
        out.put(s.getId(), fromSnapshot(s));
      }
    }
    return out;
  }

  private static void requirePositive(Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new InvalidFieldException("ttl", "must be positive");
    }
  }

  private DocumentReference ref(String instanceId) {
    return db.collection(CONNECTORS).document(DocumentIds.require(instanceId, "instanceId"));
  }

  private static Map<String, Object> toMap(Lease lease) {
    Map<String, Object> m = new HashMap<>();
    m.put(LEASE_UNTIL, Fields.timestamp(lease.leaseUntil()));
    m.put(GENERATION, lease.generation());
    m.put(STARTED_AT, Fields.timestamp(lease.startedAt()));
    m.put(LAST_BEAT_AT, Fields.timestamp(lease.lastBeatAt()));
    m.put(VERSION, lease.version());
    m.put(ACCOUNTS_OWNED, (long) lease.accountsOwned());
    m.put(MEMORY_BYTES, lease.memoryBytes());
    m.put(INCARNATION, lease.incarnation());
    m.put(HOLDER, lease.holder());
    m.put(RECLAIM_AFTER, Fields.timestamp(lease.reclaimAfter()));
    return m;
  }

  static Lease fromSnapshot(DocumentSnapshot s) {
    Fields f = new Fields(s);
    Instant startedAt = f.requiredInstant(STARTED_AT);
    String incarnation = f.optionalString(INCARNATION);
    String holder = f.optionalString(HOLDER);
    Instant reclaimAfter = f.optionalInstant(RECLAIM_AFTER);
    return new Lease(s.getId(), f.requiredInstant(LEASE_UNTIL), f.requiredLong(GENERATION), startedAt,
        f.requiredInstant(LAST_BEAT_AT), f.requiredString(VERSION), f.intOr(ACCOUNTS_OWNED, 0),
        f.longOr(MEMORY_BYTES, 0), incarnation == null ? "" : incarnation, holder == null ? "" : holder,
        reclaimAfter == null ? startedAt : reclaimAfter);
  }
}
