package io.wafleet.functions.api;

import com.google.cloud.firestore.Firestore;
import io.wafleet.common.schema.FirestoreSchema;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Firestore reachability for /v1/health: one read of at most one connectors document that must
 * answer within {@link #TIMEOUT}. Thread-safe.
 */
final class StoreProbe {

  private static final Logger log = LoggerFactory.getLogger(StoreProbe.class);
  static final Duration TIMEOUT = Duration.ofSeconds(3);

  private final Firestore db;

  StoreProbe(Firestore db) {
    this.db = Objects.requireNonNull(db, "db == null");
  }

  boolean reachable() {
    Future<?> read = db.collection(FirestoreSchema.CONNECTORS).limit(1).get();
    try {
      read.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException e) {
      read.cancel(true);
      log.warn("firestore unreachable cause={}", e.getClass().getSimpleName());
      return false;
    }
  }
}
