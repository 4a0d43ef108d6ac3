package io.wafleet.common.store;

import static io.wafleet.common.schema.FirestoreSchema.*;
import static io.wafleet.common.schema.FirestoreSchema.MetricFields.*;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import io.wafleet.common.model.Incident;
import io.wafleet.common.model.IncidentState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * wa_metrics/longrun/incidents. An open incident lives at {@link Incident#activeId}, so a monitor
 * that fires every minute keeps one incident, not one per minute; resolving moves it to a
 * historical id carrying its opening time and records the time to recover. Thread-safe.
 */
public final class IncidentStore {

  private static final DateTimeFormatter SECOND_ID =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

  /** What {@link #openOrTouch} did: {@code created} is true only for the run that opened it. */
  public record Opening(Incident incident, boolean created) {}

  private final Firestore db;
  private final Clock clock;

  public IncidentStore(Firestore db, Clock clock) {
    this.db = Objects.requireNonNull(db, "db == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  /**
   * Opens the incident of this type for this subject, opened at {@code since} (when the condition
   * began, not when it was noticed); or, when it is already open, records that it was checked now and
   * changes nothing else.
   */
  public Opening openOrTouch(String type, String subject, String detail, Instant since) {
    String id = DocumentIds.require(Incident.activeId(type, subject), "incident");
    DocumentReference ref = db.collection(METRICS_INCIDENTS).document(id);
    return Futures.await(db.runTransaction(tx -> {
      DocumentSnapshot s = tx.get(ref).get();
      Instant now = clock.instant();
      if (s.exists()) {
        Incident touched = incidentFrom(s).checkedAt(now);
        tx.update(ref, LAST_CHECKED_AT, Fields.timestamp(now));
        return new Opening(touched, false);
      }
      Incident incident = new Incident(id, type, subject, IncidentState.OPEN, detail, since, null, null, now);
      tx.create(ref, incidentMap(incident));
      return new Opening(incident, true);
    }), "open incident");
  }

  /** Opens (or keeps) the incident with the condition starting now. */
  public Incident open(String type, String subject, String detail) {
    return openOrTouch(type, subject, detail, clock.instant()).incident();
  }

  /**
   * Resolves an open incident: moves it to a historical id carrying its opening time and records
   * the time to recover. Empty when no incident with that id is open, so a doubled run resolves once.
   */
  public Optional<Incident> resolve(String incidentId, String resolution) {
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
      Instant now = clock.instant();
      String historicalId = open.id() + "__" + SECOND_ID.format(open.openedAt());
      Incident resolved = new Incident(historicalId, open.type(), open.subject(), IncidentState.RESOLVED,
          open.detail(), open.openedAt(), now, resolution, now);
      tx.set(db.collection(METRICS_INCIDENTS).document(historicalId), incidentMap(resolved));
      tx.delete(ref);
      return Optional.of(resolved);
    }), "resolve incident");
  }

  public Optional<Incident> load(String incidentId) {
    DocumentSnapshot s = Futures.await(
        db.collection(METRICS_INCIDENTS).document(DocumentIds.require(incidentId, "incidentId")).get(), "load incident");
    return s.exists() ? Optional.of(incidentFrom(s)) : Optional.empty();
  }

  /** Incidents in one state, most recently opened first. Index: {@link io.wafleet.common.schema.CompositeIndexes#INCIDENTS_BY_STATE}. */
  public List<Incident> list(IncidentState state, int limit) {
    AccountStore.requirePageSize(limit);
    return read(db.collection(METRICS_INCIDENTS).whereEqualTo(STATE, state.name())
        .orderBy(OPENED_AT, Query.Direction.DESCENDING).limit(limit));
  }

  /** Every open incident of one type (the guards compare them with what they observe). */
  public List<Incident> listOpen(String type) {
    return read(db.collection(METRICS_INCIDENTS).whereEqualTo(STATE, IncidentState.OPEN.name())
        .whereEqualTo(TYPE, type));
  }

  /** Incidents opened in [from, to), oldest first (single-field index on openedAt). */
  public List<Incident> listOpenedBetween(Instant from, Instant to) {
    return read(db.collection(METRICS_INCIDENTS).whereGreaterThanOrEqualTo(OPENED_AT, Fields.timestamp(from))
        .whereLessThan(OPENED_AT, Fields.timestamp(to)).orderBy(OPENED_AT));
  }

  /** Incidents resolved in [from, to), oldest first; open ones have no resolvedAt and never match. */
  public List<Incident> listResolvedBetween(Instant from, Instant to) {
    return read(db.collection(METRICS_INCIDENTS).whereGreaterThanOrEqualTo(RESOLVED_AT, Fields.timestamp(from))
        .whereLessThan(RESOLVED_AT, Fields.timestamp(to)).orderBy(RESOLVED_AT));
  }

  private static List<Incident> read(Query q) {
    List<Incident> out = new ArrayList<>();
    for (QueryDocumentSnapshot d : Futures.await(q.get(), "list incidents").getDocuments()) {
      out.add(incidentFrom(d));
    }
    return out;
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
    m.put(LAST_CHECKED_AT, Fields.timestamp(i.lastCheckedAt()));
    return m;
  }

  private static Incident incidentFrom(DocumentSnapshot s) {
    Fields f = new Fields(s);
    return new Incident(s.getId(), f.requiredString(TYPE), f.requiredString(SUBJECT),
        f.requiredEnum(STATE, IncidentState.class), f.optionalString(DETAIL), f.requiredInstant(OPENED_AT),
        f.optionalInstant(RESOLVED_AT), f.optionalString(RESOLUTION), f.optionalInstant(LAST_CHECKED_AT));
  }
}
