package io.wafleet.functions.api;

import io.wafleet.functions.auth.ViewLinks;
import io.wafleet.functions.http.ApiException;
import io.wafleet.functions.http.Exchange;
import io.wafleet.functions.monitor.AccountUptime;
import io.wafleet.functions.monitor.DailyReport;
import io.wafleet.functions.render.ReportPage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * GET /v1/report.html?day= (the daily report page with its charts; a signed view link or a
 * credential) and POST /v1/report/links (a view link to it, like the dashboard's). Thread-safe.
 */
final class ReportHandler {

  static final String PAGE_PATH = "/v1/report.html";

  private final Stores stores;
  private final ViewLinks links;
  private final Clock clock;

  ReportHandler(Stores stores, ViewLinks links, Clock clock) {
    this.stores = Objects.requireNonNull(stores, "stores == null");
    this.links = Objects.requireNonNull(links, "links == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  void register(Router router) {
    router.add("GET", PAGE_PATH, Access.VIEW_LINK, this::html)
        .add("POST", "/v1/report/links", Access.AUTHENTICATED, this::link);
  }

  /** The report of {@code day} from the stores (shared with GET /v1/admin/report). */
  static DailyReport load(Stores stores, LocalDate day) {
    Instant from = DailyReport.start(day);
    Instant to = DailyReport.end(day);
    return DailyReport.of(day, stores.heartbeats().list(from, to), stores.probes().list(from, to),
        stores.incidents().listOpenedBetween(from, to), stores.incidents().listResolvedBetween(from, to),
        AccountUptime.known(stores.accounts()));
  }

  /** The {@code day} query parameter, default yesterday (UTC). */
  static LocalDate day(Exchange ex, Clock clock) {
    return ex.query("day").map(raw -> {
      try {
        return LocalDate.parse(raw);
      } catch (DateTimeParseException e) {
        throw ApiException.invalidField("day", "must be a date such as 2026-01-31");
      }
    }).orElse(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1));
  }

  private void html(Exchange ex, Caller caller) {
    String page = ReportPage.render(load(stores, day(ex, clock)));
    ex.header("Referrer-Policy", "no-referrer");
    ex.send(200, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
  }

  private void link(Exchange ex, Caller caller) {
    LocalDate day = day(ex, clock);
    ViewLinks.Issued issued = links.issue(PAGE_PATH);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("url", PAGE_PATH + "?day=" + day + "&view=" + issued.token());
    body.put("expiresAt", issued.expiresAt());
    ex.json(201, body);
  }
}
