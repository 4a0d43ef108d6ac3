package io.wafleet.common.store;

import static io.wafleet.common.schema.FirestoreSchema.*;
import static io.wafleet.common.schema.FirestoreSchema.MetricFields.*;

import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import java.util.Map;
import java.util.Objects;

/** wa_metrics/longrun/config/current: settings operators change without a deploy. Thread-safe. */
public final class MonitorConfigStore {

  private final Firestore db;

  public MonitorConfigStore(Firestore db) {
    this.db = Objects.requireNonNull(db, "db == null");
  }

  /** The current values, empty when never written. */
  public Map<String, Object> load() {
    DocumentSnapshot s = Futures.await(
        db.collection(METRICS_CONFIG).document(METRICS_CONFIG_CURRENT).get(), "load config");
    Map<String, Object> data = s.exists() ? s.getData() : null;
    return data == null ? Map.of() : data;
  }

  public void store(Map<String, Object> values) {
    Futures.await(db.collection(METRICS_CONFIG).document(METRICS_CONFIG_CURRENT).set(values), "store config");
  }
}
