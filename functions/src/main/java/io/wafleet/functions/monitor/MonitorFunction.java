package io.wafleet.functions.monitor;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import io.wafleet.functions.alert.AlertChannel;
import io.wafleet.functions.alert.Alerter;
import io.wafleet.functions.alert.LogChannel;
import io.wafleet.functions.alert.TelegramChannel;
import io.wafleet.functions.api.FunctionsConfig;
import io.wafleet.functions.api.Stores;
import io.wafleet.functions.auth.AdminToken;
import io.wafleet.functions.auth.Authenticator;
import io.wafleet.functions.auth.GoogleIdTokens;
import io.wafleet.functions.auth.Principal;
import io.wafleet.functions.http.ApiErrorCode;
import io.wafleet.functions.http.ApiErrors;
import io.wafleet.functions.http.ApiException;
import io.wafleet.functions.http.Exchange;
import io.wafleet.functions.watchdog.CloudRunRestarter;
import io.wafleet.functions.watchdog.ConnectorRestarter;
import io.wafleet.functions.watchdog.LocalProcessRestarter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduled monitors as one Cloud Function ({@code --target io.wafleet.functions.monitor.MonitorFunction}):
 * {@code POST /jobs/{name}}, called by Cloud Scheduler with an OIDC identity token (verified by the
 * same {@link Authenticator} as the API: Google ID token from an allowed service account, or the
 * admin token for the local runner). The run's scheduled time comes from Cloud Scheduler's
 * {@value #SCHEDULE_TIME_HEADER} header (the local runner sends it too), else the current time.
 * Logs one JSON line per run. Thread-safe: the runtime calls {@link #service} concurrently.
 */
public final class MonitorFunction implements HttpFunction {

  public static final String SCHEDULE_TIME_HEADER = "X-CloudScheduler-ScheduleTime";
  public static final String PATH_PREFIX = "/jobs/";
  /** How long the watchdog waits for Cloud Run to accept a new revision. */
  static final long RESTART_TIMEOUT_SECONDS = 120;
  private static final Logger log = LoggerFactory.getLogger(MonitorFunction.class);

  private final MonitorJobs jobs;
  private final Authenticator authenticator;
  private final Clock clock;

  /** The runtime's constructor: reads the environment; refuses to start when it is incomplete. */
  public MonitorFunction() {
    this(Environment.read(), Clock.systemUTC());
  }

  private MonitorFunction(Environment env, Clock clock) {
    this(Stores.connect(env.functions(), clock), env.functions(), env.monitor(), clock);
  }

  /** For tests and the local runner: stores over the emulator, configs built in code, a clock. */
  public MonitorFunction(Stores stores, FunctionsConfig config, MonitorSettings settings, Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.authenticator = new Authenticator(new AdminToken(config.adminToken()), config.idTokens()
        .map(t -> new GoogleIdTokens(t.certsUrl(), t.audience(), t.allowedEmails(), clock)));
    AlertChannel channel = settings.telegram()
        .<AlertChannel>map(t -> new TelegramChannel(t.apiUrl(), t.botToken(), t.chatId()))
        .orElseGet(LogChannel::new);
    Alerter alerter = new Alerter(stores.alertStates(), channel, settings.alertThrottle(), clock);
    Optional<ConnectorRestarter> restarter = settings.connectorService()
        .<ConnectorRestarter>map(service -> new CloudRunRestarter(CloudRunRestarter.googleClient(), service, clock,
            RESTART_TIMEOUT_SECONDS))
        .or(() -> settings.connectorPidFile().map(LocalProcessRestarter::standard));
    this.jobs = new MonitorJobs(stores, new ConnectorLiveness(config.connectorStale()), settings, alerter, restarter, clock);
    log.atInfo().addKeyValue("project", config.projectId()).addKeyValue("jobs", jobs.names())
        .addKeyValue("alerts", channel.describe())
        .addKeyValue("restarts", restarter.map(ConnectorRestarter::describe).orElse("none")).log("monitor function ready");
  }

  private record Environment(FunctionsConfig functions, MonitorSettings monitor) {
    static Environment read() {
      try {
        return new Environment(FunctionsConfig.fromEnv(System.getenv()), MonitorSettings.fromEnv(System.getenv()));
      } catch (IllegalArgumentException e) {
        log.error("monitor function refuses to start: {}", e.getMessage());
        throw e;
      }
    }
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) {
    Instant started = clock.instant();
    Exchange exchange = new Exchange(request, response, Map.of());
    String job = "unmatched";
    String caller = "anonymous";
    try {
      String path = request.getPath();
      if (!path.startsWith(PATH_PREFIX)) {
        throw ApiException.notFound("job");
      }
      MonitorJob target = jobs.find(path.substring(PATH_PREFIX.length()))
          .orElseThrow(() -> ApiException.notFound("job"));
      job = target.name();
      if (!"POST".equals(request.getMethod())) {
        exchange.header("Allow", "POST");
        throw new ApiException(ApiErrorCode.METHOD_NOT_ALLOWED, "use POST");
      }
      Principal principal = authenticator.require(exchange);
      caller = principal.kind().name();
      Instant scheduledFor = scheduleTime(exchange).orElse(started);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("job", job);
      body.put("scheduledFor", scheduledFor);
      body.put("result", target.run(scheduledFor));
      exchange.json(200, body);
    } catch (RuntimeException | Error e) {
      exchange.error(ApiErrors.map(e, "/jobs/" + job));
    }
    log.atInfo().addKeyValue("job", job).addKeyValue("status", exchange.status())
        .addKeyValue("latencyMs", Duration.between(started, clock.instant()).toMillis()).addKeyValue("caller", caller)
        .log("job");
  }

  private static Optional<Instant> scheduleTime(Exchange exchange) {
    return exchange.header(SCHEDULE_TIME_HEADER).map(raw -> {
      try {
        return java.time.OffsetDateTime.parse(raw.trim()).toInstant();
      } catch (DateTimeParseException e) {
        throw ApiException.invalidField(SCHEDULE_TIME_HEADER, "must be an RFC 3339 time such as 2026-01-01T00:00:00Z");
      }
    });
  }
}
