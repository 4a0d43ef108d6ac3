package io.wafleet.connector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.WaClient;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.DesiredState;
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
import io.wafleet.connector.testing.ConnectorProcess;
import io.wafleet.connector.testing.Sessions;
import io.wafleet.simulator.SimulatorConfig;
import io.wafleet.simulator.WaSimulator;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two connector processes ({@code ConnectorMain} in child JVMs) on one emulator and one simulator
 * share 30 paired accounts, and no account is ever held by both: checked from the simulator's side,
 * whose {@code sessionsReplaced} counts every login of a device that already had a logged-in socket
 * (it stays 0). kill -9 of one: the other takes its accounts once the dead lease ran out (a 20 s
 * lease), restoring every session with no QR. Both processes' logs are under
 * target/connector-processes/.
 */
@Timeout(600)
class FleetFailoverProcessIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final int ACCOUNTS = 30;
  private static final Duration STEP = Duration.ofSeconds(120);

  private WaSimulator simulator;
  private SimulatorAdminClient admin;
  private AccountStore accounts;
  private final List<String> ids = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    simulator = WaSimulator.start(SimulatorConfig.builder().build());
    admin = new SimulatorAdminClient(simulator.adminUri());
    accounts = new AccountStore(FIRESTORE.firestore(), Clock.systemUTC());
    for (int i = 0; i < ACCOUNTS; i++) {
      String id = String.format("shop-%02d", i);
      admin.createPhone(phone(i));
      accounts.create(Account.newAccount(id, "shop " + i, "+" + phone(i), Clock.systemUTC().instant()));
      ids.add(id);
    }
  }

  @AfterEach
  void tearDown() {
    simulator.close();
  }

  @Test
  void twoProcessesShareThirtyAccounts_neverHoldingOneTwice_andAfterKill9TheSurvivorTakesThemAll() throws Exception {
    try (Pairing pairing = new Pairing()) {
      pairing.pairAll();
      long registrations = admin.stats().path("registrations").asLong();
      try (ConnectorProcess a = ConnectorProcess.start("share-a", env("inst-a"));
          ConnectorProcess b = ConnectorProcess.start("share-b", env("inst-b"))) {
        a.awaitReady(a.awaitHttpPort(STEP), STEP);
        b.awaitReady(b.awaitHttpPort(STEP), STEP);
        // Both instances are live and past their boot restore (which claims without a fair-share
        // limit) before any account is free: then each claims its fair share (15).
        for (ConnectorProcess p : List.of(a, b)) {
          Awaitility.await("boot restore done").atMost(STEP).pollInterval(Duration.ofMillis(200))
              .until(() -> p.output().contains("boot restore claimed accounts=0"));
        }
        pairing.giveUp();

        List<Account> shared = awaitAll(x -> x.status() == AccountStatus.CONNECTED && x.owner() != null
            && !x.owner().instanceId().equals("inst-pair"), "every account CONNECTED on A or B");
        Map<String, Long> perInstance = shared.stream()
            .collect(Collectors.groupingBy(x -> x.owner().instanceId(), Collectors.counting()));
        assertEquals(Set.of("inst-a", "inst-b"), perInstance.keySet(), "both instances hold accounts: " + perInstance);
        assertEquals(15L, perInstance.get("inst-a"), "the fair share: " + perInstance);
        shared.forEach(x -> assertNull(x.qr(), x.id() + " restored with no QR"));
        assertEquals(registrations, admin.stats().path("registrations").asLong(), "no new pairing");
        assertEquals(0, admin.stats().path("sessionsReplaced").asLong(), "no device ever had two live sockets");
        Awaitility.await("one socket per account at the simulator").atMost(STEP)
            .until(() -> admin.stats().path("connections").asLong() == ACCOUNTS);

        a.kill();
        Instant killedAt = Clock.systemUTC().instant();
        List<Account> taken = awaitAll(x -> x.status() == AccountStatus.CONNECTED && x.owner() != null
            && x.owner().instanceId().equals("inst-b") && x.connectedAt() != null
            && (shared.stream().anyMatch(s -> s.id().equals(x.id()) && s.owner().instanceId().equals("inst-b"))
                || x.connectedAt().isAfter(killedAt)), "every account CONNECTED on B after A's kill -9");
        taken.forEach(x -> assertNull(x.qr(), x.id() + " taken over with no QR"));
        assertEquals(registrations, admin.stats().path("registrations").asLong(), "no new pairing after the kill");
        assertEquals(0, admin.stats().path("sessionsReplaced").asLong(), "no device ever had two live sockets");
        Awaitility.await("one socket per account at the simulator").atMost(STEP)
            .until(() -> admin.stats().path("connections").asLong() == ACCOUNTS);
        assertTrue(b.isAlive());
      }
    }
  }

  /** Pairs every account in this JVM (30 pre-keys per device keep the emulator's work small), then gives them up. */
  private final class Pairing implements AutoCloseable {
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    /** The lease renews on its own thread, never behind the registrations on the pool. */
    private final ExecutorService leaseThread = Executors.newSingleThreadExecutor();
    private final LeaseStore leases = new LeaseStore(FIRESTORE.firestore(), Clock.systemUTC(), Duration.ofSeconds(1));
    private final Fleet fleet;
    private final InstanceLease lease;

    Pairing() {
      Clock clock = Clock.systemUTC();
      ExecutorScheduler scheduler = new ExecutorScheduler(timer);
      SessionStore sessions = new SessionStore(FIRESTORE.firestore(), Sessions.cipher("k1", 9), clock);
      FleetContext ctx = new FleetContext(accounts, sessions, new OutboxDispatcher(
          new OutboxStore(FIRESTORE.firestore(), clock), new MessageStore(FIRESTORE.firestore(), clock), "inst-pair", scheduler,
          clock, new OutboxConfig(OutboxConfig.DEFAULT_MESSAGES_PER_MINUTE, OutboxConfig.DEFAULT_MAX_ATTEMPTS,
              Backoff.standard(() -> 0.5))),
          (auth, listener) -> WaClient.builder(auth).serverUri(simulator.wsUri())
              .certificateVerifier(simulator.trustedVerifier()).listener(listener).initialPreKeyCount(30).build(),
          scheduler, pool, clock, new SecureRandom(),
          new SupervisorConfig(SupervisorConfig.DEFAULT_CONNECT_TIMEOUT, Backoff.standard(() -> 0.5)),
          new IncidentStore(FIRESTORE.firestore(), clock));
      fleet = new Fleet(ctx, leases, "inst-pair", 4);
      lease = new InstanceLease(leases, new LeaseConfig("inst-pair", LeaseConfig.DEFAULT_TTL,
          LeaseConfig.DEFAULT_RENEW_EVERY, "test"), scheduler, leaseThread, clock, fleet::owned,
        fleet::onLeaseLost);
    }

    void pairAll() throws Exception {
      lease.acquire();
      assertEquals(ACCOUNTS, fleet.restoreActive());
      for (int i = 0; i < ACCOUNTS; i++) {
        String id = ids.get(i);
        Account withQr = Awaitility.await("a QR for " + id).atMost(STEP).pollInterval(Duration.ofMillis(100))
            .until(() -> accounts.load(id).orElseThrow(), x -> x.status() == AccountStatus.NEEDS_QR && x.qr() != null);
        admin.scan(phone(i), withQr.qr().value());
      }
      awaitAll(x -> x.status() == AccountStatus.CONNECTED, "every account paired");
    }

    /** Closes every socket and gives every account and the lease up, as a SIGTERM'd instance does. */
    void giveUp() throws Exception {
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

  private List<Account> awaitAll(java.util.function.Predicate<Account> condition, String what) {
    return Awaitility.await(what).atMost(STEP).pollInterval(Duration.ofMillis(250))
        .until(() -> ids.stream().map(id -> accounts.load(id).orElseThrow()).toList(),
            all -> all.stream().allMatch(condition) && all.stream().allMatch(x -> x.desired() == DesiredState.ACTIVE));
  }

  private static String phone(int i) {
    return String.format("407004000%02d", i);
  }

  private Map<String, String> env(String instanceId) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 9);
    Map<String, String> env = new HashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("FIRESTORE_EMULATOR_HOST", FIRESTORE.hostPort());
    env.put("GOOGLE_CLOUD_PROJECT", FIRESTORE.projectId());
    env.put("WAFLEET_WA_ENDPOINT", simulator.wsUri().toString());
    env.put("WAFLEET_WA_ROOT_KEY", HexFormat.of().formatHex(simulator.rootPublicKey()));
    env.put("WAFLEET_SESSION_KEYS", "k1:" + Base64.getEncoder().encodeToString(key));
    env.put("WAFLEET_INSTANCE_ID", instanceId);
    env.put("PORT", "0");
    // Short enough for a take-over within the test, long enough that a renewal delayed by this
    // shared machine's load never lets a lease run out (an instance whose lease lapses ends itself).
    env.put("WAFLEET_LEASE_TTL_SECONDS", "20");
    env.put("WAFLEET_LEASE_RENEW_SECONDS", "4");
    env.put("WAFLEET_LEASE_SKEW_SECONDS", "2");
    env.put("WAFLEET_FAIR_SHARE_SLACK", "0");
    return env;
  }
}
