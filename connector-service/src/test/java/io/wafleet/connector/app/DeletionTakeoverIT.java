package io.wafleet.connector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountCommand;
import io.wafleet.common.model.DesiredState;
import io.wafleet.common.model.Owner;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.Firestores;
import io.wafleet.common.store.LeaseStore;
import io.wafleet.common.store.SessionStore;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.connector.testing.ConnectorEnv;
import io.wafleet.connector.testing.PairingFleet;
import io.wafleet.connector.testing.Sessions;
import io.wafleet.connector.testing.StallingProxy;
import io.wafleet.simulator.SimulatorConfig;
import io.wafleet.simulator.WaSimulator;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A deletion the API answered 202 for (the owner was live and was asked to log the device out) whose
 * owner died before finishing it is finished by a live connector once that owner's lease has run
 * out by the claims' own rule. The dead owners are leases nobody renews any more, exactly what a
 * kill -9 leaves behind: a peer ({@code inst-dead}), and an earlier process under the running
 * connector's own id. Without a connection to unlink with (no session, WhatsApp unreachable) the
 * session and the account are deleted all the same. Real simulator (paired devices), emulator, an
 * in-process {@link Connector}.
 */
@Timeout(300)
class DeletionTakeoverIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final int KEY_FILL = 13;
  private static final Duration STEP = Duration.ofSeconds(120);
  /** The dead owners' leases: long enough to mark the accounts DELETED while they count as live. */
  private static final Duration DEAD_TTL = Duration.ofSeconds(8);
  private static final String SELF = "inst-live";

  private static final String PEER_DIED = "del-peer";
  private static final String NO_SESSION = "del-nosession";
  private static final String SAME_ID = "del-sameid";
  private static final String LIVE_OWNER = "del-liveowner";
  private static final Map<String, String> PHONES = Map.of(PEER_DIED, "40700600001", NO_SESSION, "40700600002",
      SAME_ID, "40700600003", LIVE_OWNER, "40700600004");

  private WaSimulator simulator;
  private SimulatorAdminClient admin;
  private AccountStore accounts;
  private LeaseStore leases;
  private SessionStore sessions;
  private Connector connector;
  private StallingProxy proxy;

  @BeforeEach
  void setUp() throws Exception {
    simulator = WaSimulator.start(SimulatorConfig.builder().build());
    admin = new SimulatorAdminClient(simulator.adminUri());
    accounts = new AccountStore(FIRESTORE.firestore(), Clock.systemUTC());
    leases = new LeaseStore(FIRESTORE.firestore(), Clock.systemUTC(), Duration.ofSeconds(1));
    sessions = new SessionStore(FIRESTORE.firestore(), Sessions.cipher("k1", KEY_FILL), Clock.systemUTC());
  }

  @AfterEach
  void tearDown() throws Exception {
    if (connector != null) {
      connector.shutdown();
    }
    if (proxy != null) {
      proxy.close();
    }
    simulator.close();
  }

  @Test
  void ownerDiedAfterThe202_aLiveConnectorUnlinksAndDeletes_withoutASessionStillDeletes_aLiveOwnersIsLeftAlone()
      throws Exception {
    create(PHONES.keySet());
    pair(List.of(PEER_DIED, NO_SESSION, SAME_ID));
    long registrations = admin.stats().path("registrations").asLong();

    // Owners that were live when the API answered 202, then died without a word.
    leases.renew("inst-dead", DEAD_TTL, "v-dead", 2, 0);
    leases.renew(SELF, DEAD_TTL, "v-earlier", 1, 0);
    leases.renew("inst-held", Duration.ofMinutes(10), "v-held", 1, 0);
    claim(PEER_DIED, "inst-dead");
    claim(NO_SESSION, "inst-dead");
    claim(SAME_ID, SELF);
    Owner held = claim(LIVE_OWNER, "inst-held");
    for (String id : PHONES.keySet()) {
      AccountStore.MarkedDeleted marked = accounts.markDeleted(id,
          new AccountCommand(AccountCommand.Kind.LOGOUT, Clock.systemUTC().instant()), Duration.ofSeconds(1));
      assertEquals(AccountStore.DeleteDecision.LOGOUT_REQUESTED, marked.decision(), id + ": the API's 202");
    }
    // The owner of this one had got as far as deleting the session: nothing left to connect with.
    sessions.deleteAll(NO_SESSION);

    startConnector(env());

    for (String id : List.of(PEER_DIED, SAME_ID)) {
      awaitGone(id);
      assertFalse(sessions.containsCreds(id), "the session of " + id + " deleted");
      assertEquals(0, sessions.countKeys(id), "the keys of " + id + " deleted");
      Awaitility.await("the companion device of " + id + " removed at WhatsApp").atMost(STEP)
          .until(() -> admin.devices(PHONES.get(id)).isEmpty());
    }
    awaitGone(NO_SESSION);
    assertFalse(sessions.containsCreds(NO_SESSION));
    assertEquals(1, admin.devices(PHONES.get(NO_SESSION)).size(),
        "without a session the device could not be unlinked: the phone still lists it (logged for the operator)");

    Account liveOwners = accounts.load(LIVE_OWNER).orElseThrow();
    assertEquals(held, liveOwners.owner(), "a live owner's deletion is never taken");
    assertEquals(held.generation(), liveOwners.ownerGeneration());
    assertEquals(DesiredState.DELETED, liveOwners.desired());
    assertEquals(registrations, admin.stats().path("registrations").asLong(),
        "no device was registered for an account being deleted");
    assertEquals(0, admin.stats().path("sessionsReplaced").asLong());
  }

  /**
   * WhatsApp unreachable (every connection accepted and never answered, as a black-holed network):
   * the deletion waits the connect timeout for a connection to unlink with, then deletes the session
   * and the account all the same; the phone still lists the device.
   */
  @Test
  void ownerDiedAfterThe202_whatsAppUnreachable_theSessionAndAccountAreDeletedAfterTheConnectTimeout()
      throws Exception {
    create(List.of(PEER_DIED));
    pair(List.of(PEER_DIED));
    leases.renew("inst-dead", DEAD_TTL, "v-dead", 1, 0);
    claim(PEER_DIED, "inst-dead");
    assertEquals(AccountStore.DeleteDecision.LOGOUT_REQUESTED, accounts.markDeleted(PEER_DIED,
        new AccountCommand(AccountCommand.Kind.LOGOUT, Clock.systemUTC().instant()), Duration.ofSeconds(1)).decision());

    proxy = new StallingProxy(simulator.wsPort());
    proxy.stall(true);
    Map<String, String> env = env();
    env.put("WAFLEET_WA_ENDPOINT", proxy.wsUri().toString());
    env.put("WAFLEET_CONNECT_TIMEOUT_SECONDS", "3");
    startConnector(env);

    awaitGone(PEER_DIED);
    assertTrue(proxy.stalledConnections() >= 1, "a connection to unlink with was tried");
    assertFalse(sessions.containsCreds(PEER_DIED), "the session deleted");
    assertEquals(0, sessions.countKeys(PEER_DIED), "and its keys");
    assertEquals(1, admin.devices(PHONES.get(PEER_DIED)).size(),
        "not unlinked: the phone still lists the device (logged for the operator)");
  }

  private void create(java.util.Collection<String> ids) throws Exception {
    for (String id : ids) {
      admin.createPhone(PHONES.get(id));
      accounts.create(Account.newAccount(id, "shop", "+" + PHONES.get(id), Clock.systemUTC().instant()));
    }
  }

  private void pair(List<String> ids) throws Exception {
    try (PairingFleet pairing = new PairingFleet(FIRESTORE, simulator, admin, KEY_FILL)) {
      pairing.pairAndGiveUp(ids, ids.stream().map(PHONES::get).toList());
    }
    for (String id : ids) {
      assertEquals(1, admin.devices(PHONES.get(id)).size(), "one linked device for " + id);
      assertTrue(sessions.containsCreds(id), "a stored session for " + id);
    }
  }

  private void startConnector(Map<String, String> env) throws Exception {
    connector = new Connector(ConnectorConfig.fromEnv(env),
        Firestores.connect(FIRESTORE.projectId(), FIRESTORE.hostPort()), Clock.systemUTC(), () -> { });
    connector.run();
  }

  private Owner claim(String id, String instanceId) {
    Owner owner = leases.claim(id, instanceId).owner();
    assertEquals(instanceId, owner.instanceId(), id);
    return owner;
  }

  private void awaitGone(String id) {
    Awaitility.await(id + " deleted").atMost(STEP).pollInterval(Duration.ofMillis(200))
        .until(() -> accounts.load(id).isEmpty());
  }

  private Map<String, String> env() throws Exception {
    Map<String, String> env = ConnectorEnv.of(simulator, FIRESTORE, SELF, KEY_FILL);
    env.put("WAFLEET_INSTANCE_LOCK_DIR", Files.createDirectories(
        Path.of("target", "instance-locks", "deletion-" + System.nanoTime())).toAbsolutePath().toString());
    env.put("WAFLEET_LEASE_TTL_SECONDS", "10");
    env.put("WAFLEET_LEASE_RENEW_SECONDS", "1");
    env.put("WAFLEET_LEASE_SKEW_SECONDS", "1");
    return env;
  }
}
