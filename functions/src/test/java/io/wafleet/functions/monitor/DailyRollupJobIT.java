package io.wafleet.functions.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.firestore.Firestore;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.DesiredState;
import io.wafleet.common.model.Heartbeat;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.HeartbeatStore;
import io.wafleet.common.store.IncidentStore;
import io.wafleet.common.store.LeaseStore;
import io.wafleet.common.store.ProbeStore;
import io.wafleet.common.store.RollupStore;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.common.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DailyRollupJobIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final Instant DAY = Instant.parse("2026-11-23T00:00:00Z");

  @Test
  @SuppressWarnings("unchecked")
  void rollsUpThePreviousDay_underItsDate_andADoubledRunOverwritesIt() {
    Firestore db = FIRESTORE.firestore();
    ManualClock clock = new ManualClock(DAY);
    HeartbeatStore heartbeats = new HeartbeatStore(db);
    IncidentStore incidents = new IncidentStore(db, clock);
    RollupStore rollups = new RollupStore(db);
    for (int m = 0; m < 3; m++) {
      Instant at = DAY.plus(Duration.ofMinutes(m));
      heartbeats.store(new Heartbeat(at, 1, Map.of(), 0, 0, at));
    }
    clock.set(DAY.plus(Duration.ofHours(2)));
    String id = incidents.openOrTouch("disconnected", "a1", "down", DAY.plus(Duration.ofHours(1))).incident().id();
    incidents.resolve(id, "reconnected");
    DailyRollupJob job = new DailyRollupJob(heartbeats, new ProbeStore(db), incidents, rollups, new AccountStore(db, clock));

    Instant scheduled = Instant.parse("2026-11-24T00:05:00Z");
    Map<String, Object> first = job.run(scheduled);
    Map<String, Object> again = job.run(scheduled);

    assertEquals(first, again);
    assertEquals("2026-11-23", first.get("day"));
    Map<String, Object> stored = rollups.load(LocalDate.parse("2026-11-23")).orElseThrow();
    assertEquals(3L, ((Map<String, Object>) stored.get("coverage")).get("minutesWithHeartbeat"));
    assertEquals(1440L, ((Map<String, Object>) stored.get("coverage")).get("minutesInWindow"));
    assertEquals(3600L, stored.get("mttrMeanSeconds"));
    assertEquals(1L, stored.get("incidentsResolved"));
    assertTrue(rollups.load(LocalDate.parse("2026-11-24")).isEmpty());
  }

  @Test
  @SuppressWarnings("unchecked")
  void perAccountUptime_fromWhatTheHeartbeatJobRecordedEachMinute() {
    Firestore db = FIRESTORE.firestore();
    ManualClock clock = new ManualClock(DAY);
    AccountStore accounts = new AccountStore(db, clock);
    HeartbeatStore heartbeats = new HeartbeatStore(db);
    HeartbeatJob beat = new HeartbeatJob(accounts, new LeaseStore(db, clock, Duration.ZERO), heartbeats,
        new ConnectorLiveness(Duration.ofMinutes(3)), clock);
    Instant created = DAY.minus(Duration.ofDays(1));
    accounts.create(Account.newAccount("a1", "Always", "+40700000001", created).toBuilder()
        .status(AccountStatus.CONNECTED).build());
    accounts.create(Account.newAccount("a2", "Flaky", "+40700000002", created).toBuilder()
        .status(AccountStatus.DISCONNECTED).build());
    accounts.create(Account.newAccount("a3", "Stopped", "+40700000003", created).toBuilder()
        .status(AccountStatus.DISCONNECTED).desired(DesiredState.STOPPED).build());
    for (int m = 0; m < 10; m++) {
      clock.set(DAY.plus(Duration.ofMinutes(m)).plusSeconds(2));
      if (m == 4) {
        accounts.update("a2", a -> a.toBuilder().status(AccountStatus.CONNECTED).connectedAt(clock.instant()).build());
      }
      beat.run(DAY.plus(Duration.ofMinutes(m)));
    }
    assertEquals(Map.of("a2", "DISCONNECTED", "a3", Heartbeat.STOPPED),
        heartbeats.list(DAY, DAY.plusSeconds(60)).get(0).accountsNotConnected());

    Map<String, Object> view = new DailyRollupJob(heartbeats, new ProbeStore(db), new IncidentStore(db, clock),
        new RollupStore(db), accounts).run(Instant.parse("2026-11-24T00:05:00Z"));

    List<Map<String, Object>> uptime = (List<Map<String, Object>>) view.get("accounts");
    assertEquals(List.of("a1", "a2", "a3"), uptime.stream().map(u -> u.get("accountId")).toList());
    assertEquals("Always (+*******0001)", uptime.get(0).get("label"));
    assertEquals(List.of(10L, 10L, 1.0), List.of(uptime.get(0).get("minutesObserved"),
        uptime.get(0).get("minutesConnected"), uptime.get(0).get("uptime")));
    assertEquals(List.of(10L, 6L, 0.6), List.of(uptime.get(1).get("minutesObserved"),
        uptime.get(1).get("minutesConnected"), uptime.get(1).get("uptime")));
    assertEquals(0L, uptime.get(2).get("minutesObserved"), "stopped minutes are not counted");
    assertEquals(null, uptime.get(2).get("uptime"));
    List<Map<String, Object>> stored = (List<Map<String, Object>>) new RollupStore(db)
        .load(LocalDate.parse("2026-11-23")).orElseThrow().get("accounts");
    assertEquals(0.6, stored.get(1).get("uptime"));
  }
}
