package io.wafleet.functions.render;

import io.wafleet.common.model.Incident;
import io.wafleet.common.model.ProbeType;
import io.wafleet.functions.monitor.AccountUptime;
import io.wafleet.functions.monitor.DailyReport;
import io.wafleet.functions.monitor.ProbeStats;
import java.util.List;
import java.util.Locale;

/**
 * The daily report as one self-contained HTML page: inline CSS, charts as inline SVG drawn here on
 * the server, no script and no external resource, so it renders with no network. Pure function.
 */
public final class ReportPage {

  private static final int CHART_WIDTH = 960;
  private static final int COVERAGE_HEIGHT = 160;

  private ReportPage() {}

  public static String render(DailyReport r) {
    StringBuilder b = new StringBuilder(16_384);
    b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>wafleet report ")
        .append(r.day()).append("</title><style>")
        .append("body{font-family:sans-serif;margin:24px;color:#1f2933;background:#fff}")
        .append("h1{font-size:22px}h2{font-size:17px;margin-top:28px}")
        .append("table{border-collapse:collapse}td,th{border:1px solid #cbd2d9;padding:4px 10px;text-align:right}")
        .append("th:first-child,td:first-child{text-align:left}.bar{fill:#2f80ed}.bar.low{fill:#e5484d}")
        .append(".mttr{fill:#f2994a}.axis{stroke:#9aa5b1}.label{font-size:11px;fill:#3e4c59}")
        .append("</style></head><body>");
    b.append("<h1>wafleet daily report ").append(r.day()).append(" (UTC)</h1>");
    b.append(String.format(Locale.ROOT, "<p id=\"summary\">Heartbeat coverage <b>%.1f %%</b> (%d of %d minutes, %d gap(s)). "
            + "Incidents opened %d, resolved %d. MTTR mean %s, p95 %s.</p>",
        r.coverage().ratio() * 100, r.coverage().minutesWithHeartbeat(), r.coverage().minutesInWindow(),
        r.coverage().gaps().size(), r.opened().size(), r.resolved().size(), seconds(r.mttrMeanSeconds()),
        seconds(r.mttrP95Seconds())));
    b.append("<h2>Coverage per hour</h2>");
    coverageChart(b, r.hourlyCoverage());
    b.append("<h2>Uptime per account</h2>");
    uptimeChart(b, r.uptime());
    b.append("<h2>Time to recover per incident</h2>");
    mttrChart(b, r.resolved());
    b.append("<h2>Probes</h2><table><tr><th>type</th><th>probes</th><th>passed</th><th>pass rate</th>")
        .append("<th>p50 ms</th><th>p90 ms</th><th>p95 ms</th></tr>");
    for (ProbeType t : ProbeType.values()) {
      ProbeStats s = r.probes().get(t);
      b.append("<tr><td>").append(t.name()).append("</td><td>").append(s.total()).append("</td><td>").append(s.passed())
          .append("</td><td>").append(s.passRate() == null ? "-" : String.format(Locale.ROOT, "%.1f %%", s.passRate() * 100))
          .append("</td><td>").append(dash(s.p50Ms())).append("</td><td>").append(dash(s.p90Ms())).append("</td><td>")
          .append(dash(s.p95Ms())).append("</td></tr>");
    }
    b.append("</table></body></html>");
    return b.toString();
  }

