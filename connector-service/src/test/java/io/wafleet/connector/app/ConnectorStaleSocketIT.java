package io.wafleet.connector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.firestore.ListenerRegistration;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.schema.FirestoreSchema;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.Firestores;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.connector.fleet.CloseReason;
import io.wafleet.connector.testing.ConnectorEnv;
import io.wafleet.connector.testing.Waits;
import io.wafleet.simulator.SimulatorConfig;
import io.wafleet.simulator.WaSimulator;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A socket that goes silent (the simulator's fault injector stalls the connection: it sends nothing
 * more, not even answers to pings, and keeps the TCP connection open) is found by the keepalive and
 * reconnected by the running {@link Connector}: the account goes DISCONNECTED (wa-connection-lost)
 * or CONNECTING and back to CONNECTED, with its stored session (no new registration, no QR). The
 * keepalive interval and timeout come in through the connector's own configuration, shortened.
 */
@Timeout(180)
class ConnectorStaleSocketIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final String PHONE = "40700500001";
  private static final String ID = "acc-stale";
  private static final Duration STEP = Duration.ofSeconds(60);

  private WaSimulator simulator;
  private SimulatorAdminClient admin;
  private AccountStore accounts;
  private Connector connector;

  @BeforeEach
  void setUp() throws Exception {
    simulator = WaSimulator.start(SimulatorConfig.builder().build());
    admin = new SimulatorAdminClient(simulator.adminUri());
    accounts = new AccountStore(FIRESTORE.firestore(), Clock.systemUTC());
    Map<String, String> env = ConnectorEnv.of(simulator, FIRESTORE, "inst-stale", 6);
    env.put("WAFLEET_KEEPALIVE_SECONDS", "2");
    env.put("WAFLEET_KEEPALIVE_TIMEOUT_SECONDS", "3");
    connector = new Connector(ConnectorConfig.fromEnv(env),
        Firestores.connect(FIRESTORE.projectId(), FIRESTORE.hostPort()), Clock.systemUTC(), () -> { });
    connector.run();
  }

  @AfterEach
  void tearDown() {
    connector.shutdown();
    simulator.close();
  }

  @Test
  void stalledSocket_isFoundByTheKeepalive_andReconnectedWithTheStoredSession() throws Exception {
    admin.createPhone(PHONE);
    accounts.create(Account.newAccount(ID, "shop", "+" + PHONE, Clock.systemUTC().instant()));
    Account withQr = await(a -> a.status() == AccountStatus.NEEDS_QR && a.qr() != null, "a QR");
    String device = admin.scan(PHONE, withQr.qr().value()).deviceJid();
    Account first = await(a -> a.status() == AccountStatus.CONNECTED, "CONNECTED after the scan");
    long registrations = admin.stats().path("registrations").asLong();
    long logins = admin.stats().path("logins").asLong();

    List<AccountStatus> seen = new CopyOnWriteArrayList<>();
    ListenerRegistration watch = FIRESTORE.firestore().collection(FirestoreSchema.ACCOUNTS).document(ID)
        .addSnapshotListener((snap, error) -> {
          if (snap != null && snap.exists()) {
            seen.add(AccountStatus.valueOf(snap.getString("status")));
          }
        });
    try {
      Waits.until("the watch's first snapshot", STEP, () -> !seen.isEmpty());
      Instant stalledAt = Clock.systemUTC().instant();
      assertEquals(1, admin.fault("stall", 0, device), "the one live connection of the device is stalled");

      Account back = await(a -> a.status() == AccountStatus.CONNECTED && a.connectedAt().isAfter(stalledAt),
          "CONNECTED again after the stall");
      assertEquals(CloseReason.CONNECTION_LOST.code(), back.lastDisconnectReason(), "the keepalive gave up");
      assertTrue(back.lastDisconnectAt().isAfter(stalledAt), String.valueOf(back.lastDisconnectAt()));
      assertNull(back.qr(), "no QR was offered");
      assertEquals(registrations, admin.stats().path("registrations").asLong(), "no new device registered");
      assertTrue(admin.stats().path("logins").asLong() > logins, "a new login with the stored session");
      assertTrue(first.connectedAt().isBefore(back.connectedAt()), "a new connection");
      int down = firstIndexOf(seen, s -> s == AccountStatus.DISCONNECTED || s == AccountStatus.CONNECTING);
      assertTrue(down > 0, "left CONNECTED before coming back: " + seen);
      assertEquals(AccountStatus.CONNECTED, seen.get(seen.size() - 1), "ends CONNECTED: " + seen);
      assertTrue(seen.stream().noneMatch(s -> s == AccountStatus.NEEDS_QR || s == AccountStatus.LOGGED_OUT),
          "never asked for a QR: " + seen);
    } finally {
      watch.remove();
    }
  }

  private static int firstIndexOf(List<AccountStatus> statuses, Predicate<AccountStatus> p) {
    for (int i = 0; i < statuses.size(); i++) {
      if (p.test(statuses.get(i))) {
        return i;
      }
    }
    return -1;
  }

  private Account await(Predicate<Account> condition, String what) {
    return Waits.until(what, STEP, () -> accounts.load(ID).orElse(null), condition,
        a -> a.status() + " lastError=" + a.lastError() + " lastDisconnectReason=" + a.lastDisconnectReason());
  }
}
