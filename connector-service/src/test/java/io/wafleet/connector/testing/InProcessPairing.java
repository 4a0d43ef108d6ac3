package io.wafleet.connector.testing;

import io.wafleet.client.WaClient;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.IncidentStore;
import io.wafleet.common.store.LeaseStore;
import io.wafleet.common.store.MessageStore;
import io.wafleet.common.store.OutboxStore;
import io.wafleet.common.store.SessionStore;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.connector.fleet.Backoff;
import io.wafleet.connector.fleet.ExecutorScheduler;
import io.wafleet.connector.fleet.Fleet;
import io.wafleet.connector.fleet.FleetContext;
import io.wafleet.connector.fleet.SupervisorConfig;
import io.wafleet.connector.lease.InstanceLease;
import io.wafleet.connector.lease.LeaseConfig;
import io.wafleet.connector.messages.OutboxConfig;
import io.wafleet.connector.messages.OutboxDispatcher;
import io.wafleet.simulator.WaSimulator;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Pairs accounts in the test's JVM through the real fleet code (instance {@code inst-pair}, 30
 * pre-keys per device to keep the emulator's work small): each account gets a QR, its simulated
 * phone scans it, the account connects. {@link #giveUp()} then closes every socket and gives the
 * accounts and the lease up, as a SIGTERM'd instance does, so connector processes restore the stored
 * sessions with no QR. The session key ring is one 32-byte key {@code k1} filled with
 * {@code keyFill} (a connector process given {@link ConnectorEnv#of} with the same fill reads them).
 */
public final class InProcessPairing implements AutoCloseable {

  /** The instance id the pairing fleet holds its lease and accounts under. */
  public static final String INSTANCE = "inst-pair";

  private final AccountStore accounts;
  private final SimulatorAdminClient admin;
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final Fleet fleet;
  private final InstanceLease lease;

  public InProcessPairing(FirestoreEmulatorExtension firestore, WaSimulator simulator, int keyFill) {
    Clock clock = Clock.systemUTC();
    this.accounts = new AccountStore(firestore.firestore(), clock);
    this.admin = new SimulatorAdminClient(simulator.adminUri());
    LeaseStore leases = new LeaseStore(firestore.firestore(), clock, Duration.ofSeconds(1));
    ExecutorScheduler scheduler = new ExecutorScheduler(timer);
    SessionStore sessions = new SessionStore(firestore.firestore(), Sessions.cipher("k1", keyFill), clock);
    FleetContext ctx = new FleetContext(accounts, sessions, new OutboxDispatcher(
        new OutboxStore(firestore.firestore(), clock), new MessageStore(firestore.firestore(), clock), INSTANCE, scheduler,
        clock, new OutboxConfig(OutboxConfig.DEFAULT_MESSAGES_PER_MINUTE, OutboxConfig.DEFAULT_MAX_ATTEMPTS,
            Backoff.standard(() -> 0.5))),
        (auth, listener) -> WaClient.builder(auth).serverUri(simulator.wsUri())
            .certificateVerifier(simulator.trustedVerifier()).listener(listener).initialPreKeyCount(30).build(),
        scheduler, pool, clock, new SecureRandom(),
        new SupervisorConfig(SupervisorConfig.DEFAULT_CONNECT_TIMEOUT, Backoff.standard(() -> 0.5)),
        new IncidentStore(firestore.firestore(), clock));
    fleet = new Fleet(ctx, leases, INSTANCE, 4);
    lease = new InstanceLease(leases, new LeaseConfig(INSTANCE, LeaseConfig.DEFAULT_TTL,
        LeaseConfig.DEFAULT_RENEW_EVERY, "test"), scheduler, pool, clock, fleet::owned, fleet::onLeaseLost);
  }

  /**
   * Pairs the accounts (already created, each with its phone at the simulator): account id to the
   * phone number that scans its QR. Returns once every one of them is CONNECTED.
   */
  public void pairAll(Map<String, String> phoneOfAccount, Duration step) throws Exception {
    lease.acquire();
    fleet.restoreActive();
    for (Map.Entry<String, String> e : phoneOfAccount.entrySet()) {
      String id = e.getKey();
      Account withQr = Waits.until("a QR for " + id, step, () -> accounts.load(id).orElse(null),
          a -> a.status() == AccountStatus.NEEDS_QR && a.qr() != null,
          a -> a.status() + " lastError=" + a.lastError());
      admin.scan(e.getValue(), withQr.qr().value());
    }
    List<String> ids = List.copyOf(phoneOfAccount.keySet());
    Waits.until("every account paired", step,
        () -> ids.stream().map(id -> accounts.load(id).orElseThrow()).toList(),
        all -> all.stream().allMatch(a -> a.status() == AccountStatus.CONNECTED),
        all -> all.stream().map(a -> a.id() + "=" + a.status()).toList().toString());
  }

  /** Closes every socket and gives every account and the lease up, as a SIGTERM'd instance does. */
  public void giveUp() throws Exception {
    fleet.releaseAll(pool).get(60, TimeUnit.SECONDS);
    lease.release();
  }

  @Override
  public void close() {
    fleet.shutdownAll();
    timer.shutdownNow();
    pool.shutdownNow();
  }
}
