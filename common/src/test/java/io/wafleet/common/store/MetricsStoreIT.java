package io.wafleet.common.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.common.model.Heartbeat;
import io.wafleet.common.model.Incident;
import io.wafleet.common.model.IncidentState;
import io.wafleet.common.model.Probe;
import io.wafleet.common.model.ProbeType;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.common.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MetricsStoreIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final Instant T0 = Instant.parse("2026-11-23T10:00:30Z");
  private final ManualClock clock = new ManualClock(T0);
  private MetricsStore metrics;

  @BeforeEach
  void setUp() {
    metrics = new MetricsStore(FIRESTORE.firestore(), clock);
  }

  @Test
  void storeHeartbeat_retryOfSameMinute_overwritesNotDuplicates() {
    metrics.storeHeartbeat(new Heartbeat(T0, 1, Map.of("CONNECTED", 2L), T0));
    metrics.storeHeartbeat(new Heartbeat(T0.plusSeconds(10), 2, Map.of("CONNECTED", 3L), T0.plusSeconds(10)));
    List<Heartbeat> beats = metrics.listHeartbeats(T0.minusSeconds(60), T0.plusSeconds(60));
    assertEquals(1, beats.size());
    assertEquals(2, beats.get(0).connectorsAlive());
    assertEquals(3L, beats.get(0).countsByStatus().get("CONNECTED"));
    assertEquals("2026-11-23T10-00", MetricsStore.heartbeatId(T0));
  }

  @Test
  void storeProbe_roundTrips_newestFirst() {
    metrics.storeProbe(new Probe(ProbeType.OUTBOUND, T0, true, 120, "acc-1", null));
    metrics.storeProbe(new Probe(ProbeType.INBOUND, T0.plusSeconds(3600), false, 0, "acc-1", "timeout"));
    List<Probe> probes = metrics.listProbes(10);
    assertEquals(ProbeType.INBOUND, probes.get(0).type());
    assertEquals("timeout", probes.get(0).error());
    assertEquals(120, probes.get(1).latencyMs());
  }

  @Test
  void openIncident_twice_keepsOneAndResolveRecordsTimeToRecover() {
    Incident first = metrics.openIncident("disconnected", "acc-1", "down 11 min");
    clock.advance(Duration.ofMinutes(1));
    Incident again = metrics.openIncident("disconnected", "acc-1", "down 12 min");
    assertEquals(first, again);
    assertEquals(1, metrics.listIncidents(IncidentState.OPEN, 10).size());
    clock.advance(Duration.ofMinutes(4));
    Incident resolved = metrics.resolveIncident(first.id(), "reconnected").orElseThrow();
    assertEquals(Duration.ofMinutes(5), resolved.timeToRecover().orElseThrow());
    assertTrue(metrics.listIncidents(IncidentState.OPEN, 10).isEmpty());
    assertEquals(List.of(resolved), metrics.listIncidents(IncidentState.RESOLVED, 10));
    assertTrue(metrics.resolveIncident(first.id(), "again").isEmpty());
  }

  @Test
  void tryLock_heldByOther_untilExpiry() {
    assertTrue(metrics.tryLock("watchdog", "run-1", Duration.ofSeconds(60)));
    assertFalse(metrics.tryLock("watchdog", "run-2", Duration.ofSeconds(60)));
    assertTrue(metrics.tryLock("watchdog", "run-1", Duration.ofSeconds(60)));
    clock.advance(Duration.ofSeconds(61));
    assertTrue(metrics.tryLock("watchdog", "run-2", Duration.ofSeconds(60)));
    metrics.unlock("watchdog", "run-2");
    assertTrue(metrics.listLocks().isEmpty());
  }

  @Test
  void tryReserveAlert_throttledPerInterval() {
    assertTrue(metrics.tryReserveAlert("logged-out", Duration.ofHours(1)));
    clock.advance(Duration.ofMinutes(59));
    assertFalse(metrics.tryReserveAlert("logged-out", Duration.ofHours(1)));
    assertTrue(metrics.tryReserveAlert("connector-down", Duration.ofHours(1)));
    clock.advance(Duration.ofMinutes(2));
    assertTrue(metrics.tryReserveAlert("logged-out", Duration.ofHours(1)));
  }

  @Test
  void config_roundTrips() {
    assertTrue(metrics.loadConfig().isEmpty());
    metrics.storeConfig(Map.of("disconnectIncidentMinutes", 10L));
    assertEquals(10L, metrics.loadConfig().get("disconnectIncidentMinutes"));
  }
}
