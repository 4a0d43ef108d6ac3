package io.wafleet.common.store;

import static io.wafleet.common.schema.FirestoreSchema.*;
import static io.wafleet.common.schema.FirestoreSchema.MetricFields.*;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * wa_metrics/longrun/alerts/{type}__{subject}: when an alert of a type about a subject was last
 * sent. Functions are stateless, so the throttle lives here and holds across every instance.
 * Thread-safe.
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

  /**
   * Reserves the right to send an alert of this type about this subject: true at most once per
   * {@code minInterval}, decided in a transaction so two instances cannot both win.
   */
  public boolean tryReserve(String alertType, String subject, Duration minInterval) {
    DocumentReference ref = db.collection(METRICS_ALERTS)
        .document(DocumentIds.require(alertId(alertType, subject), "alert"));
    return Futures.await(db.runTransaction(tx -> {
      DocumentSnapshot s = tx.get(ref).get();
      Instant now = clock.instant();
      if (s.exists()) {
        Instant last = new Fields(s).requiredInstant(LAST_SENT_AT);
        if (now.isBefore(last.plus(minInterval))) {
          return false;
        }
      }
      tx.set(ref, Map.of(TYPE, alertType, SUBJECT, subject, LAST_SENT_AT, Fields.timestamp(now)));
      return true;
    }), "reserve alert");
  }

  /** Gives a reservation back (the send failed), so the next run may try again at once. */
  public void release(String alertType, String subject) {
    Futures.await(db.collection(METRICS_ALERTS)
        .document(DocumentIds.require(alertId(alertType, subject), "alert")).delete(), "release alert");
  }
}
