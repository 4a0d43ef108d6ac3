package io.wafleet.common.store;

import static io.wafleet.common.schema.FirestoreSchema.CONNECTORS;
import static io.wafleet.common.schema.FirestoreSchema.ConnectorFields.*;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.firestore.Transaction;
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

  /** Creates or extends this instance's lease to now + ttl. */
  public Lease renew(String instanceId, Duration ttl, String version, int accountsOwned, long memoryBytes) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new InvalidFieldException("ttl", "must be positive");
    }
    DocumentReference ref = ref(instanceId);
    return Futures.await(db.runTransaction(tx -> {
      DocumentSnapshot s = tx.get(ref).get();
      Instant now = clock.instant();
      Lease previous = s.exists() ? fromSnapshot(s) : null;
      Lease lease = new Lease(instanceId, now.plus(ttl), previous == null ? 1 : previous.generation(),
          previous == null ? now : previous.startedAt(), now, version, accountsOwned, memoryBytes);
      tx.set(ref, toMap(lease));
      return lease;
    }), "renew lease");
  }

  /** Ends this instance's lease at once, so peers may adopt its accounts without waiting. */
  public void release(String instanceId) {
    Futures.await(ref(instanceId).delete(), "release lease");
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

  /**
   * Claims an active account for {@code instanceId} if nobody live owns it, bumping the generation
   * (the fencing token). The claimer's own lease must be live. Returns the outcome; never throws
   * for a lost race.
   */
  public ClaimResult claim(String accountId, String instanceId) {
    DocumentReference accountRef = db.collection(io.wafleet.common.schema.FirestoreSchema.ACCOUNTS)
        .document(DocumentIds.require(accountId, "accountId"));
    DocumentReference mine = ref(instanceId);
    return Futures.await(db.runTransaction(tx -> {
      DocumentSnapshot accountSnap = tx.get(accountRef).get();
      if (!accountSnap.exists()) {
        return ClaimResult.refused(null, "account does not exist");
      }
      Account account = AccountMapper.fromSnapshot(accountSnap);
      Instant now = clock.instant();
      DocumentSnapshot mySnap = tx.get(mine).get();
      if (!mySnap.exists() || !fromSnapshot(mySnap).isLiveAt(now, Duration.ZERO)) {
        return ClaimResult.refused(account.owner(), "claimer has no live lease");
      }
      if (account.desired() != DesiredState.ACTIVE) {
        return ClaimResult.refused(account.owner(), "account is not active");
      }
      String why = claimable(tx, account.owner(), instanceId, now);
      if (why != null) {
        return ClaimResult.refused(account.owner(), why);
      }
      long generation = account.owner() == null ? 1 : account.owner().generation() + 1;
      Owner owner = new Owner(instanceId, generation);
      tx.set(accountRef, AccountMapper.toMap(account.toBuilder().owner(owner).updatedAt(now).build()));
      return ClaimResult.claimed(owner);
    }), "claim account");
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

  /** Null when {@code instanceId} may take the account; otherwise why not. The one predicate. */
  private String claimable(Transaction tx, Owner current, String instanceId, Instant now) throws Exception {
    if (current == null) {
      return null;
    }
    if (current.instanceId().equals(instanceId)) {
      return "already owned by this instance";
    }
    DocumentSnapshot holder = tx.get(ref(current.instanceId())).get();
    if (holder.exists() && fromSnapshot(holder).isLiveAt(now, skew)) {
      return "owned by a live instance";
    }
    return null;
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
    return m;
  }

  static Lease fromSnapshot(DocumentSnapshot s) {
    Fields f = new Fields(s);
    return new Lease(s.getId(), f.requiredInstant(LEASE_UNTIL), f.requiredLong(GENERATION),
        f.requiredInstant(STARTED_AT), f.requiredInstant(LAST_BEAT_AT), f.requiredString(VERSION),
        f.intOr(ACCOUNTS_OWNED, 0), f.longOr(MEMORY_BYTES, 0));
  }
}
