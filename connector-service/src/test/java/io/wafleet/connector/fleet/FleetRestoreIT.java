package io.wafleet.connector.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.wafleet.client.WaClient;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.Owner;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.IncidentStore;
import io.wafleet.common.store.MessageStore;
import io.wafleet.common.store.OutboxStore;
import io.wafleet.common.store.LeaseStore;
import io.wafleet.common.store.SessionStore;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.common.testing.ManualClock;
import io.wafleet.connector.messages.OutboxConfig;
import io.wafleet.connector.messages.OutboxDispatcher;
import io.wafleet.connector.lease.InstanceLease;
import io.wafleet.connector.lease.LeaseConfig;
import io.wafleet.connector.testing.ManualScheduler;
import io.wafleet.connector.testing.Sessions;
import io.wafleet.connector.testing.Waits;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import io.wafleet.simulator.SimulatorConfig;
import io.wafleet.simulator.WaSimulator;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Boot restore across instances: instance A pairs three accounts and dies without releasing
 * anything; once its lease has run out, instance B claims all three and connects them from their
 * stored sessions with no QR. Real simulator, real emulator; lease time moved by hand.
 */
@Timeout(180)
class FleetRestoreIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final Duration SKEW = Duration.ofSeconds(5);
  private static final List<String> IDS = List.of("acc-a", "acc-b", "acc-c");

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T10:00:00Z"));
  private WaSimulator simulator;
  private SimulatorAdminClient admin;
  private ExecutorService pool;
  private AccountStore accounts;
  private SessionStore sessions;
  private LeaseStore leases;
  private final List<InstanceLease> made = new java.util.ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    simulator = WaSimulator.start(SimulatorConfig.builder().build());
    admin = new SimulatorAdminClient(simulator.adminUri());
    pool = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "fleet-worker");
      t.setDaemon(true);
      return t;
    });
    accounts = new AccountStore(FIRESTORE.firestore(), clock);
    sessions = new SessionStore(FIRESTORE.firestore(), Sessions.cipher("k1", 4), clock);
    leases = new LeaseStore(FIRESTORE.firestore(), clock, SKEW);
    for (int i = 0; i < IDS.size(); i++) {
      admin.createPhone(phone(i));
      accounts.create(Account.newAccount(IDS.get(i), "shop " + i, "+" + phone(i), clock.instant()));
    }
  }

  @AfterEach
  void tearDown() {
    // A lease left listening would keep the class's Firestore client from closing.
    made.forEach(InstanceLease::close);
    pool.shutdownNow();
    simulator.close();
  }

  @Test
  void coldStart_afterAnInstanceDied_anotherClaimsEveryPairedAccount_andConnectsWithNoQr() throws Exception {
    ManualScheduler schedulerA = new ManualScheduler(clock);
    Fleet a = fleet("inst-a", schedulerA);
    lease("inst-a", schedulerA, a).acquire();
    assertEquals(3, a.restoreActive());
    for (int i = 0; i < IDS.size(); i++) {
      String id = IDS.get(i);
      Account withQr = await(id, x -> x.status() == AccountStatus.NEEDS_QR && x.qr() != null, "a QR");
      admin.scan(phone(i), withQr.qr().value());
    }
    for (String id : IDS) {
      await(id, x -> x.status() == AccountStatus.CONNECTED, "paired and connected on A");
    }
    long registrations = admin.stats().path("registrations").asLong();

    // A dies: sockets gone, nothing released, its lease simply stops being renewed.
    a.shutdownAll().get(30, TimeUnit.SECONDS);
    clock.advance(LeaseConfig.DEFAULT_TTL.plus(SKEW).plusSeconds(1));
    Instant restartedAt = clock.instant();

    ManualScheduler schedulerB = new ManualScheduler(clock);
    Fleet b = fleet("inst-b", schedulerB);
    lease("inst-b", schedulerB, b).acquire();
    try {
      assertEquals(3, b.restoreActive());
      for (String id : IDS) {
        Account up = await(id, x -> x.status() == AccountStatus.CONNECTED && x.connectedAt() != null
            && !x.connectedAt().isBefore(restartedAt), "restored on B");
        assertEquals(new Owner("inst-b", 2), up.owner());
        assertNull(up.qr());
      }
      assertEquals(registrations, admin.stats().path("registrations").asLong(), "no account needed a new QR");
    } finally {
      b.shutdownAll().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void coldStart_thirtyPairedAccounts_allConnectedWithNoQr_oneSocketEach() throws Exception {
    List<String> ids = new java.util.ArrayList<>(IDS);
    for (int i = IDS.size(); i < 30; i++) {
      String id = String.format("acc-z%02d", i);
      admin.createPhone(phone(i));
      accounts.create(Account.newAccount(id, "shop " + i, "+" + phone(i), clock.instant()));
      ids.add(id);
    }
    ManualScheduler schedulerA = new ManualScheduler(clock);
    Fleet a = fleet("inst-a", schedulerA);
    lease("inst-a", schedulerA, a).acquire();
    assertEquals(30, a.restoreActive());
    for (int i = 0; i < ids.size(); i++) {
      Account withQr = await(ids.get(i), x -> x.status() == AccountStatus.NEEDS_QR && x.qr() != null, "a QR");
      admin.scan(phone(i), withQr.qr().value());
    }
    for (String id : ids) {
      await(id, x -> x.status() == AccountStatus.CONNECTED, "paired and connected on A");
    }
    long registrations = admin.stats().path("registrations").asLong();

    // The process dies (a redeploy): sockets gone, nothing released; a new instance starts cold.
    a.shutdownAll().get(30, TimeUnit.SECONDS);
    clock.advance(LeaseConfig.DEFAULT_TTL.plus(SKEW).plusSeconds(1));
    Instant restartedAt = clock.instant();
    ManualScheduler schedulerB = new ManualScheduler(clock);
    Fleet b = fleet("inst-b", schedulerB);
    lease("inst-b", schedulerB, b).acquire();
    try {
      assertEquals(30, b.restoreActive());
      assertEquals(2, b.claimTransactions(), "30 accounts in batches of " + Fleet.DEFAULT_CLAIM_BATCH);
      for (String id : ids) {
        Account up = await(id, x -> x.status() == AccountStatus.CONNECTED && x.connectedAt() != null
            && !x.connectedAt().isBefore(restartedAt), "restored on B");
        assertEquals("inst-b", up.owner().instanceId());
        assertNull(up.qr());
      }
      assertEquals(registrations, admin.stats().path("registrations").asLong(), "no account needed a new QR");
      org.awaitility.Awaitility.await("one live socket per account at the simulator")
          .atMost(Duration.ofSeconds(60)).until(() -> admin.stats().path("connections").asLong() == ids.size());
    } finally {
      b.shutdownAll().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void claimPass_runsNoTransactionOnAccountsWithALiveOwner_andClaimsThemOnceThatLeaseRanOut() throws Exception {
    ManualScheduler schedulerA = new ManualScheduler(clock);
    Fleet a = fleet("inst-a", schedulerA);
    lease("inst-a", schedulerA, a).acquire();
    assertEquals(3, a.restoreActive());
    ManualScheduler schedulerB = new ManualScheduler(clock);
    Fleet b = fleet("inst-b", schedulerB);
    leases.renew("inst-b", LeaseConfig.DEFAULT_TTL, "test", 0, 0);
    try {
      assertEquals(0, b.restoreActive());
      assertEquals(0, b.claimActive(accounts.listDesired(io.wafleet.common.model.DesiredState.ACTIVE), 10));
      assertEquals(0, b.claimTransactions(), "no claim transaction on an account whose owner is live");

      // A dies without releasing; within the skew margin its accounts still count as owned.
      a.shutdownAll().get(30, TimeUnit.SECONDS);
      clock.advance(LeaseConfig.DEFAULT_TTL.plus(SKEW).minusSeconds(1));
      leases.renew("inst-b", LeaseConfig.DEFAULT_TTL, "test", 0, 0);
      assertEquals(0, b.claimActive(accounts.listDesired(io.wafleet.common.model.DesiredState.ACTIVE), 10));
      assertEquals(0, b.claimTransactions());
      clock.advance(Duration.ofSeconds(2));
      leases.renew("inst-b", LeaseConfig.DEFAULT_TTL, "test", 0, 0);
      assertEquals(3, b.claimActive(accounts.listDesired(io.wafleet.common.model.DesiredState.ACTIVE), 10));
      assertEquals(1, b.claimTransactions(), "one transaction for the batch of three taken over");
    } finally {
      b.shutdownAll().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void restore_anAccountLockedByATransactionLeftOpen_doesNotHoldBackTheRestOfItsBatch() throws Exception {
    // A process killed in the middle of a status write leaves its transaction open; the store keeps
    // that document locked until it expires the transaction. Here a transaction reads acc-b and waits.
    io.wafleet.connector.testing.HeldLock lock = io.wafleet.connector.testing.HeldLock.on(FIRESTORE.firestore(),
        FIRESTORE.firestore().collection(io.wafleet.common.schema.FirestoreSchema.ACCOUNTS).document("acc-b"));

    ManualScheduler schedulerA = new ManualScheduler(clock);
    Fleet a = fleet("inst-a", schedulerA);
    lease("inst-a", schedulerA, a).acquire();
    try {
      assertEquals(2, a.restoreActive(), "acc-a and acc-c claimed while acc-b stays locked");
      for (String id : List.of("acc-a", "acc-c")) {
        Account claimed = await(id, x -> x.owner() != null, "claimed");
        assertEquals("inst-a", claimed.owner().instanceId());
      }
      assertNull(accounts.load("acc-b").orElseThrow().owner(), "the locked account is not claimed yet");
      assertEquals(4, a.claimTransactions(), "the batch, then one claim per account of it after it failed");

      lock.close();
      assertEquals(1, a.restoreActive(), "the next pass claims acc-b once its lock is gone");
      assertEquals("inst-a", await("acc-b", x -> x.owner() != null, "claimed").owner().instanceId());
    } finally {
      lock.close();
      a.shutdownAll().get(30, TimeUnit.SECONDS);
    }
  }

  private Fleet fleet(String instanceId, ManualScheduler scheduler) {
    FleetContext ctx = new FleetContext(accounts, sessions, new OutboxDispatcher(
        new OutboxStore(FIRESTORE.firestore(), clock), new MessageStore(FIRESTORE.firestore(), clock), instanceId, scheduler, clock,
        new OutboxConfig(OutboxConfig.DEFAULT_MESSAGES_PER_MINUTE, OutboxConfig.DEFAULT_MAX_ATTEMPTS,
            Backoff.standard(() -> 0.5))), this::client, scheduler, pool, clock,
        new SecureRandom(), new SupervisorConfig(SupervisorConfig.DEFAULT_CONNECT_TIMEOUT,
        Backoff.standard(() -> 0.5)), new IncidentStore(FIRESTORE.firestore(), clock));
    return new Fleet(ctx, leases, instanceId, 2);
  }

  private InstanceLease lease(String instanceId, ManualScheduler scheduler, Fleet fleet) {
    InstanceLease lease = new InstanceLease(leases, new LeaseConfig(instanceId, LeaseConfig.DEFAULT_TTL,
        LeaseConfig.DEFAULT_RENEW_EVERY, "test"), scheduler, pool, clock, fleet::owned, fleet::onLeaseLost);
    made.add(lease);
    return lease;
  }

  private WaClient client(io.wafleet.client.auth.AuthState auth, io.wafleet.client.WaListener listener) {
    return WaClient.builder(auth).serverUri(simulator.wsUri()).certificateVerifier(simulator.trustedVerifier()).listener(listener)
        .connectTimeout(Duration.ofMinutes(10)).initialPreKeyCount(30).build();
  }

  private static String phone(int i) {
    return "4070020000" + i;
  }

  private Account await(String id, Predicate<Account> condition, String what) {
    return Waits.until(what + " for " + id, Duration.ofSeconds(60), () -> accounts.load(id).orElse(null), condition,
        a -> "status=" + a.status() + " lastError=" + a.lastError());
  }
}
