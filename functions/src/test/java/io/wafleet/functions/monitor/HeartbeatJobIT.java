package io.wafleet.functions.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.cloud.firestore.Firestore;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.Heartbeat;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.HeartbeatStore;
import io.wafleet.common.store.LeaseStore;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.common.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HeartbeatJobIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private final ManualClock clock = new ManualClock(T0);
  private AccountStore accounts;
  private LeaseStore leases;
  private HeartbeatStore heartbeats;
  private HeartbeatJob job;

  @BeforeEach
  void setUp() {
    Firestore db = FIRESTORE.firestore();
    accounts = new AccountStore(db, clock);
    leases = new LeaseStore(db, clock, Duration.ZERO);
    heartbeats = new HeartbeatStore(db);
    job = new HeartbeatJob(accounts, leases, heartbeats, new ConnectorLiveness(Duration.ofMinutes(3)), clock);
  }

  private void seed(String id, AccountStatus status) {
    accounts.create(Account.newAccount(id, "n", "+40700000001", clock.instant()).toBuilder().status(status).build());
  }

  @Test
  void run_writesTheScheduledMinute_withLiveConnectorsMemoryCountsAndDrift() {
    seed("a1", AccountStatus.CONNECTED);
    seed("a2", AccountStatus.CONNECTED);
    seed("a3", AccountStatus.DISCONNECTED);
    leases.renew("conn-old", Duration.ofSeconds(30), "0.1.0", 0, 999);
    clock.advance(Duration.ofMinutes(5));
    leases.renew("conn-1", Duration.ofSeconds(30), "0.1.0", 2, 300_000_000L);
    leases.renew("conn-2", Duration.ofSeconds(30), "0.1.0", 1, 200_000_000L);
    clock.advance(Duration.ofSeconds(7));

    Heartbeat beat = job.run(T0.plus(Duration.ofMinutes(5)));

    assertEquals(T0.plus(Duration.ofMinutes(5)), beat.bucket());
    assertEquals(2, beat.connectorsAlive());
    assertEquals(500_000_000L, beat.connectorMemoryBytes());
    assertEquals(2L, beat.countsByStatus().get("CONNECTED"));
    assertEquals(1L, beat.countsByStatus().get("DISCONNECTED"));
    assertEquals(7_000, beat.driftMs());
    assertEquals(java.util.Map.of("a3", "DISCONNECTED"), beat.accountsNotConnected(), "per-account record");
    assertEquals(List.of(beat), heartbeats.list(T0, T0.plus(Duration.ofHours(1))));
  }

  @Test
  void doubledRun_isNotADuplicate_andAMissingMinuteIsAGap() {
    for (int minute = 0; minute < 5; minute++) {
      if (minute == 2) {
        clock.advance(Duration.ofMinutes(1));
        continue;
      }
      Instant scheduled = clock.instant();
      clock.advance(Duration.ofSeconds(1));
      job.run(scheduled);
      job.run(scheduled);
      clock.advance(Duration.ofSeconds(59));
    }
    List<Heartbeat> stored = heartbeats.list(T0, T0.plus(Duration.ofMinutes(5)));
    assertEquals(4, stored.size());
    Coverage c = Coverage.of(T0, T0.plus(Duration.ofMinutes(5)), stored);
    assertEquals(0.8, c.ratio());
    assertEquals(List.of(new Coverage.Gap(T0.plus(Duration.ofMinutes(2)), T0.plus(Duration.ofMinutes(3)))), c.gaps());
  }
}
