package io.wafleet.common.store;

import static io.wafleet.common.schema.FirestoreSchema.METRICS_ROLLUPS;

import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * wa_metrics/longrun/rollups/{YYYY-MM-DD}: one summary per UTC day, written by the daily rollup. The
 * id is the day, so a retried or doubled rollup overwrites its day. Values are plain JSON-like data
 * (maps, lists, strings, numbers, booleans, null); {@link Instant}s are stored as timestamps.
 * Thread-safe.
 */
public final class RollupStore {

  private final Firestore db;

  public RollupStore(Firestore db) {
    this.db = Objects.requireNonNull(db, "db == null");
  }

  public void store(LocalDate day, Map<String, Object> values) {
    Futures.await(db.collection(METRICS_ROLLUPS).document(day.toString()).set(convertMap(values)), "store rollup");
  }

  /** The stored rollup of {@code day} as Firestore returns it (timestamps as Timestamp). */
  public Optional<Map<String, Object>> load(LocalDate day) {
    DocumentSnapshot s = Futures.await(db.collection(METRICS_ROLLUPS).document(day.toString()).get(), "load rollup");
    return s.exists() ? Optional.ofNullable(s.getData()) : Optional.empty();
  }

  private static Map<String, Object> convertMap(Map<?, ?> in) {
    Map<String, Object> out = new HashMap<>();
    in.forEach((k, v) -> out.put(String.valueOf(k), convert(v)));
    return out;
  }

  private static Object convert(Object v) {
    if (v instanceof Instant i) {
      return Fields.timestamp(i);
    }
    if (v instanceof Map<?, ?> m) {
      return convertMap(m);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(x -> out.add(convert(x)));
      return out;
    }
    if (v instanceof Integer n) {
      return n.longValue();
    }
    return v;
  }
}
