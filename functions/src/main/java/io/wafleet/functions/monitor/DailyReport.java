package io.wafleet.functions.monitor;

import io.wafleet.common.model.Heartbeat;
import io.wafleet.common.model.Incident;
import io.wafleet.common.model.Probe;
import io.wafleet.common.model.ProbeType;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One UTC day of monitoring: heartbeat coverage and gaps, probe pass rate and percentiles,
 * incidents opened and resolved that day, and MTTR (mean and nearest-rank p95 of the time to
 * recover of the incidents resolved that day), and each account's uptime ({@link AccountUptime}).
 * Computed from stored documents. Immutable.
 */
public record DailyReport(
    LocalDate day,
    Coverage coverage,
    Map<ProbeType, ProbeStats> probes,
    List<Incident> opened,
    List<Incident> resolved,
    Long mttrMeanSeconds,
    Long mttrP95Seconds,
    List<AccountUptime> uptime) {

  public DailyReport {
    Objects.requireNonNull(day, "day == null");
    Objects.requireNonNull(coverage, "coverage == null");
    probes = Map.copyOf(probes);
    opened = List.copyOf(opened);
    resolved = List.copyOf(resolved);
    uptime = List.copyOf(uptime);
  }

  public static Instant start(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  public static Instant end(LocalDate day) {
    return start(day.plusDays(1));
  }

  /** Coverage of each UTC hour of the day (24 ratios in [0, 1]), from the day's gaps. */
  public double[] hourlyCoverage() {
    long[] missed = new long[24];
    Instant dayStart = start(day);
    for (Coverage.Gap g : coverage.gaps()) {
      for (Instant m = g.from(); m.isBefore(g.to()); m = m.plusSeconds(60)) {
        int hour = (int) Duration.between(dayStart, m).toHours();
        if (hour >= 0 && hour < 24) {
          missed[hour]++;
        }
      }
    }
    double[] out = new double[24];
    for (int h = 0; h < 24; h++) {
      out[h] = (60 - missed[h]) / 60.0;
    }
    return out;
  }

  /** The report of {@code day} without account names: uptime only of the accounts heartbeats name. */
  public static DailyReport of(LocalDate day, List<Heartbeat> heartbeats, List<Probe> probes,
      List<Incident> opened, List<Incident> resolved) {
    return of(day, heartbeats, probes, opened, resolved, Map.of());
  }

  /** The report of {@code day}, from what was stored for it and the accounts that exist now. */
  public static DailyReport of(LocalDate day, List<Heartbeat> heartbeats, List<Probe> probes,
      List<Incident> opened, List<Incident> resolved, Map<String, AccountUptime.Known> accounts) {
    List<Long> recover = new ArrayList<>();
    for (Incident i : resolved) {
      i.timeToRecover().map(Duration::toSeconds).ifPresent(recover::add);
    }
    Collections.sort(recover);
    Long mean = recover.isEmpty() ? null : Math.round(recover.stream().mapToLong(Long::longValue).average().orElseThrow());
    return new DailyReport(day, Coverage.of(start(day), end(day), heartbeats), ProbeStats.of(probes), opened, resolved,
        mean, ProbeStats.percentile(recover, 95), AccountUptime.of(heartbeats, accounts));
  }
}
