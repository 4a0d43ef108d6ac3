package io.wafleet.common.store;

import static io.wafleet.common.schema.FirestoreSchema.*;
import static io.wafleet.common.schema.FirestoreSchema.MetricFields.*;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import io.wafleet.common.model.Heartbeat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * wa_metrics/longrun/heartbeats: one document per minute, its id derived from the minute, so a
 * retried or doubled heartbeat run overwrites its minute instead of adding one. Thread-safe.
 */
public final class HeartbeatStore {

  private static final DateTimeFormatter MINUTE_ID =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm").withZone(ZoneOffset.UTC);

  private final Firestore db;

  public HeartbeatStore(Firestore db) {
    this.db = Objects.requireNonNull(db, "db == null");
  }

  /** The document id of the minute holding {@code at}: "2026-11-23T10-00". */
  public static String heartbeatId(Instant at) {
    return MINUTE_ID.format(at.truncatedTo(ChronoUnit.MINUTES));
  }

  /** Writes the heartbeat of its minute; a retry of the same minute overwrites it. */
  public void store(Heartbeat beat) {
    Map<String, Object> m = new HashMap<>();
    m.put(BUCKET, Fields.timestamp(beat.bucket().truncatedTo(ChronoUnit.MINUTES)));
    m.put(CONNECTORS_ALIVE, (long) beat.connectorsAlive());
    m.put(COUNTS_BY_STATUS, new HashMap<>(beat.countsByStatus()));
    m.put(CONNECTOR_MEMORY_BYTES, beat.connectorMemoryBytes());
    m.put(DRIFT_MS, beat.driftMs());
    m.put(AT, Fields.timestamp(beat.at()));
    m.put(ACCOUNTS_NOT_CONNECTED, new HashMap<>(beat.accountsNotConnected()));
    Futures.await(db.collection(METRICS_HEARTBEATS).document(heartbeatId(beat.bucket())).set(m), "store heartbeat");
  }

  /** The minute of the oldest stored heartbeat: when heartbeats began; empty before the first. */
  public java.util.Optional<Instant> firstBucket() {
    List<QueryDocumentSnapshot> docs = Futures.await(
        db.collection(METRICS_HEARTBEATS).orderBy(BUCKET).limit(1).get(), "first heartbeat").getDocuments();
    return docs.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(new Fields(docs.get(0)).requiredInstant(BUCKET));
  }

  /** Heartbeats with bucket in [from, to), oldest first. */
  public List<Heartbeat> list(Instant from, Instant to) {
    Query q = db.collection(METRICS_HEARTBEATS).whereGreaterThanOrEqualTo(BUCKET, Fields.timestamp(from))
        .whereLessThan(BUCKET, Fields.timestamp(to)).orderBy(BUCKET);
    List<Heartbeat> out = new ArrayList<>();
    for (QueryDocumentSnapshot d : Futures.await(q.get(), "list heartbeats").getDocuments()) {
      Fields f = new Fields(d);
      Map<String, Long> counts = new HashMap<>();
      Map<String, Object> raw = f.optionalMap(COUNTS_BY_STATUS);
      if (raw != null) {
        raw.forEach((k, v) -> {
          if (!(v instanceof Long n)) {
            throw new CorruptDocumentException(f.path(), COUNTS_BY_STATUS + "." + k, "is not an integer");
          }
          counts.put(k, n);
        });
      }
      Map<String, String> notConnected = new HashMap<>();
      Map<String, Object> rawNotConnected = f.optionalMap(ACCOUNTS_NOT_CONNECTED);
      if (rawNotConnected != null) {
        rawNotConnected.forEach((k, v) -> {
          if (!(v instanceof String status)) {
            throw new CorruptDocumentException(f.path(), ACCOUNTS_NOT_CONNECTED + "." + k, "is not a string");
          }
          notConnected.put(k, status);
        });
      }
      out.add(new Heartbeat(f.requiredInstant(BUCKET), f.intOr(CONNECTORS_ALIVE, 0), counts,
          f.longOr(CONNECTOR_MEMORY_BYTES, 0), f.longOr(DRIFT_MS, 0), f.requiredInstant(AT), notConnected));
    }
    return out;
  }
}
