package io.wafleet.functions.monitor;

import io.wafleet.common.model.Heartbeat;
import io.wafleet.common.model.Incident;
import io.wafleet.functions.alert.Alerter;
import io.wafleet.functions.alert.ConnectorIncidentAlerts;
import io.wafleet.functions.alert.IncidentAlerts;
import io.wafleet.functions.api.Stores;
import io.wafleet.functions.watchdog.ConnectorRestarter;
import io.wafleet.functions.watchdog.Watchdog;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The jobs the monitor function serves, by name. Immutable. */
public final class MonitorJobs {

  public static final String HEARTBEAT = "heartbeat";
  public static final String DISCONNECT_GUARD = "disconnect-guard";
  public static final String PROBE_GUARD = "probe-guard";
  public static final String WATCHDOG = "watchdog";
  public static final String ALERTS = "alerts";
  public static final String PROBES = "probes";
  public static final String DAILY_ROLLUP = "daily-rollup";

  private final Map<String, MonitorJob> byName = new LinkedHashMap<>();

  public MonitorJobs(Stores stores, ConnectorLiveness liveness, MonitorSettings settings, Alerter alerter,
      Optional<ConnectorRestarter> restarter, Clock clock) {
    Objects.requireNonNull(stores, "stores == null");
    IncidentAlerts alerts = new IncidentAlerts(alerter, stores.accounts());
    HeartbeatJob heartbeat = new HeartbeatJob(stores.accounts(), stores.leases(), stores.heartbeats(), liveness, clock);
    DisconnectGuard guard = new DisconnectGuard(stores.accounts(), stores.incidents(), settings.disconnectThreshold(), clock);
    add(new Named(HEARTBEAT, scheduledFor -> {
      Heartbeat h = heartbeat.run(scheduledFor);
      return MonitorViews.heartbeat(h);
    }));
    add(new Named(DISCONNECT_GUARD, scheduledFor -> guardResult(guard.run(), alerts)));
    ProbeGuard probeGuard = new ProbeGuard(stores.probes(), stores.incidents(), clock);
    add(new Named(PROBE_GUARD, scheduledFor -> guardResult(probeGuard.run(), alerts)));
    Watchdog watchdog = new Watchdog(stores.leases(), stores.incidents(), stores.locks(), liveness, restarter,
        Watchdog.DEFAULT_RESTART_COOLDOWN, clock);
    add(new Named(WATCHDOG, scheduledFor -> {
      Watchdog.Result r = watchdog.run();
      Map<String, Object> m = guardResult(r.report(), alerts);
      m.put("connectorsAlive", r.connectorsAlive());
      m.put("restart", r.restart().orElse(null));
      return m;
    }));
    ConnectorIncidentAlerts connectorIncidents = new ConnectorIncidentAlerts(stores.incidents(), alerts, alerter, clock);
    ConditionAlerts conditions = new ConditionAlerts(stores.heartbeats(), stores.outbox(), alerter, clock);
    ReconnectRateAlerts reconnectRate = new ReconnectRateAlerts(stores.accounts(), alerter, clock);
    ProbeRunner probeRunner = new ProbeRunner(stores.accounts(), stores.outbox(), stores.messages(), stores.probes(),
        stores.monitorConfig(), settings.probes(), clock);
    add(new Named(PROBES, probeRunner::run));
    add(new Named(ALERTS, scheduledFor -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("connectorIncidents", sentView(connectorIncidents.run()));
      m.put("conditions", sentView(conditions.run()));
      m.put("reconnectRate", sentView(reconnectRate.run()));
      return m;
    }));
    DailyRollupJob rollup = new DailyRollupJob(stores.heartbeats(), stores.probes(), stores.incidents(), stores.rollups(),
        stores.accounts());
    add(new Named(DAILY_ROLLUP, rollup::run));
  }

  private static Map<String, Object> guardResult(GuardReport r, IncidentAlerts alerts) {
    IncidentAlerts.Sent sent = alerts.publish(r.open(), r.resolved());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("opened", r.opened().stream().map(Incident::id).toList());
    m.put("stillOpen", r.stillOpen().stream().map(Incident::id).toList());
    m.put("resolved", r.resolved().stream().map(Incident::id).toList());
    m.put("alertsSent", sent.alerts());
    m.put("alertsThrottled", sent.throttled());
    m.put("alertsFailed", sent.failed());
    m.put("recoveriesSent", sent.recoveries());
    return m;
  }

  private static Map<String, Object> sentView(IncidentAlerts.Sent sent) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("alertsSent", sent.alerts());
    m.put("alertsThrottled", sent.throttled());
    m.put("alertsFailed", sent.failed());
    m.put("recoveriesSent", sent.recoveries());
    return m;
  }

  private void add(MonitorJob job) {
    byName.put(job.name(), job);
  }

  public Optional<MonitorJob> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Every job name, in registration order (the jobs.yaml test checks each schedule against these). */
  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  /** The job names without building any job: what {@code scheduler/jobs.yaml} may point at. */
  public static List<String> knownNames() {
    return List.of(HEARTBEAT, DISCONNECT_GUARD, PROBES, PROBE_GUARD, WATCHDOG, ALERTS, DAILY_ROLLUP);
  }

  private record Named(String name, java.util.function.Function<Instant, Map<String, Object>> body) implements MonitorJob {
    @Override
    public Map<String, Object> run(Instant scheduledFor) {
      return body.apply(scheduledFor);
    }
  }
}
