package io.wafleet.common.store;

import static io.wafleet.common.schema.FirestoreSchema.*;
import static io.wafleet.common.schema.FirestoreSchema.MetricFields.*;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.Firestore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * wa_metrics/longrun/alerts/{type}__{subject}: when an alert of a type about a subject was last
 * sent, since when its condition held, and whether its recovery was sent. Functions are stateless,
 * so the throttle lives here and holds across every instance. One document per type and subject is
 * one episode at a time: a reservation starts an episode (recovery not sent), {@link #markRecovered}
 * ends it once. Thread-safe.
 */
public final class AlertStateStore {

  private final Firestore db;
  private final Clock clock;

  public AlertStateStore(Firestore db, Clock clock) {
    this.db = Objects.requireNonNull(db, "db == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  public static String alertId(String alertType, String subject) {
    return alertType + "__" + subject;
  }

  /** {@link #tryReserve(String, String, Duration, Instant)} with the condition starting now. */
  public boolean tryReserve(String alertType, String subject, Duration minInterval) {
    return tryReserve(alertType, subject, minInterval, clock.instant());
  }

  /**
   * Reserves the right to send an alert of this type about this subject: true at most once per
   * {@code minInterval}, decided in a transaction so two instances cannot both win. A reservation
   * records {@code since} (when the condition began) and clears any recovery mark.
   */
  public boolean tryReserve(String alertType, String subject, Duration minInterval, Instant since) {
    Objects.requireNonNull(since, "since == null");
    DocumentReference ref = ref(alertType, subject);
    return Futures.await(db.runTransaction(tx -> {
      DocumentSnapshot s = tx.get(ref).get();
      Instant now = clock.instant();
      if (s.exists()) {
        Instant last = new Fields(s).requiredInstant(LAST_SENT_AT);
        if (now.isBefore(last.plus(minInterval))) {
          return false;
        }
      }
      Map<String, Object> m = new HashMap<>();
      m.put(TYPE, alertType);
      m.put(SUBJECT, subject);
      m.put(LAST_SENT_AT, Fields.timestamp(now));
      m.put(SINCE, Fields.timestamp(since));
      tx.set(ref, m);
      return true;
    }), "reserve alert");
  }

  /** Gives a reservation back (the send failed), so the next run may try again at once. */
  public void release(String alertType, String subject) {
    Futures.await(ref(alertType, subject).delete(), "release alert");
  }

  /**
   * Claims the one recovery message of the current episode: when an alert of this type about this
   * subject was sent at or after {@code sentNotBefore} and its recovery is not marked yet, marks it
   * and returns when the condition began (the {@code since} of the reservation). Empty otherwise,
   * so a doubled run, or a problem nobody was told about, sends no recovery.
   */
  public Optional<Instant> markRecovered(String alertType, String subject, Instant sentNotBefore) {
    DocumentReference ref = ref(alertType, subject);
    return Futures.await(db.runTransaction(tx -> {
      DocumentSnapshot s = tx.get(ref).get();
      if (!s.exists()) {
        return Optional.<Instant>empty();
      }
      Fields f = new Fields(s);
      Instant sent = f.requiredInstant(LAST_SENT_AT);
      if (f.optionalInstant(RECOVERED_AT) != null || sent.isBefore(sentNotBefore)) {
        return Optional.<Instant>empty();
      }
      tx.update(ref, RECOVERED_AT, Fields.timestamp(clock.instant()));
      Instant since = f.optionalInstant(SINCE);
      return Optional.of(since == null ? sent : since);
    }), "mark alert recovered");
  }

  /** Takes a recovery mark back (its message could not be sent), so the next run sends it. */
  public void unmarkRecovered(String alertType, String subject) {
    Futures.await(ref(alertType, subject).update(RECOVERED_AT, FieldValue.delete()), "unmark alert recovered");
  }

  private DocumentReference ref(String alertType, String subject) {
    return db.collection(METRICS_ALERTS).document(DocumentIds.require(alertId(alertType, subject), "alert"));
  }
}
