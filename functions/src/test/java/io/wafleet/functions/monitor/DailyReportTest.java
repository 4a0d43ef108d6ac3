package io.wafleet.functions.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.common.model.Heartbeat;
import io.wafleet.common.model.Incident;
import io.wafleet.common.model.IncidentState;
import io.wafleet.common.model.Probe;
import io.wafleet.common.model.ProbeType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DailyReportTest {

  private static final LocalDate DAY = LocalDate.parse("2026-11-23");
  private static final Instant START = Instant.parse("2026-11-23T00:00:00Z");

  private static Incident resolved(String subject, int openedMinute, long recoverSeconds) {
    Instant opened = START.plusSeconds(60L * openedMinute);
    return new Incident("disconnected__" + subject + "__x", "disconnected", subject, IncidentState.RESOLVED, "d",
        opened, opened.plusSeconds(recoverSeconds), "reconnected", opened.plusSeconds(recoverSeconds));
  }

  @Test
  void coverageProbesAndMttr_ofOneDay_andItsMarkdown() {
    List<Heartbeat> beats = new ArrayList<>();
    for (int m = 0; m < 1440; m++) {
      if (m != 600 && m != 601) {
        Instant at = START.plusSeconds(60L * m);
        beats.add(new Heartbeat(at, 1, Map.of(), 0, 0, at));
      }
    }
    List<Probe> probes = List.of(new Probe(ProbeType.OUTBOUND, START, true, 900, "p", null),
        new Probe(ProbeType.OUTBOUND, START.plusSeconds(3600), false, 0, "p", "timeout"));
    List<Incident> done = List.of(resolved("a1", 10, 60), resolved("a2", 100, 600));

    DailyReport r = DailyReport.of(DAY, beats, probes, done, done);

    assertEquals(1438, r.coverage().minutesWithHeartbeat());
    assertEquals(1, r.coverage().gaps().size());
    assertEquals(0.5, r.probes().get(ProbeType.OUTBOUND).passRate());
    assertEquals(330L, r.mttrMeanSeconds());
    assertEquals(600L, r.mttrP95Seconds());
    String md = ReportMarkdown.render(r);
    assertTrue(md.startsWith("# wafleet daily report 2026-11-23 (UTC)\n"), md);
    assertTrue(md.contains("99.9 % (1438 of 1440 minutes), 1 gap(s), 1438 minute(s) with a live connector"), md);
    assertTrue(md.contains("- gap 2026-11-23T10:00:00Z to 2026-11-23T10:02:00Z (2 min)"), md);
    assertTrue(md.contains("| OUTBOUND | 2 | 1 | 50.0 % | 900 | 900 | 900 |"), md);
    assertTrue(md.contains("Opened: 2. Resolved: 2. MTTR mean: 330 s, p95: 600 s."), md);
    assertTrue(md.contains("| disconnected__a2__x | disconnected | a2 | 2026-11-23T01:40:00Z | 600 s |"), md);
  }

  @Test
  void anEmptyDay_hasNoMttrAndNoCoverage() {
    DailyReport r = DailyReport.of(DAY, List.of(), List.of(), List.of(), List.of());
    assertEquals(0.0, r.coverage().ratio());
    assertEquals(null, r.mttrMeanSeconds());
    assertTrue(ReportMarkdown.render(r).contains("MTTR mean: -, p95: -."));
  }
}
