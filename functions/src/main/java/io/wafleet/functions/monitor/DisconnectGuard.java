package io.wafleet.functions.monitor;

import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.DesiredState;
import io.wafleet.common.model.Incident;
import io.wafleet.common.model.IncidentType;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.IncidentStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The every-minute disconnect guard. An account desired ACTIVE that has not been CONNECTED for
 * longer than {@code threshold} gets one {@code disconnected} incident, opened at the time the
 * account stopped being connected; each later run only records that it checked it. When the
 * account is CONNECTED again (or no longer desired ACTIVE, or deleted) the incident resolves, and
 * its time to recover is from that start to the resolving run. Every step is an idempotent
 * transaction, so a doubled run changes nothing. Thread-safe (stateless).
 */
public final class DisconnectGuard {

  public static final Duration DEFAULT_THRESHOLD = Duration.ofMinutes(10);
  private static final String TYPE = IncidentType.DISCONNECTED.wireName();

  private final AccountStore accounts;
  private final IncidentStore incidents;
  private final Duration threshold;
  private final Clock clock;

  public DisconnectGuard(AccountStore accounts, IncidentStore incidents, Duration threshold, Clock clock) {
    this.accounts = Objects.requireNonNull(accounts, "accounts == null");
    this.incidents = Objects.requireNonNull(incidents, "incidents == null");
    this.threshold = Objects.requireNonNull(threshold, "threshold == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
    if (threshold.isNegative() || threshold.isZero()) {
      throw new IllegalArgumentException("threshold must be positive");
    }
  }

  public GuardReport run() {
    Instant now = clock.instant();
    Map<String, Account> active = new HashMap<>();
    for (Account a : accounts.listDesired(DesiredState.ACTIVE)) {
      active.put(a.id(), a);
    }
    List<Incident> opened = new ArrayList<>();
    List<Incident> stillOpen = new ArrayList<>();
    for (Account a : active.values().stream().sorted((x, y) -> x.id().compareTo(y.id())).toList()) {
      Optional<Instant> since = notConnectedSince(a);
      if (since.isPresent() && Duration.between(since.get(), now).compareTo(threshold) > 0) {
        String detail = "status " + a.status().name()
            + (a.lastDisconnectReason() == null ? "" : ", last disconnect: " + a.lastDisconnectReason());
        IncidentStore.Opening o = incidents.openOrTouch(TYPE, a.id(), detail, since.get());
        (o.created() ? opened : stillOpen).add(o.incident());
      }
    }
    List<Incident> resolved = new ArrayList<>();
    for (Incident open : incidents.listOpen(TYPE)) {
      Account a = active.get(open.subject());
      String resolution = a == null ? "account no longer desired ACTIVE"
          : a.status() == AccountStatus.CONNECTED ? "reconnected" : null;
      if (resolution != null) {
        incidents.resolve(open.id(), resolution).ifPresent(resolved::add);
      }
    }
    return new GuardReport(opened, stillOpen, resolved);
  }

  /**
   * When the account stopped being connected: the latest of its last disconnect, its last connect
   * and its creation (a status change without a recorded disconnect still began after the last
   * connect). Empty while it is CONNECTED.
   */
  static Optional<Instant> notConnectedSince(Account a) {
    if (a.status() == AccountStatus.CONNECTED) {
      return Optional.empty();
    }
    return Stream.of(a.lastDisconnectAt(), a.connectedAt(), a.createdAt())
        .filter(Objects::nonNull).max(Instant::compareTo);
  }
}
