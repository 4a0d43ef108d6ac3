package io.wafleet.functions.render;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/dashboard.html}: one self-contained page (inline CSS, no scripts, no external
 * assets) an operator reads at a glance: counts by status on top, then one row per account with a
 * status colour, masked phone, last seen as relative time and a needs-QR flag; a link to the daily
 * report. Stateless; thread-safe.
 */
public final class DashboardPage {

  /** One account as the dashboard shows it; the phone is already masked. */
  public record Row(String id, String name, String status, String desired, String maskedPhone,
      Instant lastSeen, int reconnectAttempts, boolean needsQr) {}

  private static final Map<String, String> COLOURS = Map.of(
      "CONNECTED", "#1e8e3e", "CONNECTING", "#1a73e8", "PENDING", "#80868b", "NEEDS_QR", "#e37400",
      "DISCONNECTED", "#d93025", "LOGGED_OUT", "#a50e0e", "STOPPED", "#5f6368");

  private DashboardPage() {}

  /**
   * @param nonce the response's Content-Security-Policy nonce, carried by the style element
   * @param reportUrl the daily report page (with its own view link), linked under the title
   */
  public static String render(List<Row> rows, Map<String, Long> counts, Instant now, String nonce, String reportUrl) {
    StringBuilder html = new StringBuilder(4096);
    html.append(("""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="30">
        <title>wafleet · fleet</title>
        <style nonce="NONCE">
        body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f4f6f8;color:#1d2733;margin:24px}
        h1{font-size:22px;margin:0 0 16px}
        .counts{display:flex;gap:12px;flex-wrap:wrap;margin-bottom:20px}
        .count{background:#fff;border-radius:10px;padding:10px 16px;box-shadow:0 1px 3px rgba(0,0,0,.12);min-width:96px}
        .count b{display:block;font-size:26px}
        table{border-collapse:collapse;width:100%;background:#fff;border-radius:10px;overflow:hidden;box-shadow:0 1px 3px rgba(0,0,0,.12)}
        th,td{text-align:left;padding:10px 14px;border-bottom:1px solid #e3e7eb;font-size:15px}
        th{background:#eef1f4;font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:#5b6b7b}
        .status{color:#fff;border-radius:12px;padding:3px 10px;font-size:13px;font-weight:600}
        .qr{color:#e37400;font-weight:700}
        .muted{color:#80868b}
        </style></head><body>
        <h1>wafleet fleet</h1>
        """).replace("NONCE", Html.escape(nonce)));
    html.append("<p><a id=\"report-link\" href=\"").append(Html.escape(reportUrl))
        .append("\">Daily report: coverage, uptime per account, probes, incidents and MTTR (yesterday, UTC)</a></p>\n");
    html.append("<div class=\"counts\">");
    counts.forEach((status, n) -> html.append("<div class=\"count\" style=\"border-top:4px solid ")
        .append(colour(status)).append("\"><b>").append(n).append("</b>").append(Html.escape(status)).append("</div>"));
    html.append("</div>\n<table><thead><tr><th>Account</th><th>Phone</th><th>Status</th><th>Last seen</th>")
        .append("<th>Reconnects</th><th>Needs QR</th></tr></thead><tbody>\n");
    if (rows.isEmpty()) {
      html.append("<tr><td colspan=\"6\" class=\"muted\">No accounts yet.</td></tr>\n");
    }
    for (Row row : rows) {
      appendRow(html, row, now);
    }
    html.append("</tbody></table>\n<p class=\"muted\">Generated ")
        .append(Html.escape(now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()))
        .append(" · refreshes every 30 s</p></body></html>\n");
    return html.toString();
  }

  private static void appendRow(StringBuilder html, Row row, Instant now) {
    html.append("<tr data-account=\"").append(Html.escape(row.id())).append("\"><td><b>")
        .append(Html.escape(row.name())).append("</b><br><span class=\"muted\">").append(Html.escape(row.id()))
        .append("</span></td><td>").append(Html.escape(row.maskedPhone())).append("</td><td><span class=\"status\" style=\"background:")
        .append(colour(row.status())).append("\">").append(Html.escape(row.status())).append("</span>");
    if (!"ACTIVE".equals(row.desired())) {
      html.append(" <span class=\"muted\">(").append(Html.escape(row.desired().toLowerCase(java.util.Locale.ROOT)))
          .append(")</span>");
    }
    html.append("</td><td>").append(Html.escape(relative(row.lastSeen(), now))).append("</td><td>")
        .append(row.reconnectAttempts()).append("</td><td>")
        .append(row.needsQr() ? "<span class=\"qr\">⚠ scan QR</span>" : "<span class=\"muted\">no</span>")
        .append("</td></tr>\n");
  }

  /** "just now", "5 min ago", "3 h ago", "2 d ago", or "never". */
  static String relative(Instant then, Instant now) {
    if (then == null) {
      return "never";
    }
    long seconds = Math.max(0, Duration.between(then, now).getSeconds());
    if (seconds < 60) {
      return "just now";
    }
    if (seconds < 3600) {
      return seconds / 60 + " min ago";
    }
    if (seconds < 86_400) {
      return seconds / 3600 + " h ago";
    }
    return seconds / 86_400 + " d ago";
  }

  private static String colour(String status) {
    return COLOURS.getOrDefault(status, "#80868b");
  }
}
