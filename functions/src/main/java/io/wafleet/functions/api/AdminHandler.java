package io.wafleet.functions.api;

import io.wafleet.common.model.Incident;
import io.wafleet.common.model.IncidentState;
import io.wafleet.common.model.Probe;
import io.wafleet.common.store.DocumentIds;
import io.wafleet.functions.http.ApiException;
import io.wafleet.functions.http.DisplayText;
import io.wafleet.functions.monitor.Coverage;
import io.wafleet.functions.monitor.DailyReport;
import io.wafleet.functions.monitor.ReportMarkdown;
import io.wafleet.functions.monitor.MonitorViews;
import io.wafleet.functions.monitor.ProbeStats;
import io.wafleet.functions.http.Exchange;
import io.wafleet.functions.http.Requests;
import java.time.Clock;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * /v1/admin: what the monitors wrote (heartbeats, coverage, probes, incidents, locks, config) and resolving an
 * incident by hand. Read-only apart from resolve. Thread-safe.
 */
final class AdminHandler {

  static final Duration DEFAULT_HEARTBEAT_WINDOW = Duration.ofHours(1);
  static final Duration MAX_HEARTBEAT_WINDOW = Duration.ofDays(2);
  static final Duration DEFAULT_COVERAGE_WINDOW = Duration.ofDays(1);
  static final Duration MAX_COVERAGE_WINDOW = Duration.ofDays(8);
  static final Duration MAX_PROBE_WINDOW = Duration.ofDays(31);

  private final Stores stores;
  private final Clock clock;

  AdminHandler(Stores stores, Clock clock) {
    this.stores = Objects.requireNonNull(stores, "stores == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  void register(Router router) {
    router.add("GET", "/v1/admin/heartbeats", Access.AUTHENTICATED, this::heartbeats)
        .add("GET", "/v1/admin/coverage", Access.AUTHENTICATED, this::coverage)
        .add("GET", "/v1/admin/probes", Access.AUTHENTICATED, this::probes)
        .add("GET", "/v1/admin/probes/stats", Access.AUTHENTICATED, this::probeStats)
        .add("GET", "/v1/admin/report", Access.AUTHENTICATED, this::report)
        .add("GET", "/v1/admin/incidents", Access.AUTHENTICATED, this::incidents)
        .add("GET", "/v1/admin/locks", Access.AUTHENTICATED, this::locks)
        .add("GET", "/v1/admin/config", Access.AUTHENTICATED, this::config)
        .add("POST", "/v1/admin/incidents/{id}/resolve", Access.AUTHENTICATED, this::resolve);
  }

  private void heartbeats(Exchange ex, Caller caller) {
    Instant to = instant(ex, "to").orElse(clock.instant());
    Instant from = instant(ex, "from").orElseGet(() -> {
      Instant window = to.minus(DEFAULT_HEARTBEAT_WINDOW);
      return window.isBefore(EARLIEST) ? EARLIEST : window;
    });
    if (!from.isBefore(to)) {
      throw ApiException.invalidField("from", "must be before to");
    }
    if (Duration.between(from, to).compareTo(MAX_HEARTBEAT_WINDOW) > 0) {
      throw ApiException.invalidField("from", "must be at most 48 hours before to");
    }
    List<Map<String, Object>> items = stores.heartbeats().list(from, to).stream().map(MonitorViews::heartbeat).toList();
    ex.json(200, Map.of("from", from, "to", to, "items", items));
  }

  private void coverage(Exchange ex, Caller caller) {
    Instant to = instant(ex, "to").orElse(clock.instant());
    Instant from = instant(ex, "from").orElse(to.minus(DEFAULT_COVERAGE_WINDOW));
    if (!from.isBefore(to)) {
      throw ApiException.invalidField("from", "must be before to");
    }
    if (Duration.between(from, to).compareTo(MAX_COVERAGE_WINDOW) > 0) {
      throw ApiException.invalidField("from", "must be at most 8 days before to");
    }
    Instant start = from.truncatedTo(ChronoUnit.MINUTES);
    Instant end = to.truncatedTo(ChronoUnit.MINUTES);
    ex.json(200, MonitorViews.coverage(Coverage.of(start, end, stores.heartbeats().list(start, end))));
  }

  private void probeStats(Exchange ex, Caller caller) {
    Instant to = instant(ex, "to").orElse(clock.instant());
    Instant from = instant(ex, "from").orElse(to.minus(DEFAULT_COVERAGE_WINDOW));
    if (!from.isBefore(to)) {
      throw ApiException.invalidField("from", "must be before to");
    }
    if (Duration.between(from, to).compareTo(MAX_PROBE_WINDOW) > 0) {
      throw ApiException.invalidField("from", "must be at most 31 days before to");
    }
    ex.json(200, Map.of("from", from, "to", to,
        "types", MonitorViews.probeStats(ProbeStats.of(stores.probes().list(from, to)))));
  }

  private void report(Exchange ex, Caller caller) {
    LocalDate day = ReportHandler.day(ex, clock);
    String format = ex.query("format").orElse("json");
    if (!format.equals("json") && !format.equals("markdown")) {
      throw ApiException.invalidField("format", "must be json or markdown");
    }
    DailyReport report = ReportHandler.load(stores, day);
    if (format.equals("markdown")) {
      ex.send(200, "text/markdown; charset=utf-8", ReportMarkdown.render(report).getBytes(StandardCharsets.UTF_8));
    } else {
      ex.json(200, MonitorViews.report(report));
    }
  }

  private void probes(Exchange ex, Caller caller) {
    List<Map<String, Object>> items = stores.probes().listRecent(Paging.limit(ex)).stream().map(AdminHandler::probe).toList();
    ex.json(200, Map.of("items", items));
  }

  private void incidents(Exchange ex, Caller caller) {
    IncidentState state = ex.query("state").map(AdminHandler::state).orElse(IncidentState.OPEN);
    List<Map<String, Object>> items = stores.incidents().list(state, Paging.limit(ex)).stream()
        .map(Views::incident).toList();
    ex.json(200, Map.of("state", state.name(), "items", items));
  }

  private void locks(Exchange ex, Caller caller) {
    Map<String, Object> items = new LinkedHashMap<>();
    stores.locks().list().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> items.put(e.getKey(), Views.plain(e.getValue())));
    ex.json(200, Map.of("locks", items));
  }

