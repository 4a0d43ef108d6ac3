package io.wafleet.functions.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.firestore.Firestore;
import io.wafleet.common.model.Heartbeat;
import io.wafleet.common.store.HeartbeatStore;
import io.wafleet.common.store.IncidentStore;
import io.wafleet.common.store.ProbeStore;
import io.wafleet.common.store.RollupStore;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.common.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
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
    DailyRollupJob job = new DailyRollupJob(heartbeats, new ProbeStore(db), incidents, rollups);

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
}
