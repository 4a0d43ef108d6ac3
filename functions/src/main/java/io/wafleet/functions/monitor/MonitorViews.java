package io.wafleet.functions.monitor;

import io.wafleet.common.model.Heartbeat;
import io.wafleet.common.model.ProbeType;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON shapes of what the monitors compute, shared by the admin API and the monitor endpoints. */
public final class MonitorViews {

  private MonitorViews() {}

  public static Map<String, Object> coverage(Coverage c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("from", c.from());
    m.put("to", c.to());
    m.put("minutesInWindow", c.minutesInWindow());
    m.put("minutesWithHeartbeat", c.minutesWithHeartbeat());
    m.put("minutesWithLiveConnector", c.minutesWithLiveConnector());
    m.put("missedMinutes", c.missedMinutes());
    m.put("coverage", c.ratio());
    m.put("gaps", c.gaps().stream().map(g -> {
      Map<String, Object> gap = new LinkedHashMap<>();
      gap.put("from", g.from());
      gap.put("to", g.to());
      gap.put("minutes", g.minutes());
      return gap;
    }).toList());
    return m;
  }

  /** probe type name → {total, passed, failed, passRate, p50Ms, p90Ms, p95Ms}. */
  public static Map<String, Object> probeStats(Map<ProbeType, ProbeStats> stats) {
    Map<String, Object> out = new LinkedHashMap<>();
    stats.forEach((type, s) -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("total", s.total());
      m.put("passed", s.passed());
      m.put("failed", s.failed());
      m.put("passRate", s.passRate());
      m.put("p50Ms", s.p50Ms());
      m.put("p90Ms", s.p90Ms());
      m.put("p95Ms", s.p95Ms());
      out.put(type.name(), m);
    });
    return out;
  }

  /** The daily report as JSON: {day, coverage, probes, incidentsOpened, incidentsResolved, mttrMeanSeconds, mttrP95Seconds, resolved, accounts}
   * (accounts: per-account uptime {accountId, label, minutesObserved, minutesConnected, uptime}). */
  public static Map<String, Object> report(DailyReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("day", r.day().toString());
    m.put("coverage", coverage(r.coverage()));
    m.put("probes", probeStats(r.probes()));
    m.put("incidentsOpened", r.opened().size());
    m.put("incidentsResolved", r.resolved().size());
    m.put("mttrMeanSeconds", r.mttrMeanSeconds());
    m.put("mttrP95Seconds", r.mttrP95Seconds());
    m.put("resolved", r.resolved().stream().map(i -> {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("id", i.id());
      x.put("type", i.type());
      x.put("subject", i.subject());
      x.put("openedAt", i.openedAt());
      x.put("timeToRecoverSeconds", i.timeToRecover().map(java.time.Duration::toSeconds).orElse(null));
      return x;
    }).toList());
    m.put("accounts", r.uptime().stream().map(u -> {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("accountId", u.accountId());
      x.put("label", u.label());
      x.put("minutesObserved", u.minutesObserved());
      x.put("minutesConnected", u.minutesConnected());
      x.put("uptime", u.ratio());
      return x;
    }).toList());
    return m;
  }

  public static Map<String, Object> heartbeat(Heartbeat h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bucket", h.bucket());
    m.put("connectorsAlive", h.connectorsAlive());
    m.put("countsByStatus", h.countsByStatus());
    m.put("connectorMemoryBytes", h.connectorMemoryBytes());
    m.put("driftMs", h.driftMs());
    m.put("at", h.at());
    m.put("accountsNotConnected", new java.util.TreeMap<>(h.accountsNotConnected()));
    return m;
  }
}
