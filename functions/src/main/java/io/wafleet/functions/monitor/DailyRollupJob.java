package io.wafleet.functions.monitor;

import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.HeartbeatStore;
import io.wafleet.common.store.IncidentStore;
import io.wafleet.common.store.ProbeStore;
import io.wafleet.common.store.RollupStore;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;

/**
 * The daily rollup (scheduled at 00:05 UTC): the {@link DailyReport} of the UTC day before the
 * scheduled time, stored at wa_metrics/longrun/rollups/{day}. The day comes from the scheduled
 * time, so a retry or a doubled run overwrites the same day. Thread-safe (stateless).
 */
public final class DailyRollupJob {

  private final HeartbeatStore heartbeats;
  private final ProbeStore probes;
  private final IncidentStore incidents;
  private final RollupStore rollups;
  private final AccountStore accounts;

  public DailyRollupJob(HeartbeatStore heartbeats, ProbeStore probes, IncidentStore incidents, RollupStore rollups,
      AccountStore accounts) {
    this.accounts = Objects.requireNonNull(accounts, "accounts == null");
    this.heartbeats = Objects.requireNonNull(heartbeats, "heartbeats == null");
    this.probes = Objects.requireNonNull(probes, "probes == null");
    this.incidents = Objects.requireNonNull(incidents, "incidents == null");
    this.rollups = Objects.requireNonNull(rollups, "rollups == null");
  }

  /** Rolls up the day before {@code scheduledFor} (UTC) and returns what it stored. */
  public Map<String, Object> run(Instant scheduledFor) {
    LocalDate day = LocalDate.ofInstant(scheduledFor, ZoneOffset.UTC).minusDays(1);
    Instant from = DailyReport.start(day);
    Instant to = DailyReport.end(day);
    DailyReport report = DailyReport.of(day, heartbeats.list(from, to), probes.list(from, to),
        incidents.listOpenedBetween(from, to), incidents.listResolvedBetween(from, to), AccountUptime.known(accounts));
    Map<String, Object> view = MonitorViews.report(report);
    rollups.store(day, view);
    return view;
  }
}
