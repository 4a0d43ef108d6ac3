package io.wafleet.functions.monitor;

import io.wafleet.common.model.Incident;
import io.wafleet.common.model.ProbeType;
import java.util.Locale;

/** The daily report as Markdown, for pasting into a ticket or a chat. Pure function. */
public final class ReportMarkdown {

  private ReportMarkdown() {}

  public static String render(DailyReport r) {
    StringBuilder b = new StringBuilder();
    b.append("# wafleet daily report ").append(r.day()).append(" (UTC)\n\n");
    b.append("## Heartbeat coverage\n\n");
    b.append(String.format(Locale.ROOT, "%.1f %% (%d of %d minutes), %d gap(s), %d minute(s) with a live connector%n%n",
        r.coverage().ratio() * 100, r.coverage().minutesWithHeartbeat(), r.coverage().minutesInWindow(),
        r.coverage().gaps().size(), r.coverage().minutesWithLiveConnector()));
    for (Coverage.Gap g : r.coverage().gaps()) {
      b.append("- gap ").append(g.from()).append(" to ").append(g.to()).append(" (").append(g.minutes()).append(" min)\n");
    }
    if (!r.coverage().gaps().isEmpty()) {
      b.append('\n');
    }
    b.append("## Uptime per account\n\n");
    if (r.uptime().isEmpty()) {
      b.append("No account.\n\n");
    } else {
      b.append("| account | name | minutes observed | minutes connected | uptime |\n|---|---|---|---|---|\n");
      for (AccountUptime u : r.uptime()) {
        b.append("| ").append(u.accountId()).append(" | ").append(u.label().replace("|", "\\|")).append(" | ")
            .append(u.minutesObserved()).append(" | ").append(u.minutesConnected()).append(" | ")
            .append(u.ratio() == null ? "-" : String.format(Locale.ROOT, "%.1f %%", u.ratio() * 100)).append(" |\n");
      }
      b.append('\n');
    }
    b.append("## Probes\n\n| type | probes | passed | pass rate | p50 ms | p90 ms | p95 ms |\n|---|---|---|---|---|---|---|\n");
    for (ProbeType t : ProbeType.values()) {
      ProbeStats s = r.probes().get(t);
      b.append("| ").append(t.name()).append(" | ").append(s.total()).append(" | ").append(s.passed()).append(" | ")
          .append(s.passRate() == null ? "-" : String.format(Locale.ROOT, "%.1f %%", s.passRate() * 100)).append(" | ")
          .append(dash(s.p50Ms())).append(" | ").append(dash(s.p90Ms())).append(" | ").append(dash(s.p95Ms())).append(" |\n");
    }
    b.append("\n## Incidents\n\n");
    b.append("Opened: ").append(r.opened().size()).append(". Resolved: ").append(r.resolved().size())
        .append(". MTTR mean: ").append(seconds(r.mttrMeanSeconds())).append(", p95: ").append(seconds(r.mttrP95Seconds()))
        .append(".\n");
    if (!r.resolved().isEmpty()) {
      b.append("\n| incident | type | subject | opened | recovered after |\n|---|---|---|---|---|\n");
      for (Incident i : r.resolved()) {
        b.append("| ").append(i.id()).append(" | ").append(i.type()).append(" | ").append(i.subject()).append(" | ")
            .append(i.openedAt()).append(" | ").append(seconds(i.timeToRecover().map(d -> d.toSeconds()).orElse(null)))
            .append(" |\n");
      }
    }
    return b.toString();
  }

  private static String dash(Long v) {
    return v == null ? "-" : v.toString();
  }

  private static String seconds(Long s) {
    return s == null ? "-" : s + " s";
  }
}
