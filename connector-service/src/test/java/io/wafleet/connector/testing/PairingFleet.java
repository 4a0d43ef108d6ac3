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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Pairs accounts in the test's own JVM (instance {@code inst-pair}, 30 pre-keys per device keep the
 * emulator's work small) with the simulator's phones, then gives every account and the lease up as a
 * SIGTERM'd instance does, so connector processes started afterwards restore them with no QR. The
 * sessions are encrypted with key ring {@code k1} filled with {@code keyFill} (as {@link ConnectorEnv}).
 */
public final class PairingFleet implements AutoCloseable {

  private static final Duration STEP = Duration.ofSeconds(180);

  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  /** The lease renews on its own thread, never behind the registrations on the pool. */
  private final ExecutorService leaseThread = Executors.newSingleThreadExecutor();
  private final AccountStore accounts;
  private final SimulatorAdminClient admin;
  private final Fleet fleet;
  private final InstanceLease lease;

  public PairingFleet(FirestoreEmulatorExtension firestore, WaSimulator simulator, SimulatorAdminClient admin,
      int keyFill) {
    Clock clock = Clock.systemUTC();
    this.admin = admin;
    accounts = new AccountStore(firestore.firestore(), clock);
    LeaseStore leases = new LeaseStore(firestore.firestore(), clock, Duration.ofSeconds(1));
    ExecutorScheduler scheduler = new ExecutorScheduler(timer);
    SessionStore sessions = new SessionStore(firestore.firestore(), Sessions.cipher("k1", keyFill), clock);
    FleetContext ctx = new FleetContext(accounts, sessions, new OutboxDispatcher(
        new OutboxStore(firestore.firestore(), clock), new MessageStore(firestore.firestore(), clock), "inst-pair", scheduler,
        clock, new OutboxConfig(OutboxConfig.DEFAULT_MESSAGES_PER_MINUTE, OutboxConfig.DEFAULT_MAX_ATTEMPTS,
            Backoff.standard(() -> 0.5))),
        (auth, listener) -> WaClient.builder(auth).serverUri(simulator.wsUri())
            .certificateVerifier(simulator.trustedVerifier()).listener(listener).initialPreKeyCount(30).build(),
        scheduler, pool, clock, new SecureRandom(),
        new SupervisorConfig(SupervisorConfig.DEFAULT_CONNECT_TIMEOUT, Backoff.standard(() -> 0.5)),
        new IncidentStore(firestore.firestore(), clock));
    fleet = new Fleet(ctx, leases, "inst-pair", 4);
    lease = new InstanceLease(leases, new LeaseConfig("inst-pair", LeaseConfig.DEFAULT_TTL,
        LeaseConfig.DEFAULT_RENEW_EVERY, "test"), scheduler, leaseThread, clock, fleet::owned,
      fleet::onLeaseLost);
  }

  /**
   * Claims the active accounts, has phone {@code phones.get(i)} scan the QR of {@code ids.get(i)},
   * waits until every one is CONNECTED, then gives them all up.
   */
  public void pairAndGiveUp(List<String> ids, List<String> phones) throws Exception {
    lease.acquire();
    fleet.restoreActive();
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      Account withQr = Awaitility.await("a QR for " + id).atMost(STEP).pollInterval(Duration.ofMillis(100))
          .until(() -> accounts.load(id).orElseThrow(), x -> x.status() == AccountStatus.NEEDS_QR && x.qr() != null);
      admin.scan(phones.get(i), withQr.qr().value());
    }
    Awaitility.await("every account paired").atMost(STEP).pollInterval(Duration.ofMillis(250))
        .until(() -> ids.stream().allMatch(id -> accounts.load(id).orElseThrow().status() == AccountStatus.CONNECTED));
    fleet.releaseAll(pool).get(60, TimeUnit.SECONDS);
    lease.release();
  }

  @Override
  public void close() {
    lease.close();
    fleet.shutdownAll();
    timer.shutdownNow();
    leaseThread.shutdownNow();
    pool.shutdownNow();
  }
}
