package io.wafleet.common.store;

import static io.wafleet.common.schema.FirestoreSchema.*;
import static io.wafleet.common.schema.FirestoreSchema.MetricFields.*;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * wa_metrics/longrun/locks/{name}: short leases that keep two overlapping monitor runs from both
 * acting. Thread-safe.
 */
public final class LockStore {

  private final Firestore db;
  private final Clock clock;

  public LockStore(Firestore db, Clock clock) {
    this.db = Objects.requireNonNull(db, "db == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  /** Takes the named lock for {@code ttl} if it is free, expired or already ours. */
  public boolean tryLock(String name, String holder, Duration ttl) {
    DocumentReference ref = db.collection(METRICS_LOCKS).document(DocumentIds.require(name, "lock"));
    return Futures.await(db.runTransaction(tx -> {
      DocumentSnapshot s = tx.get(ref).get();
      Instant now = clock.instant();
      if (s.exists()) {
        Fields f = new Fields(s);
        boolean live = now.isBefore(f.requiredInstant(LEASE_UNTIL));
        if (live && !holder.equals(f.requiredString(HOLDER))) {
          return false;
        }
      }
      tx.set(ref, Map.of(HOLDER, holder, LEASE_UNTIL, Fields.timestamp(now.plus(ttl))));
      return true;
    }), "lock");
  }

  public void unlock(String name, String holder) {
    DocumentReference ref = db.collection(METRICS_LOCKS).document(DocumentIds.require(name, "lock"));
    Futures.await(db.runTransaction(tx -> {
      DocumentSnapshot s = tx.get(ref).get();
      if (s.exists() && holder.equals(new Fields(s).requiredString(HOLDER))) {
        tx.delete(ref);
      }
      return null;
    }), "unlock");
  }

  /** Every lock document: name → (holder, leaseUntil). */
  public Map<String, Map<String, Object>> list() {
    Map<String, Map<String, Object>> out = new HashMap<>();
    for (QueryDocumentSnapshot d : Futures.await(db.collection(METRICS_LOCKS).get(), "list locks").getDocuments()) {
      Fields f = new Fields(d);
      out.put(d.getId(), Map.of(HOLDER, f.requiredString(HOLDER), LEASE_UNTIL, f.requiredInstant(LEASE_UNTIL)));
    }
    return out;
  }
}
