package io.wafleet.functions.alert;

import io.wafleet.common.model.Incident;
import io.wafleet.common.model.IncidentType;
import io.wafleet.common.store.IncidentStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Alerts for the incidents the connector opens and resolves itself (reconnect loop, logged out,
 * phone offline; subject = account id, deterministic ids through {@link IncidentStore}). Each run
 * raises the alert of every such open incident (throttled per type and account) and sends one
 * recovery for each such incident resolved within {@link #RECOVERY_LOOKBACK} whose problem alert was
 * sent while it was open (the mark is in Firestore, so a doubled run sends nothing twice). An
 * incident opened and resolved between two runs was never alerted and gets no recovery either.
 * Thread-safe (stateless).
 */
public final class ConnectorIncidentAlerts {

  /** The incident types the connector owns. */
  public static final List<IncidentType> TYPES =
      List.of(IncidentType.RECONNECT_LOOP, IncidentType.LOGGED_OUT, IncidentType.PHONE_OFFLINE);
  /** How far back a run looks for resolved incidents; the job runs every minute. */
  public static final Duration RECOVERY_LOOKBACK = Duration.ofHours(1);

  private final IncidentStore incidents;
  private final IncidentAlerts alerts;
  private final Alerter alerter;
  private final Clock clock;

  public ConnectorIncidentAlerts(IncidentStore incidents, IncidentAlerts alerts, Alerter alerter, Clock clock) {
    this.incidents = Objects.requireNonNull(incidents, "incidents == null");
    this.alerts = Objects.requireNonNull(alerts, "alerts == null");
    this.alerter = Objects.requireNonNull(alerter, "alerter == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  public IncidentAlerts.Sent run() {
    Instant now = clock.instant();
    List<Incident> open = new ArrayList<>();
    for (IncidentType t : TYPES) {
      open.addAll(incidents.listOpen(t.wireName()));
    }
    IncidentAlerts.Sent sent = alerts.publish(open, List.of());
    int recoveries = 0;
    int failed = 0;
    for (Incident i : incidents.listResolvedBetween(now.minus(RECOVERY_LOOKBACK), now.plusSeconds(1))) {
      if (TYPES.stream().noneMatch(t -> t.wireName().equals(i.type()))) {
        continue;
      }
      Optional<AlertType> type = AlertType.ofIncidentType(i.type());
      if (type.isEmpty() || i.timeToRecover().isEmpty()) {
        continue;
      }
      switch (alerter.recoverOnce(type.get(), i.subject(), () -> alerts.label(i.subject()), i.openedAt(),
          i.timeToRecover().get())) {
        case SENT -> recoveries++;
        case FAILED -> failed++;
        default -> { }
      }
    }
    return sent.plus(new IncidentAlerts.Sent(0, 0, failed, recoveries));
  }
}
