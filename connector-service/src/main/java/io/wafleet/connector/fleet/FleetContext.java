package io.wafleet.connector.fleet;

import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.IncidentStore;
import io.wafleet.common.store.SessionStore;
import io.wafleet.connector.messages.OutboxDispatcher;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * What every {@link AccountSupervisor} of an instance shares: the stores, the instance's outbox
 * dispatcher (with the message and outbox stores), the client factory, the
 * timer, the worker pool the per-account serial executors run on, time and randomness, and the
 * incident store the supervisors open and resolve their account's incidents in, and the grouped
 * owner writes every account's status moves go through. Immutable; each part is thread-safe.
 */
public record FleetContext(AccountStore accounts, SessionStore sessions, OutboxDispatcher outbox,
    ClientFactory clients,
    Scheduler scheduler, Executor pool, Clock clock, SecureRandom random, SupervisorConfig config,
    IncidentStore incidents, AccountWrites writes) {

  /** With the owner writes grouped over {@code accounts} by default ({@link AccountWrites#AccountWrites(AccountStore)}). */
  public FleetContext(AccountStore accounts, SessionStore sessions, OutboxDispatcher outbox, ClientFactory clients,
      Scheduler scheduler, Executor pool, Clock clock, SecureRandom random, SupervisorConfig config,
      IncidentStore incidents) {
    this(accounts, sessions, outbox, clients, scheduler, pool, clock, random, config, incidents,
        new AccountWrites(accounts));
  }

  public FleetContext {
    Objects.requireNonNull(accounts, "accounts == null");
    Objects.requireNonNull(sessions, "sessions == null");
    Objects.requireNonNull(outbox, "outbox == null");
    Objects.requireNonNull(clients, "clients == null");
    Objects.requireNonNull(scheduler, "scheduler == null");
    Objects.requireNonNull(pool, "pool == null");
    Objects.requireNonNull(clock, "clock == null");
    Objects.requireNonNull(random, "random == null");
    Objects.requireNonNull(config, "config == null");
    Objects.requireNonNull(incidents, "incidents == null");
    Objects.requireNonNull(writes, "writes == null");
  }
}