  private void config(Exchange ex, Caller caller) {
    ex.json(200, Map.of("config", Views.plain(stores.monitorConfig().load())));
  }

  private void resolve(Exchange ex, Caller caller) {
    String id = DocumentIds.require(ex.pathParam("id"), "id");
    Requests.ResolveIncident body = ex.optionalBody(Requests.ResolveIncident.class);
    String resolution = body == null || body.resolution() == null ? "resolved by operator" : body.resolution().strip();
    if (resolution.isEmpty() || resolution.length() > 500) {
      throw ApiException.invalidField("resolution", "must be 1 to 500 characters");
    }
    String problem = DisplayText.problem(resolution);
    if (problem != null) {
      throw ApiException.invalidField("resolution", problem);
    }
    Incident resolved = stores.incidents().resolve(id, resolution)
        .orElseThrow(() -> ApiException.notFound("open incident"));
    ex.json(200, Views.incident(resolved));
  }

  /** The instants Firestore can store (its Timestamp range); anything outside is the caller's error. */
  static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
  static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

  private static Optional<Instant> instant(Exchange ex, String name) {
    return ex.query(name).map(raw -> {
      Instant parsed;
      try {
        parsed = Instant.parse(raw);
      } catch (DateTimeParseException e) {
        throw ApiException.invalidField(name, "must be an ISO-8601 instant such as 2026-01-01T00:00:00Z");
      }
      if (parsed.isBefore(EARLIEST) || parsed.isAfter(LATEST)) {
        throw ApiException.invalidField(name, "must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
      }
      return parsed;
    });
  }

  private static IncidentState state(String raw) {
    for (IncidentState s : IncidentState.values()) {
      if (s.name().equals(raw)) {
        return s;
      }
    }
    throw ApiException.invalidField("state", "must be OPEN or RESOLVED");
  }

  private static Map<String, Object> probe(Probe p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", p.type().name());
    m.put("at", p.at());
    m.put("ok", p.ok());
    m.put("latencyMs", p.latencyMs());
    m.put("accountId", p.accountId());
    m.put("error", p.error());
    return m;
  }
}
