package io.wafleet.connector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.LeaseStore;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.connector.testing.ConnectorEnv;
import io.wafleet.connector.testing.ConnectorProcess;
import io.wafleet.connector.testing.Waits;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import io.wafleet.simulator.SimulatorConfig;
import io.wafleet.simulator.WaSimulator;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The connector as a process ({@code ConnectorMain} in a child JVM) against a real simulator and the
 * Firestore emulator: an account created as the API creates it gets a QR, a simulated phone scans
 * it, the account connects; after kill -9 a new process restores it with no QR; SIGTERM hands every
 * account and the lease back at once. Real HTTP for /healthz, /readyz and /status.
 */
@Timeout(240)
class ConnectorProcessIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final String PHONE = "40700300001";
  private static final Duration STEP = Duration.ofSeconds(60);

  private WaSimulator simulator;
  private SimulatorAdminClient admin;
  private AccountStore accounts;
  private LeaseStore leases;

  @BeforeEach
  void setUp() throws Exception {
    simulator = WaSimulator.start(SimulatorConfig.builder().build());
    admin = new SimulatorAdminClient(simulator.adminUri());
    accounts = new AccountStore(FIRESTORE.firestore(), Clock.systemUTC());
    leases = new LeaseStore(FIRESTORE.firestore(), Clock.systemUTC(), Duration.ZERO);
  }

  @AfterEach
  void tearDown() {
    simulator.close();
  }

  @Test
  void newAccount_getsAQr_pairs_andAfterKill9_aNewProcessRestoresItWithNoQr_thenSigtermReleasesAll()
      throws Exception {
    admin.createPhone(PHONE);
    try (ConnectorProcess first = ConnectorProcess.start("first", env("inst-first"))) {
      int port = first.awaitHttpPort(STEP);
      assertEquals(200, first.get(port, "/healthz").statusCode());
      first.awaitReady(port, STEP);

      // Created while the connector runs, exactly as POST /v1/accounts creates it.
      accounts.create(Account.newAccount("acc-proc", "shop", "+" + PHONE, Clock.systemUTC().instant()));
      Account withQr = await(a -> a.status() == AccountStatus.NEEDS_QR && a.qr() != null, "a QR");
      admin.scan(PHONE, withQr.qr().value());
      Account up = await(a -> a.status() == AccountStatus.CONNECTED, "CONNECTED on the first process");
      assertEquals("inst-first", up.owner().instanceId());

      HttpResponse<String> status = first.get(port, "/status");
      assertEquals(200, status.statusCode());
      assertTrue(status.body().contains("\"id\":\"acc-proc\""), status.body());
      assertTrue(status.body().contains("\"status\":\"CONNECTED\""), status.body());
      assertTrue(status.body().contains("\"phone\":\"+*******0001\""), status.body());
      assertTrue(status.body().matches(".*\"accountWrites\":\\{\"writes\":[1-9][0-9]*,\"commits\":[1-9][0-9]*}.*"),
          "the status moves so far are counted: " + status.body());
      assertFalse(status.body().contains(PHONE), "full phone number on /status: " + status.body());
      assertFalse(first.output().contains(withQr.qr().value()), "QR string in the log");
      first.kill();
    }
    long registrations = admin.stats().path("registrations").asLong();
    java.time.Instant secondStarted = Clock.systemUTC().instant();
    long previousGeneration = accounts.load("acc-proc").orElseThrow().owner().generation();

    try (ConnectorProcess second = ConnectorProcess.start("second", env("inst-second"))) {
      int port = second.awaitHttpPort(STEP);
      second.awaitReady(port, STEP);
      // The dead instance's lease must run out first (6 s + 1 s skew); then the periodic pass claims.
      Account restored = await(a -> a.status() == AccountStatus.CONNECTED && a.owner() != null
          && "inst-second".equals(a.owner().instanceId()) && a.connectedAt() != null
          && a.connectedAt().isAfter(secondStarted), "CONNECTED on the second process");
      assertNull(restored.qr());
      assertNotEquals(previousGeneration, restored.owner().generation());
      assertEquals(registrations, admin.stats().path("registrations").asLong(), "restored with no new pairing");

      // The connector bounds its own shutdown to 7 s (Cloud Run kills at 10 s); the test only
      // bounds it loosely, as this machine is shared (no timing thresholds in tests).
      int exit = second.terminate(STEP);
      assertEquals(143, exit, "JVM exit on SIGTERM after the shutdown hook");
      assertTrue(second.output().contains("shutdown done instance=inst-second accounts=1"), second.output());
    }
    Account released = accounts.load("acc-proc").orElseThrow();
    assertNull(released.owner(), "the account was given up so a peer can claim it at once");
    assertTrue(leases.load("inst-second").isEmpty(), "the instance lease was released");
    Waits.until("the simulator seeing the socket closed", STEP, () -> liveConnections() == 0);
  }

  @Test
  void badConfiguration_stopsTheProcess_namingTheVariable() throws Exception {
    Map<String, String> env = env("inst-bad");
    env.put("WAFLEET_WA_ROOT_KEY", "abcd");
    try (ConnectorProcess bad = ConnectorProcess.start("bad", env)) {
      assertEquals(2, bad.awaitExit(STEP));
      assertTrue(bad.output().contains("connector refuses to start: WAFLEET_WA_ROOT_KEY: root key has 3 bytes"),
          bad.output());
    }
  }

  private long liveConnections() {
    try {
      return admin.stats().path("connections").asLong();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private Map<String, String> env(String instanceId) {
    Map<String, String> env = ConnectorEnv.of(simulator, FIRESTORE, instanceId, 9);
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("WAFLEET_LEASE_TTL_SECONDS", "6");
    env.put("WAFLEET_LEASE_RENEW_SECONDS", "2");
    env.put("WAFLEET_LEASE_SKEW_SECONDS", "1");
    return env;
  }

  private Account await(Predicate<Account> condition, String what) {
    return Waits.until(what, STEP, () -> accounts.load("acc-proc").orElse(null), condition,
        a -> a.status() + " owner=" + a.owner() + " lastError=" + a.lastError());
  }
}
