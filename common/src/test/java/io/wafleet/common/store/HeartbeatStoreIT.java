package io.wafleet.common.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.common.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.wafleet.common.model.Heartbeat;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HeartbeatStoreIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final Instant T0 = Instant.parse("2026-11-23T10:00:30Z");
  private HeartbeatStore heartbeats;

  @BeforeEach
  void setUp() {
    heartbeats = new HeartbeatStore(FIRESTORE.firestore());
  }

  @Test
  void store_retryOfSameMinute_overwritesNotDuplicates() {
    heartbeats.store(new Heartbeat(T0, 1, Map.of("CONNECTED", 2L), 100, 30_000, T0));
    heartbeats.store(new Heartbeat(T0.plusSeconds(10), 2, Map.of("CONNECTED", 3L), 200, 40_000, T0.plusSeconds(10)));
    List<Heartbeat> beats = heartbeats.list(T0.minusSeconds(60), T0.plusSeconds(60));
    assertEquals(1, beats.size());
    Heartbeat beat = beats.get(0);
    assertEquals(Instant.parse("2026-11-23T10:00:00Z"), beat.bucket());
    assertEquals(2, beat.connectorsAlive());
    assertEquals(3L, beat.countsByStatus().get("CONNECTED"));
    assertEquals(200, beat.connectorMemoryBytes());
    assertEquals(40_000, beat.driftMs());
    assertEquals("2026-11-23T10-00", HeartbeatStore.heartbeatId(T0));
  }

  @Test
  void list_isHalfOpenAndOldestFirst() {
    for (int i = 0; i < 3; i++) {
      Instant minute = T0.plus(Duration.ofMinutes(i));
      heartbeats.store(new Heartbeat(minute, 1, Map.of(), 0, 0, minute));
    }
    List<Heartbeat> beats = heartbeats.list(Instant.parse("2026-11-23T10:01:00Z"), Instant.parse("2026-11-23T10:02:00Z"));
    assertEquals(List.of(Instant.parse("2026-11-23T10:01:00Z")), beats.stream().map(Heartbeat::bucket).toList());
    assertEquals(3, heartbeats.list(T0.minusSeconds(3600), T0.plusSeconds(3600)).size());
  }

  @Test
  void accountsNotConnected_andTheFirstBucket_roundTrip() {
    assertTrue(heartbeats.firstBucket().isEmpty());
    heartbeats.store(new Heartbeat(T0.plusSeconds(60), 1, Map.of(), 0, 0, T0.plusSeconds(60),
        Map.of("a2", "DISCONNECTED", "a3", Heartbeat.STOPPED)));
    heartbeats.store(new Heartbeat(T0, 1, Map.of(), 0, 0, T0));
    List<Heartbeat> beats = heartbeats.list(T0.minusSeconds(60), T0.plusSeconds(120));
    assertEquals(Map.of(), beats.get(0).accountsNotConnected());
    assertEquals(Map.of("a2", "DISCONNECTED", "a3", Heartbeat.STOPPED), beats.get(1).accountsNotConnected());
    assertEquals(java.util.Optional.of(Instant.parse("2026-11-23T10:00:00Z")), heartbeats.firstBucket());
  }
}
