package io.wafleet.functions.monitor;

import io.wafleet.common.model.Account;
import io.wafleet.common.store.AccountStore;
import io.wafleet.functions.alert.Alert;
import io.wafleet.functions.alert.AlertType;
import io.wafleet.functions.alert.Alerter;
import io.wafleet.functions.alert.IncidentAlerts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The reconnect-rate alert, per account: more than {@value #MAX_PER_HOUR} reconnects within the last
 * hour, counted from the account's {@code recentReconnects} (the connector appends each reconnect it
 * counts, in the write it makes anyway). It catches an account that keeps dropping and coming back
 * more slowly than the connector's own reconnect-loop incident (10 within 10 minutes) notices.
 *
 * <p>Each run reads only the accounts disconnected within the last two hours
 * ({@link AccountStore#listDisconnectedSince}): one with more than {@value #MAX_PER_HOUR} in the last
 * hour raises the alert (throttled per account through the {@link Alerter}); one that had more than
 * {@value #MAX_PER_HOUR} in the last two hours but not in the last one has calmed down and sends the
 * episode's one recovery (the mark is in Firestore, so a later run sends nothing twice). The
 * two-hour look covers the first calm run even after a missed run or two. Thread-safe (stateless).
 */
public final class ReconnectRateAlerts {

  public static final int MAX_PER_HOUR = 5;
  static final Duration WINDOW = Duration.ofHours(1);
  /** How far back a run looks for accounts that may have calmed down. */
  static final Duration LOOKBACK = WINDOW.multipliedBy(2);

  private final AccountStore accounts;
  private final Alerter alerter;
  private final Clock clock;

  public ReconnectRateAlerts(AccountStore accounts, Alerter alerter, Clock clock) {
    this.accounts = Objects.requireNonNull(accounts, "accounts == null");
    this.alerter = Objects.requireNonNull(alerter, "alerter == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  public IncidentAlerts.Sent run() {
    Instant now = clock.instant();
    Instant hourAgo = now.minus(WINDOW);
    IncidentAlerts.Sent sent = IncidentAlerts.Sent.NONE;
    for (Account a : accounts.listDisconnectedSince(now.minus(LOOKBACK))) {
      int lastHour = a.reconnectsAfter(hourAgo);
      if (lastHour > MAX_PER_HOUR) {
        Instant since = a.recentReconnects().stream().filter(t -> t.isAfter(hourAgo)).findFirst().orElse(now);
        String what = lastHour + " reconnects in the last hour (more than " + MAX_PER_HOUR + "); last cause "
            + (a.lastDisconnectReason() == null ? "unknown" : a.lastDisconnectReason()) + ", status " + a.status();
        sent = sent.plus(switch (alerter.raise(new Alert(AlertType.RECONNECT_RATE, a.id(), label(a), what, since))) {
          case SENT -> new IncidentAlerts.Sent(1, 0, 0, 0);
          case THROTTLED -> new IncidentAlerts.Sent(0, 1, 0, 0);
          case FAILED -> new IncidentAlerts.Sent(0, 0, 1, 0);
          case NONE -> IncidentAlerts.Sent.NONE;
        });
      } else if (a.reconnectsAfter(now.minus(LOOKBACK)) > MAX_PER_HOUR) {
        sent = sent.plus(switch (alerter.recoverOnce(AlertType.RECONNECT_RATE, a.id(), () -> label(a), Instant.EPOCH,
            null)) {
          case SENT -> new IncidentAlerts.Sent(0, 0, 0, 1);
          case FAILED -> new IncidentAlerts.Sent(0, 0, 1, 0);
          default -> IncidentAlerts.Sent.NONE;
        });
      }
    }
    return sent;
  }

  /** As {@link IncidentAlerts} labels an account: its name and masked phone, never the full number. */
  private static String label(Account a) {
    return "account " + a.id() + " \"" + a.name() + "\" (" + a.maskedPhone() + ")";
  }
}
