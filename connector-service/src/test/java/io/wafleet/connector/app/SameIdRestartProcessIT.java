package io.wafleet.connector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.connector.testing.ConnectorEnv;
import io.wafleet.connector.testing.ConnectorProcess;
import io.wafleet.connector.testing.PairingFleet;
import io.wafleet.simulator.SimulatorConfig;
import io.wafleet.simulator.WaSimulator;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connector processes ({@code ConnectorMain} in child JVMs) restarted under one stable instance id
 * (as ./wafleet up's restart loop runs it), 30 paired accounts, a 60 s lease. Checked from the
 * simulator's side, whose {@code sessionsReplaced} counts every login of a device that already had a
 * logged-in socket: it stays 0 throughout.
 *
 * <ul>
 *   <li>A second process started while the first still runs: the first sees its lease taken over
 *       and ends (exit 3) after closing every socket; the second takes every account with a
 *       generation bump once the first's host lock came free, long before the first's lease would
 *       have run out.
 *   <li>kill -9, then a new process under the same id: its boot restore itself claims all 30 (no
 *       waiting for the dead lease), every account CONNECTED again with no QR.
 * </ul>
 */
@Timeout(900)
class SameIdRestartProcessIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final int ACCOUNTS = 30;
  private static final String ID = "inst-same";
  private static final Duration STEP = Duration.ofSeconds(180);

  private WaSimulator simulator;
  private SimulatorAdminClient admin;
  private AccountStore accounts;
  private Path lockDir;
  private final List<String> ids = new ArrayList<>();
  private final List<String> phones = new ArrayList<>();
  private Map<String, Long> firstGenerations;

  @BeforeEach
  void setUp() throws Exception {
    simulator = WaSimulator.start(SimulatorConfig.builder().build());
    admin = new SimulatorAdminClient(simulator.adminUri());
    accounts = new AccountStore(FIRESTORE.firestore(), Clock.systemUTC());
    lockDir = Files.createDirectories(Path.of("target", "instance-locks", "same-id-" + System.nanoTime()))
        .toAbsolutePath();
    for (int i = 0; i < ACCOUNTS; i++) {
      String phone = String.format("407005000%02d", i);
      admin.createPhone(phone);
      accounts.create(Account.newAccount(String.format("same-%02d", i), "shop " + i, "+" + phone,
          Clock.systemUTC().instant()));
      ids.add(String.format("same-%02d", i));
      phones.add(phone);
    }
  }

  @AfterEach
  void tearDown() {
    simulator.close();
  }

  @Test
  void sameId_whileTheOldProcessRuns_itStopsAndTheNewTakesAll_thenAfterKill9TheNextRestoresAllAtOnce_neverTwoSockets()
      throws Exception {
    try (PairingFleet pairing = new PairingFleet(FIRESTORE, simulator, admin, 9)) {
      pairing.pairAndGiveUp(ids, phones);
    }
    long registrations = admin.stats().path("registrations").asLong();

    try (ConnectorProcess first = ConnectorProcess.start("same-1", env());
        ConnectorProcess second = startAfterAllConnectedOn(first)) {
      // The second started under the same id while the first ran.
      assertEquals(3, first.awaitExit(STEP), "the replaced process ends as on a lost lease");
      java.time.Instant firstEnded = Clock.systemUTC().instant();
      assertTrue(first.output().contains("replaced by a new process under the same instance id"), first.output());
      List<Account> taken = awaitAll(a -> a.status() == AccountStatus.CONNECTED && a.owner() != null
          && a.owner().generation() > firstGenerations.get(a.id()) && a.connectedAt() != null
          && a.connectedAt().isAfter(firstEnded), "every account CONNECTED on the second process");
      // Taken back because the first process's host lock came free, not because its lease ran out.
      assertTrue(second.output().contains("is gone (its lock came free): reclaiming its accounts"), second.output());
      taken.forEach(a -> assertNull(a.qr(), a.id() + " with no QR"));
      assertEquals(0, admin.stats().path("sessionsReplaced").asLong(), "no device ever had two live sockets");
      assertEquals(registrations, admin.stats().path("registrations").asLong(), "no new pairing");
      Awaitility.await("one socket per account at the simulator").atMost(STEP)
          .until(() -> admin.stats().path("connections").asLong() == ACCOUNTS);

      Map<String, Long> secondGenerations = generations();
      second.kill();
      java.time.Instant killed = Clock.systemUTC().instant();
      try (ConnectorProcess third = ConnectorProcess.start("same-3", env())) {
        third.awaitReady(third.awaitHttpPort(STEP), STEP);
        Awaitility.await("the boot restore").atMost(STEP).pollInterval(Duration.ofMillis(200))
            .until(() -> third.output().contains("boot restore claimed"));
        assertTrue(third.output().contains("boot restore claimed accounts=" + ACCOUNTS),
            "the boot restore itself took every account back, without waiting for the dead lease:\n"
                + third.output());
        List<Account> restored = awaitAll(a -> a.status() == AccountStatus.CONNECTED && a.owner() != null
            && a.owner().generation() > secondGenerations.get(a.id()) && a.connectedAt() != null
            && a.connectedAt().isAfter(killed), "every account CONNECTED on the third");
        restored.forEach(a -> assertNull(a.qr(), a.id() + " restored with no QR"));
        assertEquals(0, admin.stats().path("sessionsReplaced").asLong(), "no device ever had two live sockets");
        assertEquals(registrations, admin.stats().path("registrations").asLong(), "no new pairing");
        Awaitility.await("one socket per account at the simulator").atMost(STEP)
            .until(() -> admin.stats().path("connections").asLong() == ACCOUNTS);
      }
    }
  }

  /** Waits until the first holds every account CONNECTED, then starts the second under the same id. */
  private ConnectorProcess startAfterAllConnectedOn(ConnectorProcess first) throws Exception {
    first.awaitReady(first.awaitHttpPort(STEP), STEP);
    awaitAll(a -> a.status() == AccountStatus.CONNECTED && a.owner() != null && ID.equals(a.owner().instanceId()),
        "every account CONNECTED on the first process");
    Awaitility.await("one socket per account at the simulator").atMost(STEP)
        .until(() -> admin.stats().path("connections").asLong() == ACCOUNTS);
    firstGenerations = generations();
    return ConnectorProcess.start("same-2", env());
  }

  private Map<String, Long> generations() {
    return ids.stream().map(id -> accounts.load(id).orElseThrow())
        .collect(Collectors.toMap(Account::id, a -> a.owner().generation()));
  }

  private List<Account> awaitAll(Predicate<Account> condition, String what) {
    return Awaitility.await(what).atMost(STEP).pollInterval(Duration.ofMillis(250))
        .until(() -> ids.stream().map(id -> accounts.load(id).orElseThrow()).toList(),
            all -> all.stream().allMatch(condition));
  }

  private Map<String, String> env() {
    Map<String, String> env = ConnectorEnv.of(simulator, FIRESTORE, ID, 9);
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("WAFLEET_INSTANCE_LOCK_DIR", lockDir.toString());
    // Long, so that any wait for the lease to run out would show; renewals frequent enough that this
    // shared machine's load never lets a live lease lapse.
    env.put("WAFLEET_LEASE_TTL_SECONDS", "60");
    env.put("WAFLEET_LEASE_RENEW_SECONDS", "4");
    env.put("WAFLEET_LEASE_SKEW_SECONDS", "2");
    return env;
  }
}
