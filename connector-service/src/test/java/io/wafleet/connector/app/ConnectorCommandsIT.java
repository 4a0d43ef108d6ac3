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
import io.wafleet.connector.testing.ConnectorEnv;
import io.wafleet.connector.testing.Waits;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import io.wafleet.simulator.SimulatorConfig;
import io.wafleet.simulator.WaSimulator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

    accounts.update(ID, a -> a.toBuilder().command(command(AccountCommand.Kind.PAIRING_CODE))
        .pairingPhone(PHONE).build());
    await(a -> a.command() == null && "pairing-code-already-paired".equals(a.lastError()),
        "pairing-code-already-paired");

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

    assertEquals(1, admin.devices(PHONE).size(), "the device the phone lists before the deletion");
    AccountStore.MarkedDeleted marked = accounts.markDeleted(ID, command(AccountCommand.Kind.LOGOUT), Duration.ZERO);
    assertEquals(AccountStore.DeleteDecision.LOGOUT_REQUESTED, marked.decision());
    awaitTrue(() -> accounts.load(ID).isEmpty(), "the account deleted by its owner");
    assertFalse(FIRESTORE.firestore().collection(FirestoreSchema.SESSIONS).document(ID).get().get().exists(),
        "the session deleted");
    awaitTrue(() -> admin.stats().path("connections").asLong() == 0, "the socket closed at the simulator");
    assertTrue(admin.devices(PHONE).isEmpty(), "the device unlinked: the phone no longer lists it");
  }

  /**
   * PAIRING_CODE as the API writes it (command + pairingPhone) on a registering account: the owner
   * writes the code and its expiry; a wrong code entered on the phone is refused there while the
   * code stays shown (WhatsApp tells the companion nothing, docs/protocol.md §6.7); the right one
   * entered next pairs, and the code is cleared once the account is connected.
   */
  @Test
  void pairingCodeCommand_codeWrittenByTheOwner_phoneEntersIt_accountConnectsAndCodeIsCleared()
      throws Exception {
    admin.createPhone(PHONE);
    accounts.create(Account.newAccount(ID, "shop", "+" + PHONE, Clock.systemUTC().instant()));
    await(a -> a.status() == AccountStatus.NEEDS_QR && a.qr() != null, "a QR");

    accounts.update(ID, a -> a.toBuilder().command(command(AccountCommand.Kind.PAIRING_CODE))
        .pairingPhone("+" + PHONE).pairingCode(null).pairingCodeExpiresAt(null).build());
    Account withCode = await(a -> a.command() == null && a.pairingCode() != null, "a pairing code");
    assertEquals(8, withCode.pairingCode().length());
    assertNotNull(withCode.pairingCodeExpiresAt());
    assertTrue(withCode.pairingCodeExpiresAt().isAfter(Clock.systemUTC().instant()));

    String code = withCode.pairingCode();
    String wrong = code.substring(0, 7) + (code.endsWith("A") ? "B" : "A");
    SimulatorAdminClient.Reply refused = admin.post("phones/" + PHONE + "/link-code",
        Map.of("code", wrong));
    assertEquals(400, refused.status(), String.valueOf(refused.body()));
    assertEquals("wrong-code", refused.body().path("code").asText());
    assertEquals(code, accounts.load(ID).orElseThrow().pairingCode(), "the code is still shown");

    admin.enterLinkCode(PHONE, code);
    Account connected = await(a -> a.status() == AccountStatus.CONNECTED, "CONNECTED after the code");
    assertEquals(null, connected.pairingCode(), "the code is cleared once paired");
    assertEquals(null, connected.pairingCodeExpiresAt());
    assertEquals(null, connected.qr());
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
    return ConnectorEnv.of(simulator, FIRESTORE, "inst-cmd", 5);
  }

  private Account await(Predicate<Account> condition, String what) {
    return Waits.until(what, STEP, () -> accounts.load(ID).orElse(null), condition,
        a -> a.status() + " desired=" + a.desired() + " command=" + a.command() + " lastError=" + a.lastError());
  }

  private static void awaitTrue(Callable<Boolean> condition, String what) {
    Waits.until(what, STEP, () -> {
      try {
        return condition.call();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }
}
