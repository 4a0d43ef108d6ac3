package io.wafleet.connector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountCommand;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.DesiredState;
import io.wafleet.common.schema.FirestoreSchema;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.Firestores;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.connector.fleet.CommandWatcher;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import io.wafleet.simulator.SimulatorConfig;
import io.wafleet.simulator.WaSimulator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the API writes to an owned account, acted on by a running {@link Connector} (in this JVM,
 * its own Firestore client): PAIRING_CODE answered with a clear lastError, desired=STOPPED closes the
 * socket and keeps the session, ACTIVE resumes with no QR, RECONNECT is cleared, LOGOUT offers a fresh
 * QR, desired=DELETED logs the device out and deletes session and account. Real simulator, emulator.
 */
@Timeout(240)
class ConnectorCommandsIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final String PHONE = "40700400001";
  private static final String ID = "acc-cmd";
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
    connector = new Connector(ConnectorConfig.fromEnv(env()),
        Firestores.connect(FIRESTORE.projectId(), FIRESTORE.hostPort()), Clock.systemUTC(), () -> { });
    connector.run();
  }

  @AfterEach
  void tearDown() {
    connector.shutdown();
    simulator.close();
  }

  @Test
  void apiCommandsAndDesiredStates_areCarriedOutByTheOwner() throws Exception {
    admin.createPhone(PHONE);
    accounts.create(Account.newAccount(ID, "shop", "+" + PHONE, Clock.systemUTC().instant()));
    pair();
    long registrations = admin.stats().path("registrations").asLong();

    accounts.update(ID, a -> a.toBuilder().command(command(AccountCommand.Kind.PAIRING_CODE)).build());
    await(a -> a.command() == null && CommandWatcher.PAIRING_CODE_UNSUPPORTED.equals(a.lastError()),
        "pairing-code-unsupported");

    accounts.update(ID, a -> a.toBuilder().desired(DesiredState.STOPPED).build());
    await(a -> a.status() == AccountStatus.STOPPED, "STOPPED");
    awaitTrue(() -> admin.stats().path("connections").asLong() == 0, "the socket closed at the simulator");
    assertTrue(FIRESTORE.firestore().collection(FirestoreSchema.SESSIONS).document(ID).get().get().exists(),
        "a stop keeps the session");
    Account stopped = accounts.load(ID).orElseThrow();
    assertNotNull(stopped.owner(), "a stopped account stays owned");
    assertEquals("inst-cmd", stopped.owner().instanceId(), "by this instance");

    Instant resumedAfter = Clock.systemUTC().instant();
    accounts.update(ID, a -> a.toBuilder().desired(DesiredState.ACTIVE).build());
    await(a -> a.status() == AccountStatus.CONNECTED && a.connectedAt().isAfter(resumedAfter), "resumed");
    assertEquals(registrations, admin.stats().path("registrations").asLong(), "resumed from the kept session, no QR");

    accounts.update(ID, a -> a.toBuilder().command(command(AccountCommand.Kind.RECONNECT)).build());
    await(a -> a.command() == null && a.status() == AccountStatus.CONNECTED, "RECONNECT cleared, still connected");

    accounts.update(ID, a -> a.toBuilder().command(command(AccountCommand.Kind.LOGOUT)).build());
    Account loggedOut = await(a -> a.status() == AccountStatus.LOGGED_OUT && a.qr() != null && a.command() == null,
        "LOGGED_OUT with a fresh QR");
    assertNotNull(loggedOut.qr());
    admin.scan(PHONE, loggedOut.qr().value());
    await(a -> a.status() == AccountStatus.CONNECTED, "paired again after the logout");

    AccountStore.MarkedDeleted marked = accounts.markDeleted(ID, command(AccountCommand.Kind.LOGOUT), Duration.ZERO);
    assertEquals(AccountStore.DeleteDecision.LOGOUT_REQUESTED, marked.decision());
    awaitTrue(() -> accounts.load(ID).isEmpty(), "the account deleted by its owner");
    assertFalse(FIRESTORE.firestore().collection(FirestoreSchema.SESSIONS).document(ID).get().get().exists(),
        "the session deleted");
    awaitTrue(() -> admin.stats().path("connections").asLong() == 0, "the socket closed at the simulator");
  }

  private void pair() throws Exception {
    Account withQr = await(a -> a.status() == AccountStatus.NEEDS_QR && a.qr() != null, "a QR");
    admin.scan(PHONE, withQr.qr().value());
    await(a -> a.status() == AccountStatus.CONNECTED, "CONNECTED");
  }

  private static AccountCommand command(AccountCommand.Kind kind) {
    return new AccountCommand(kind, Clock.systemUTC().instant());
  }

  private Map<String, String> env() {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 5);
    Map<String, String> env = new HashMap<>();
    env.put("FIRESTORE_EMULATOR_HOST", FIRESTORE.hostPort());
    env.put("GOOGLE_CLOUD_PROJECT", FIRESTORE.projectId());
    env.put("WAFLEET_WA_ENDPOINT", simulator.wsUri().toString());
    env.put("WAFLEET_WA_ROOT_KEY", HexFormat.of().formatHex(simulator.rootPublicKey()));
    env.put("WAFLEET_SESSION_KEYS", "k1:" + Base64.getEncoder().encodeToString(key));
    env.put("WAFLEET_INSTANCE_ID", "inst-cmd");
    env.put("PORT", "0");
    return env;
  }

  private Account await(Predicate<Account> condition, String what) throws Exception {
    long deadline = System.nanoTime() + STEP.toNanos();
    Account last = null;
    while (System.nanoTime() < deadline) {
      last = accounts.load(ID).orElse(null);
      if (last != null && condition.test(last)) {
        return last;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no " + what + " within " + STEP + "; last=" + (last == null ? "none"
        : last.status() + " desired=" + last.desired() + " command=" + last.command() + " lastError="
        + last.lastError()));
  }

  private static void awaitTrue(Callable<Boolean> condition, String what) throws Exception {
    long deadline = System.nanoTime() + STEP.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.call()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no " + what + " within " + STEP);
  }
}
