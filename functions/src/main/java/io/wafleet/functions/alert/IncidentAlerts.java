package io.wafleet.functions.alert;

import io.wafleet.common.model.Account;
import io.wafleet.common.model.Incident;
import io.wafleet.common.store.AccountStore;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns what a guard found into alerts: every open incident raises its alert (the throttle keeps
 * that to once an hour per incident type and subject, and re-sends it after a failed delivery); every
 * incident the run resolved sends one recovery. Incident types without an {@link AlertType} are
 * not alerted. Thread-safe (stateless).
 */
public final class IncidentAlerts {

  private final Alerter alerter;
  private final AccountStore accounts;

  public IncidentAlerts(Alerter alerter, AccountStore accounts) {
    this.alerter = Objects.requireNonNull(alerter, "alerter == null");
    this.accounts = Objects.requireNonNull(accounts, "accounts == null");
  }

  /** Counts of what was sent, for the job's response. */
  public record Sent(int alerts, int throttled, int failed, int recoveries) {
    public static final Sent NONE = new Sent(0, 0, 0, 0);

    public Sent plus(Sent o) {
      return new Sent(alerts + o.alerts, throttled + o.throttled, failed + o.failed, recoveries + o.recoveries);
    }
  }

  public Sent publish(List<Incident> open, List<Incident> resolved) {
    int sent = 0;
    int throttled = 0;
    int failed = 0;
    int recoveries = 0;
    for (Incident i : open) {
      Optional<Alert> alert = alertFor(i);
      if (alert.isPresent()) {
        switch (alerter.raise(alert.get())) {
          case SENT -> sent++;
          case THROTTLED -> throttled++;
          case FAILED -> failed++;
        }
      }
    }
    for (Incident i : resolved) {
      Optional<Alert> alert = alertFor(i);
      if (alert.isPresent() && i.timeToRecover().isPresent()
          && alerter.recover(alert.get(), i.timeToRecover().get()) == Alerter.Outcome.SENT) {
        recoveries++;
      }
    }
    return new Sent(sent, throttled, failed, recoveries);
  }

  /** The alert of an incident (its detail as what happened, its opening as since), if its type alerts. */
  Optional<Alert> alertFor(Incident i) {
    return AlertType.ofIncidentType(i.type()).map(type -> new Alert(type, i.subject(), label(i.subject()),
        i.detail() == null ? type.wireName() : i.detail(), i.openedAt()));
  }

  /** An account's name and masked phone; any other subject as it is. */
  String label(String subject) {
    return accounts.load(subject).map(IncidentAlerts::accountLabel).orElse(subject);
  }

  private static String accountLabel(Account a) {
    return "account " + a.id() + " \"" + a.name() + "\" (" + a.maskedPhone() + ")";
  }
}