  private static void coverageChart(StringBuilder b, double[] hours) {
    int plot = COVERAGE_HEIGHT - 20;
    double slot = (CHART_WIDTH - 40) / 24.0;
    b.append("<svg id=\"coverage-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(CHART_WIDTH)
        .append("\" height=\"").append(COVERAGE_HEIGHT).append("\" role=\"img\" aria-label=\"coverage per hour\">");
    b.append("<line class=\"axis\" x1=\"40\" y1=\"").append(plot).append("\" x2=\"").append(CHART_WIDTH)
        .append("\" y2=\"").append(plot).append("\"/>");
    b.append("<text class=\"label\" x=\"0\" y=\"12\">100 %</text><text class=\"label\" x=\"0\" y=\"").append(plot)
        .append("\">0 %</text>");
    for (int h = 0; h < 24; h++) {
      double height = Math.max(1, hours[h] * (plot - 10));
      double x = 40 + h * slot + 2;
      b.append(String.format(Locale.ROOT,
          "<rect class=\"bar%s\" data-hour=\"%d\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>%02d:00 %.1f %%</title></rect>",
          hours[h] < 0.8 ? " low" : "", h, x, plot - height, slot - 4, height, h, hours[h] * 100));
      if (h % 3 == 0) {
        b.append(String.format(Locale.ROOT, "<text class=\"label\" x=\"%.1f\" y=\"%d\">%02d</text>", x, COVERAGE_HEIGHT - 4, h));
      }
    }
    b.append("</svg>");
  }

  /** One bar per account (its uptime over the day), with the minutes behind it in the title. */
  private static void uptimeChart(StringBuilder b, List<AccountUptime> uptime) {
    if (uptime.isEmpty()) {
      b.append("<p id=\"uptime-chart\">No account.</p>");
      return;
    }
    int row = 22;
    int height = row * uptime.size() + 10;
    b.append("<svg id=\"uptime-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(CHART_WIDTH)
        .append("\" height=\"").append(height).append("\" role=\"img\" aria-label=\"uptime per account\">");
    int y = 4;
    for (AccountUptime u : uptime) {
      double ratio = u.ratio() == null ? 0 : u.ratio();
      double width = Math.max(2, (CHART_WIDTH - 420) * ratio);
      b.append("<text class=\"label\" x=\"0\" y=\"").append(y + 14).append("\">").append(Html.escape(u.label()))
          .append("</text>");
      b.append(String.format(Locale.ROOT,
          "<rect class=\"bar%s\" data-account=\"%s\" x=\"260\" y=\"%d\" width=\"%.1f\" height=\"%d\">"
              + "<title>%d of %d minutes connected</title></rect>",
          ratio < 0.8 ? " low" : "", Html.escape(u.accountId()), y, width, row - 6, u.minutesConnected(),
          u.minutesObserved()));
      b.append(String.format(Locale.ROOT, "<text class=\"label\" x=\"%.1f\" y=\"%d\">%s</text>", 266 + width, y + 14,
          u.ratio() == null ? "not observed" : String.format(Locale.ROOT, "%.1f %%", ratio * 100)));
      y += row;
    }
    b.append("</svg>");
  }

  private static void mttrChart(StringBuilder b, List<Incident> resolved) {
    if (resolved.isEmpty()) {
      b.append("<p id=\"mttr-chart\">No incident was resolved this day.</p>");
      return;
    }
    long max = resolved.stream().mapToLong(i -> i.timeToRecover().map(d -> d.toSeconds()).orElse(0L)).max().orElse(1);
    int row = 22;
    int height = row * resolved.size() + 10;
    b.append("<svg id=\"mttr-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(CHART_WIDTH)
        .append("\" height=\"").append(height).append("\" role=\"img\" aria-label=\"time to recover per incident\">");
    int y = 4;
    for (Incident i : resolved) {
      long s = i.timeToRecover().map(d -> d.toSeconds()).orElse(0L);
      double width = Math.max(2, (CHART_WIDTH - 420) * (double) s / Math.max(1, max));
      b.append("<text class=\"label\" x=\"0\" y=\"").append(y + 14).append("\">")
          .append(Html.escape(i.type() + " " + i.subject())).append("</text>");
      b.append(String.format(Locale.ROOT,
          "<rect class=\"mttr\" data-incident=\"%s\" x=\"260\" y=\"%d\" width=\"%.1f\" height=\"%d\"/>",
          Html.escape(i.id()), y, width, row - 6));
      b.append(String.format(Locale.ROOT, "<text class=\"label\" x=\"%.1f\" y=\"%d\">%d s</text>", 266 + width, y + 14, s));
      y += row;
    }
    b.append("</svg>");
  }

  private static String dash(Long v) {
    return v == null ? "-" : v.toString();
  }

  private static String seconds(Long s) {
    return s == null ? "-" : s + " s";
  }
}
