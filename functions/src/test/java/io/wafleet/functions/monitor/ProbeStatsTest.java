package io.wafleet.functions.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.wafleet.common.model.Probe;
import io.wafleet.common.model.ProbeType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ProbeStatsTest {

  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  @Test
  void percentilesAreNearestRankOverPassedProbes_andPassRateCountsFailures() {
    List<Probe> probes = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      probes.add(new Probe(ProbeType.OUTBOUND, T0.plusSeconds(3600L * i), true, i * 100L, "p", null));
    }
    probes.add(new Probe(ProbeType.OUTBOUND, T0, false, 0, "p", "timeout"));
    probes.add(new Probe(ProbeType.QUEUE, T0, false, 0, null, "stuck"));
    Map<ProbeType, ProbeStats> stats = ProbeStats.of(probes);
    ProbeStats out = stats.get(ProbeType.OUTBOUND);
    assertEquals(21, out.total());
    assertEquals(20, out.passed());
    assertEquals(1, out.failed());
    assertEquals(20 / 21.0, out.passRate());
    assertEquals(1000L, out.p50Ms());
    assertEquals(1800L, out.p90Ms());
    assertEquals(1900L, out.p95Ms());
    assertEquals(0.0, stats.get(ProbeType.QUEUE).passRate());
    assertNull(stats.get(ProbeType.QUEUE).p50Ms());
    assertNull(stats.get(ProbeType.INBOUND).passRate());
    assertEquals(0, stats.get(ProbeType.INBOUND).total());
  }
}
