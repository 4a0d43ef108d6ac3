package io.wafleet.common.store;

import static io.wafleet.common.schema.FirestoreSchema.*;
import static io.wafleet.common.schema.FirestoreSchema.MetricFields.*;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import io.wafleet.common.model.Probe;
import io.wafleet.common.model.ProbeType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * wa_metrics/longrun/probes: one result per probe type per hour ({TYPE}_{YYYYMMDDTHH}), so a
 * retried probe run of the same hour overwrites its result. Thread-safe.
 */
public final class ProbeStore {

  private static final DateTimeFormatter HOUR_ID =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HH").withZone(ZoneOffset.UTC);

  private final Firestore db;

  public ProbeStore(Firestore db) {
    this.db = Objects.requireNonNull(db, "db == null");
  }

  public static String probeId(ProbeType type, Instant at) {
    return type.name() + "_" + HOUR_ID.format(at);
  }

  public void store(Probe probe) {
    Map<String, Object> m = new HashMap<>();
    m.put(TYPE, probe.type().name());
    m.put(AT, Fields.timestamp(probe.at()));
    m.put(OK, probe.ok());
    m.put(LATENCY_MS, probe.latencyMs());
    m.put(ACCOUNT_ID, probe.accountId());
    m.put(ERROR, probe.error());
    Futures.await(db.collection(METRICS_PROBES).document(probeId(probe.type(), probe.at())).set(m), "store probe");
  }

  /** The result stored for {@code type} in the hour holding {@code at}, if any. */
  public java.util.Optional<Probe> load(ProbeType type, Instant at) {
    com.google.cloud.firestore.DocumentSnapshot s = Futures.await(
        db.collection(METRICS_PROBES).document(probeId(type, at)).get(), "load probe");
    return s.exists() ? java.util.Optional.of(probeFrom(new Fields(s))) : java.util.Optional.empty();
  }

  /** The most recent probes, newest first. */
  public List<Probe> listRecent(int limit) {
    AccountStore.requirePageSize(limit);
    return read(db.collection(METRICS_PROBES).orderBy(AT, Query.Direction.DESCENDING).limit(limit));
  }

  /** Every probe with {@code at} in [from, to), oldest first (single-field index on at). */
  public List<Probe> list(Instant from, Instant to) {
    return read(db.collection(METRICS_PROBES).whereGreaterThanOrEqualTo(AT, Fields.timestamp(from))
        .whereLessThan(AT, Fields.timestamp(to)).orderBy(AT));
  }

  private static List<Probe> read(Query q) {
    List<Probe> out = new ArrayList<>();
    for (QueryDocumentSnapshot d : Futures.await(q.get(), "list probes").getDocuments()) {
      out.add(probeFrom(new Fields(d)));
    }
    return out;
  }

  private static Probe probeFrom(Fields f) {
    return new Probe(f.requiredEnum(TYPE, ProbeType.class), f.requiredInstant(AT), f.requiredBoolean(OK),
        f.longOr(LATENCY_MS, 0), f.optionalString(ACCOUNT_ID), f.optionalString(ERROR));
  }
}
