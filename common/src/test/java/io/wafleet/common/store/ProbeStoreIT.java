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

import io.wafleet.common.model.Probe;
import io.wafleet.common.model.ProbeType;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProbeStoreIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final Instant T0 = Instant.parse("2026-11-23T10:00:30Z");
  private ProbeStore probes;

  @BeforeEach
  void setUp() {
    probes = new ProbeStore(FIRESTORE.firestore());
  }

  @Test
  void store_roundTrips_newestFirst() {
    probes.store(new Probe(ProbeType.OUTBOUND, T0, true, 120, "acc-1", null));
    probes.store(new Probe(ProbeType.INBOUND, T0.plusSeconds(3600), false, 0, "acc-1", "timeout"));
    List<Probe> recent = probes.listRecent(10);
    assertEquals(ProbeType.INBOUND, recent.get(0).type());
    assertEquals("timeout", recent.get(0).error());
    assertEquals(120, recent.get(1).latencyMs());
  }

  @Test
  void store_sameTypeSameHour_overwrites_andListByWindowIsHalfOpen() {
    probes.store(new Probe(ProbeType.QUEUE, T0, false, 0, null, "stuck"));
    probes.store(new Probe(ProbeType.QUEUE, T0.plusSeconds(60), true, 900, null, null));
    probes.store(new Probe(ProbeType.QUEUE, T0.plusSeconds(3600), true, 800, null, null));
    List<Probe> window = probes.list(T0, T0.plusSeconds(3600));
    assertEquals(1, window.size());
    assertTrue(window.get(0).ok());
    assertEquals(900, window.get(0).latencyMs());
    assertEquals("QUEUE_20261123T10", ProbeStore.probeId(ProbeType.QUEUE, T0));
  }
}
