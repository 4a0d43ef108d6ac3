package io.wafleet.functions.api;

import com.google.cloud.firestore.Firestore;
import io.wafleet.common.crypto.BlobCipher;
import io.wafleet.common.crypto.KeyRing;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.AlertStateStore;
import io.wafleet.common.store.Firestores;
import io.wafleet.common.store.HeartbeatStore;
import io.wafleet.common.store.IncidentStore;
import io.wafleet.common.store.LeaseStore;
import io.wafleet.common.store.LockStore;
import io.wafleet.common.store.MessageStore;
import io.wafleet.common.store.MonitorConfigStore;
import io.wafleet.common.store.OutboxStore;
import io.wafleet.common.store.ProbeStore;
import io.wafleet.common.store.RollupStore;
import io.wafleet.common.store.SessionStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The stores the API uses, built once per function instance over one Firestore client. Thread-safe
 * (every store is).
 *
 * <p>The API never decrypts session material; it only deletes it ({@link SessionStore#deleteAll}),
 * which needs no key. SessionStore still wants a {@link BlobCipher}: with WAFLEET_SESSION_KEYS set it
 * gets the real ring, otherwise an ephemeral random key that never encrypts or decrypts anything.
 */
public record Stores(
    Firestore db,
    AccountStore accounts,
    OutboxStore outbox,
    MessageStore messages,
    LeaseStore leases,
    SessionStore sessions,
    HeartbeatStore heartbeats,
    ProbeStore probes,
    IncidentStore incidents,
    LockStore locks,
    AlertStateStore alertStates,
    MonitorConfigStore monitorConfig,
    RollupStore rollups) {

  /** Lease liveness as the API judges it: no skew margin, it only reports and routes deletes. */
  static final Duration LEASE_SKEW = Duration.ZERO;

  public static Stores connect(FunctionsConfig config, Clock clock) {
    return over(Firestores.connect(config.projectId(), config.emulatorHost()), config.sessionKeys(), clock);
  }

  public static Stores over(Firestore db, String sessionKeys, Clock clock) {
    KeyRing ring = sessionKeys != null ? KeyRing.parse(sessionKeys) : ephemeralRing();
    return new Stores(db, new AccountStore(db, clock), new OutboxStore(db, clock), new MessageStore(db, clock),
        new LeaseStore(db, clock, LEASE_SKEW), new SessionStore(db, new BlobCipher(ring), clock),
        new HeartbeatStore(db), new ProbeStore(db), new IncidentStore(db, clock), new LockStore(db, clock),
        new AlertStateStore(db, clock), new MonitorConfigStore(db), new RollupStore(db));
  }

  private static KeyRing ephemeralRing() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return new KeyRing(Map.of("ephemeral", key), "ephemeral");
  }
}
