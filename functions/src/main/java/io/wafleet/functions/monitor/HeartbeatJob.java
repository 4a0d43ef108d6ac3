package io.wafleet.functions.monitor;

import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.DesiredState;
import io.wafleet.common.model.Heartbeat;
import io.wafleet.common.model.Lease;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.HeartbeatStore;
import io.wafleet.common.store.LeaseStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The every-minute heartbeat: writes the bucket of the scheduled minute with the connectors alive,
 * their summed memory from their beats, the account count per status, and how late the run started
 * (scheduling drift), and every account not CONNECTED with its status (STOPPED when not desired
 * ACTIVE), the source of per-account uptime: one read per such account, no extra write. The bucket
 * id comes from the scheduled minute, so a retried or doubled run overwrites its own minute and
 * never adds one. Thread-safe (stateless).
 */
public final class HeartbeatJob {

  private final AccountStore accounts;
  private final LeaseStore leases;
  private final HeartbeatStore heartbeats;
  private final ConnectorLiveness liveness;
  private final Clock clock;

  public HeartbeatJob(AccountStore accounts, LeaseStore leases, HeartbeatStore heartbeats, ConnectorLiveness liveness,
      Clock clock) {
    this.accounts = Objects.requireNonNull(accounts, "accounts == null");
    this.leases = Objects.requireNonNull(leases, "leases == null");
    this.heartbeats = Objects.requireNonNull(heartbeats, "heartbeats == null");
    this.liveness = Objects.requireNonNull(liveness, "liveness == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  /**
   * @param scheduledFor the time the scheduler meant this run for (Cloud Scheduler's schedule time);
   *     its minute is the bucket
   */
  public Heartbeat run(Instant scheduledFor) {
    Instant now = clock.instant();
    Instant bucket = scheduledFor.truncatedTo(ChronoUnit.MINUTES);
    int alive = 0;
    long memory = 0;
    for (Lease lease : leases.list()) {
      if (liveness.isAlive(lease, now)) {
        alive++;
        memory += lease.memoryBytes();
      }
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Map.Entry<AccountStatus, Long> e : accounts.countByStatus().entrySet()) {
      counts.put(e.getKey().name(), e.getValue());
    }
    Map<String, String> notConnected = new TreeMap<>();
    for (Account a : accounts.listNotConnected()) {
      notConnected.put(a.id(), a.desired() == DesiredState.ACTIVE ? a.status().name() : Heartbeat.STOPPED);
    }
    long drift = Math.max(0, Duration.between(bucket, now).toMillis());
    Heartbeat beat = new Heartbeat(bucket, alive, counts, memory, drift, now, notConnected);
    heartbeats.store(beat);
    return beat;
  }
}
