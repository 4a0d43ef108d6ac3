package io.wafleet.common.store;

import static io.wafleet.common.schema.FirestoreSchema.*;
import static io.wafleet.common.schema.FirestoreSchema.MetricFields.*;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import io.wafleet.common.model.Heartbeat;
import io.wafleet.common.model.Incident;
import io.wafleet.common.model.IncidentState;
import io.wafleet.common.model.Probe;
import io.wafleet.common.model.ProbeType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * wa_metrics/longrun: heartbeats, probes, incidents, locks, alert throttles and config. Ids are
 * derived from the trigger time or the subject, so a retried monitor overwrites instead of
 * duplicating. Thread-safe.
 */
public final class MetricsStore {

  private static final DateTimeFormatter MINUTE_ID =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter HOUR_ID =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HH").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter SECOND_ID =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

  private final Firestore db;
  private final Clock clock;

  public MetricsStore(Firestore db, Clock clock) {
    this.db = Objects.requireNonNull(db, "db == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  // ---- heartbeats -------------------------------------------------------------------------

  public static String heartbeatId(Instant at) {
    return MINUTE_ID.format(at.truncatedTo(ChronoUnit.MINUTES));
  }

  /** Writes the heartbeat of its minute; a retry of the same minute overwrites it. */
  public void storeHeartbeat(Heartbeat beat) {
    Map<String, Object> m = new HashMap<>();
    m.put(BUCKET, Fields.timestamp(beat.bucket().truncatedTo(ChronoUnit.MINUTES)));
    m.put(CONNECTORS_ALIVE, (long) beat.connectorsAlive());
    m.put(COUNTS_BY_STATUS, new HashMap<>(beat.countsByStatus()));
    m.put(AT, Fields.timestamp(beat.at()));
    Futures.await(db.collection(METRICS_HEARTBEATS).document(heartbeatId(beat.bucket())).set(m), "store heartbeat");
  }

  /** Heartbeats with bucket in [from, to), oldest first. */
  public List<Heartbeat> listHeartbeats(Instant from, Instant to) {
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
      out.add(new Heartbeat(f.requiredInstant(BUCKET), f.intOr(CONNECTORS_ALIVE, 0), counts, f.requiredInstant(AT)));
    }
    return out;
  }

  // ---- probes -----------------------------------------------------------------------------

  public static String probeId(ProbeType type, Instant at) {
    return type.name() + "_" + HOUR_ID.format(at);
  }

  public void storeProbe(Probe probe) {
    Map<String, Object> m = new HashMap<>();
    m.put(TYPE, probe.type().name());
    m.put(AT, Fields.timestamp(probe.at()));
    m.put(OK, probe.ok());
    m.put(LATENCY_MS, probe.latencyMs());
    m.put(ACCOUNT_ID, probe.accountId());
    m.put(ERROR, probe.error());
    Futures.await(db.collection(METRICS_PROBES).document(probeId(probe.type(), probe.at())).set(m), "store probe");
  }

  /** The most recent probes, newest first. */
  public List<Probe> listProbes(int limit) {
    AccountStore.requirePageSize(limit);
    Query q = db.collection(METRICS_PROBES).orderBy(AT, Query.Direction.DESCENDING).limit(limit);
    List<Probe> out = new ArrayList<>();
    for (QueryDocumentSnapshot d : Futures.await(q.get(), "list probes").getDocuments()) {
      Fields f = new Fields(d);
      out.add(new Probe(f.requiredEnum(TYPE, ProbeType.class), f.requiredInstant(AT), f.requiredBoolean(OK),
          f.longOr(LATENCY_MS, 0), f.optionalString(ACCOUNT_ID), f.optionalString(ERROR)));
    }
    return out;
  }

  // ---- incidents --------------------------------------------------------------------------

  /**
   * Opens the incident of this type for this subject, or returns the open one unchanged: a monitor
   * that fires every minute keeps one incident, not one per minute.
   */
  public Incident openIncident(String type, String subject, String detail) {
    String id = DocumentIds.require(Incident.activeId(type, subject), "incident");
    DocumentReference ref = db.collection(METRICS_INCIDENTS).document(id);
    return Futures.await(db.runTransaction(tx -> {
      DocumentSnapshot s = tx.get(ref).get();
      if (s.exists()) {
        return incidentFrom(s);
      }
      Incident incident = new Incident(id, type, subject, IncidentState.OPEN, detail, clock.instant(), null, null);
      tx.create(ref, incidentMap(incident));
      return incident;
    }), "open incident");
  }

  /**
   * Resolves an open incident: moves it to a historical id carrying its opening time and records
   * the time to recover. Empty when no incident with that id is open.
   */
  public Optional<Incident> resolveIncident(String incidentId, String resolution) {
    DocumentReference ref = db.collection(METRICS_INCIDENTS).document(DocumentIds.require(incidentId, "incidentId"));
    return Futures.await(db.runTransaction(tx -> {
      DocumentSnapshot s = tx.get(ref).get();
      if (!s.exists()) {
        return Optional.<Incident>empty();
      }
      Incident open = incidentFrom(s);
      if (open.state() != IncidentState.OPEN) {
        return Optional.<Incident>empty();
      }
      String historicalId = open.id() + "__" + SECOND_ID.format(open.openedAt());
      Incident resolved = new Incident(historicalId, open.type(), open.subject(), IncidentState.RESOLVED,
          open.detail(), open.openedAt(), clock.instant(), resolution);
      tx.set(db.collection(METRICS_INCIDENTS).document(historicalId), incidentMap(resolved));
      tx.delete(ref);
      return Optional.of(resolved);
    }), "resolve incident");
  }

  public Optional<Incident> loadIncident(String incidentId) {
    DocumentSnapshot s = Futures.await(
        db.collection(METRICS_INCIDENTS).document(DocumentIds.require(incidentId, "incidentId")).get(), "load incident");
    return s.exists() ? Optional.of(incidentFrom(s)) : Optional.empty();
  }

  /** Incidents in one state, most recently opened first. Index: {@link io.wafleet.common.schema.CompositeIndexes#INCIDENTS_BY_STATE}. */
  public List<Incident> listIncidents(IncidentState state, int limit) {
    AccountStore.requirePageSize(limit);
    Query q = db.collection(METRICS_INCIDENTS).whereEqualTo(STATE, state.name())
        .orderBy(OPENED_AT, Query.Direction.DESCENDING).limit(limit);
    List<Incident> out = new ArrayList<>();
    for (QueryDocumentSnapshot d : Futures.await(q.get(), "list incidents").getDocuments()) {
      out.add(incidentFrom(d));
    }
    return out;
  }

  // ---- locks and alert throttles ----------------------------------------------------------

  /**
   * Takes the named lock for {@code ttl} if it is free, expired or already ours. Monitors use it so
   * that two overlapping runs do not both act.
   */
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
  public Map<String, Map<String, Object>> listLocks() {
    Map<String, Map<String, Object>> out = new HashMap<>();
    for (QueryDocumentSnapshot d : Futures.await(db.collection(METRICS_LOCKS).get(), "list locks").getDocuments()) {
      Fields f = new Fields(d);
      out.put(d.getId(), Map.of(HOLDER, f.requiredString(HOLDER), LEASE_UNTIL, f.requiredInstant(LEASE_UNTIL)));
    }
    return out;
  }

  /**
   * Reserves the right to send an alert of this type: true at most once per {@code minInterval}
   * across every stateless instance, because the last-sent time lives in Firestore.
   */
  public boolean tryReserveAlert(String alertType, Duration minInterval) {
    DocumentReference ref = db.collection(METRICS_ALERTS).document(DocumentIds.require(alertType, "alertType"));
    return Futures.await(db.runTransaction(tx -> {
      DocumentSnapshot s = tx.get(ref).get();
      Instant now = clock.instant();
      if (s.exists()) {
        Instant last = new Fields(s).requiredInstant(LAST_SENT_AT);
        if (now.isBefore(last.plus(minInterval))) {
          return false;
        }
      }
      tx.set(ref, Map.of(LAST_SENT_AT, Fields.timestamp(now)));
      return true;
    }), "reserve alert");
  }

  // ---- config ------------------------------------------------------------------------------

  /** wa_metrics/longrun/config/current, empty when never written. */
  public Map<String, Object> loadConfig() {
    DocumentSnapshot s = Futures.await(
        db.collection(METRICS_CONFIG).document(METRICS_CONFIG_CURRENT).get(), "load config");
    Map<String, Object> data = s.exists() ? s.getData() : null;
    return data == null ? Map.of() : data;
  }

  public void storeConfig(Map<String, Object> values) {
    Futures.await(db.collection(METRICS_CONFIG).document(METRICS_CONFIG_CURRENT).set(values), "store config");
  }

  private static Map<String, Object> incidentMap(Incident i) {
    Map<String, Object> m = new HashMap<>();
    m.put(TYPE, i.type());
    m.put(SUBJECT, i.subject());
    m.put(STATE, i.state().name());
    m.put(DETAIL, i.detail());
    m.put(OPENED_AT, Fields.timestamp(i.openedAt()));
    m.put(RESOLVED_AT, Fields.timestamp(i.resolvedAt()));
    m.put(RESOLUTION, i.resolution());
    m.put(TIME_TO_RECOVER_SECONDS, i.timeToRecover().map(Duration::toSeconds).orElse(null));
    return m;
  }

  private static Incident incidentFrom(DocumentSnapshot s) {
    Fields f = new Fields(s);
    return new Incident(s.getId(), f.requiredString(TYPE), f.requiredString(SUBJECT),
        f.requiredEnum(STATE, IncidentState.class), f.optionalString(DETAIL), f.requiredInstant(OPENED_AT),
        f.optionalInstant(RESOLVED_AT), f.optionalString(RESOLUTION));
  }

}
