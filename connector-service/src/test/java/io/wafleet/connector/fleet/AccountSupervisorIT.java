package io.wafleet.connector.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.firestore.Blob;
import com.google.cloud.firestore.DocumentReference;
import io.wafleet.client.WaClient;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.Incident;
import io.wafleet.common.model.IncidentState;
import io.wafleet.common.model.IncidentType;
import io.wafleet.common.model.Owner;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.IncidentStore;
import io.wafleet.common.store.MessageStore;
import io.wafleet.common.store.OutboxStore;
import io.wafleet.common.store.SessionStore;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.common.testing.ManualClock;
import io.wafleet.connector.messages.OutboxConfig;
import io.wafleet.connector.messages.OutboxDispatcher;
import io.wafleet.connector.testing.ManualScheduler;
import io.wafleet.connector.testing.Sessions;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import io.wafleet.connector.testing.StallingProxy;
import io.wafleet.connector.testing.Waits;
import io.wafleet.simulator.SimulatorConfig;
import io.wafleet.simulator.WaSimulator;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The supervisor against the real simulator over real sockets (through a loopback proxy that can
 * stall) and the real Firestore emulator. Time that the supervisor waits on (connect timeout,
 * backoff) is moved by hand with a {@link ManualScheduler}; everything else runs for real.
 */
@Timeout(120)
class AccountSupervisorIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final AtomicInteger PHONES = new AtomicInteger();
  private static WaSimulator simulator;
  private static SimulatorAdminClient admin;
  private static StallingProxy proxy;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T10:00:00Z"));
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final List<AccountSupervisor> supervisors = new ArrayList<>();
  private ExecutorService pool;
  private AccountStore accounts;
  private IncidentStore incidents;
  private SessionStore sessions;
  private String accountId;
  private String phone;
  private Owner owner;
  /** How long the client shows each QR; long enough that no test's QR runs out unless it shortens it. */
  private Duration qrTtl = Duration.ofSeconds(60);
  /** The settings {@link #start(AccountStatus)} uses. */
  private SupervisorConfig config = new SupervisorConfig(SupervisorConfig.DEFAULT_CONNECT_TIMEOUT,
      Backoff.standard(() -> 0.5));

  @BeforeAll
  static void startSimulator() throws Exception {
    simulator = WaSimulator.start(SimulatorConfig.builder().build());
    admin = new SimulatorAdminClient(simulator.adminUri());
    proxy = new StallingProxy(simulator.wsPort());
  }

  @AfterAll
  static void stopSimulator() throws Exception {
    proxy.close();
    simulator.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    pool = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "fleet-worker");
      t.setDaemon(true);
      return t;
    });
    accounts = new AccountStore(FIRESTORE.firestore(), clock);
    incidents = new IncidentStore(FIRESTORE.firestore(), clock);
    sessions = new SessionStore(FIRESTORE.firestore(), Sessions.cipher("k1", 3), clock);
    int n = PHONES.incrementAndGet();
    accountId = "acc-" + n;
    phone = "4070010" + String.format("%04d", n);
    owner = new Owner("inst-a", 1);
    admin.createPhone(phone);
    accounts.create(Account.newAccount(accountId, "shop " + n, "+" + phone, clock.instant()).toBuilder()
        .owner(owner).build());
    proxy.stall(false);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AccountSupervisor s : supervisors) {
      s.shutdown().get(30, TimeUnit.SECONDS);
    }
    pool.shutdownNow();
  }

  @Test
  void newAccount_withoutSession_showsQr_thenPairsAndConnects() throws Exception {
    long registrations = admin.stats().path("registrations").asLong();
    String device = pair();
    Account a = accounts.load(accountId).orElseThrow();
    assertEquals(AccountStatus.CONNECTED, a.status());
    assertNull(a.qr());
    assertNull(a.lastError());
    assertEquals(0, a.reconnectAttempts());
    assertNotNull(a.connectedAt());
    assertTrue(sessions.containsCreds(accountId), "the paired session is stored");
    assertEquals(registrations + 1, admin.stats().path("registrations").asLong());
    assertTrue(device.startsWith(phone + ":"), device);
  }

  @Test
  void pairedAccount_restoredByANewSupervisor_connectsWithNoQr() throws Exception {
    pair();
    restartSupervisor();
    long registrations = admin.stats().path("registrations").asLong();
    long logins = admin.stats().path("logins").asLong();
    Instant restartedAt = clock.instant();
    AccountSupervisor second = start(AccountStatus.CONNECTED);
    Account a = awaitAccount(x -> x.status() == AccountStatus.CONNECTED && !x.connectedAt().isBefore(restartedAt)
        && second.status() == AccountStatus.CONNECTED, "reconnected by the new supervisor");
    assertNull(a.qr());
    assertEquals(registrations, admin.stats().path("registrations").asLong(), "no new registration, no QR");
    assertTrue(admin.stats().path("logins").asLong() > logins);
  }

  @Test
  void unlinkedDevice_goesLoggedOut_withAFreshQrReady_andPairsAgain() throws Exception {
    String device = pair();
    admin.logout(device);
    Account out = awaitAccount(a -> a.status() == AccountStatus.LOGGED_OUT && a.qr() != null, "LOGGED_OUT with a QR");
    assertEquals(CloseReason.LOGGED_OUT.code(), out.lastError());
    assertEquals(CloseReason.LOGGED_OUT.code(), out.lastDisconnectReason());
    assertFalse(sessions.containsCreds(accountId), "the dead session is deleted");
    Incident incident = incidents.load(loggedOutIncident()).orElseThrow();
    assertEquals(IncidentState.OPEN, incident.state());
    assertEquals(accountId, incident.subject());
    assertEquals(out.lastDisconnectAt(), incident.openedAt());
    assertTrue(incident.detail().contains(CloseReason.LOGGED_OUT.code()), incident.detail());
    clock.advance(Duration.ofMinutes(3));
    admin.scan(phone, out.qr().value());
    Account again = awaitAccount(a -> a.status() == AccountStatus.CONNECTED, "paired again");
    assertNull(again.qr());
    assertNull(again.lastError());
    assertTrue(incidents.load(loggedOutIncident()).isEmpty(), "resolved by the new pairing");
    Incident resolved = resolvedIncident(IncidentType.LOGGED_OUT);
    assertEquals(Duration.ofMinutes(3), resolved.timeToRecover().orElseThrow());
  }

  @Test
  void reconnectLoop_opensAnIncident_hardResetsTheSupervisor_andResolvesOnceConnected() throws Exception {
    pair();
    restartSupervisor();
    proxy.stall(true);
    Duration timeout = Duration.ofSeconds(5);
    int loop = SupervisorConfig.DEFAULT_LOOP_RETRIES;
    // Timeouts alone would offer a QR after 3; this test is about the loop only.
    SupervisorConfig config = new SupervisorConfig(timeout, Backoff.standard(() -> 0.5), loop,
        SupervisorConfig.DEFAULT_LOOP_WINDOW, 1000, SupervisorConfig.DEFAULT_ACTIVITY_WRITE_EVERY,
        SupervisorConfig.DEFAULT_PHONE_OFFLINE_WARN_AFTER);
    String loopIncident = Incident.activeId(IncidentType.RECONNECT_LOOP.wireName(), accountId);
    Instant firstTry = clock.instant();
    int stalled = proxy.stalledConnections();
    AccountSupervisor supervisor = start(AccountStatus.CONNECTED, config);
    for (int retry = 1; retry <= loop; retry++) {
      int seen = stalled;
      await(() -> proxy.stalledConnections() > seen, "connect attempt " + retry + " on the stalled server");
      stalled = proxy.stalledConnections();
      scheduler.advance(timeout);
      if (retry == loop) {
        break;
      }
      int expected = retry;
      Account down = awaitAccount(a -> a.reconnectAttempts() == expected, "retry " + retry + " scheduled");
      assertTrue(incidents.load(loopIncident).isEmpty(), "no loop after " + retry + " retries");
      awaitRetryScheduled();
      scheduler.advance(Duration.between(clock.instant(), down.nextRetryAt()));
    }
    assertTrue(clock.instant().isBefore(firstTry.plus(SupervisorConfig.DEFAULT_LOOP_WINDOW)),
        loop + " retries fit in the window");
    Incident open = Awaitility.await("the reconnect-loop incident").atMost(WAIT)
        .until(() -> incidents.load(loopIncident), java.util.Optional::isPresent).orElseThrow();
    assertEquals(IncidentState.OPEN, open.state());
    assertEquals(accountId, open.subject());
    assertEquals(clock.instant(), open.openedAt());
    assertTrue(open.detail().startsWith(loop + " reconnects within 10 min"), open.detail());
    Instant resetAt = clock.instant();
    Account reset = awaitAccount(a -> a.reconnectAttempts() == 0 && a.status() == AccountStatus.DISCONNECTED,
        "the hard reset: backoff count new, one pause of the longest step");
    assertEquals(resetAt.plus(Backoff.STEPS.get(Backoff.STEPS.size() - 1)), reset.nextRetryAt());
    assertEquals(CloseReason.TIMED_OUT.code(), reset.lastError());
    assertFalse(supervisor.isHalted(), "the supervisor goes on; only its state was reset");
    // Every reconnect the loop counted is on the account, in the writes the connector made anyway.
    assertEquals(Account.RECENT_RECONNECTS_KEPT, reset.recentReconnects().size(), reset.recentReconnects().toString());
    assertEquals(resetAt, reset.recentReconnects().get(reset.recentReconnects().size() - 1));
    assertTrue(reset.recentReconnects().stream().noneMatch(t -> t.isBefore(firstTry)), "only the loop's reconnects");
    assertEquals(loop, reset.reconnectsAfter(firstTry.minusMillis(1)));

    proxy.stall(false);
    awaitRetryScheduled();
    scheduler.advance(Duration.between(clock.instant(), reset.nextRetryAt()));
    awaitAccount(a -> a.status() == AccountStatus.CONNECTED, "connected after the reset");
    await(() -> incidents.load(loopIncident).isEmpty(), "the loop incident resolved");
    Incident resolved = resolvedIncident(IncidentType.RECONNECT_LOOP);
    assertEquals(Duration.between(resetAt, reset.nextRetryAt()), resolved.timeToRecover().orElseThrow());
    Account back = accounts.load(accountId).orElseThrow();
    assertNull(back.qr(), "restored from the stored session, no QR");
    assertEquals(reset.recentReconnects(), back.recentReconnects(), "connecting again keeps the history");
  }

  @Test
  void restoredSessionTimingOut_offersAQr_keepingTheStoredSession_untilANewPairing() throws Exception {
    String oldDevice = pair();
    restartSupervisor();
    byte[] storedCreds = storedCreds();
    proxy.stall(true);
    Duration timeout = Duration.ofSeconds(5);
    int timeoutsBeforeQr = 2;
    SupervisorConfig config = new SupervisorConfig(timeout, Backoff.standard(() -> 0.5),
        SupervisorConfig.DEFAULT_LOOP_RETRIES, SupervisorConfig.DEFAULT_LOOP_WINDOW, timeoutsBeforeQr,
        SupervisorConfig.DEFAULT_ACTIVITY_WRITE_EVERY, SupervisorConfig.DEFAULT_PHONE_OFFLINE_WARN_AFTER);
    int stalled = proxy.stalledConnections();
    start(AccountStatus.CONNECTED, config);
    Account down = null;
    for (int n = 1; n <= timeoutsBeforeQr; n++) {
      if (down != null) {
        awaitRetryScheduled();
        scheduler.advance(Duration.between(clock.instant(), down.nextRetryAt()));
      }
      int seen = stalled;
      await(() -> proxy.stalledConnections() > seen, "connect " + n + " of the stored session, stalled");
      stalled = proxy.stalledConnections();
      scheduler.advance(timeout);
      int expected = n;
      down = awaitAccount(a -> a.reconnectAttempts() == expected, "timeout " + n);
      assertEquals(CloseReason.TIMED_OUT.code(), down.lastError());
      assertNull(down.qr(), "no QR before " + timeoutsBeforeQr + " timeouts");
    }
    proxy.stall(false);
    awaitRetryScheduled();
    scheduler.advance(Duration.between(clock.instant(), down.nextRetryAt()));
    Account offered = awaitAccount(a -> a.status() == AccountStatus.NEEDS_QR && a.qr() != null, "a QR offered");
    assertArrayEquals(storedCreds, storedCreds(), "the stored session is kept while the QR is offered");
    String newDevice = admin.scan(phone, offered.qr().value()).deviceJid();
    awaitAccount(a -> a.status() == AccountStatus.CONNECTED, "connected as the newly paired device");
    assertNotEquals(oldDevice, newDevice);
    assertFalse(java.util.Arrays.equals(storedCreds, storedCreds()), "the new pairing replaced the stored session");
  }

  @Test
  void qrRefsRunningOut_isNotAFailure_theAccountWaitsUntilAskedToReconnect() throws Exception {
    qrTtl = Duration.ofSeconds(1);
    // Two counted reconnects would already be a loop: refs running out must count none.
    SupervisorConfig config = new SupervisorConfig(SupervisorConfig.DEFAULT_CONNECT_TIMEOUT,
        Backoff.standard(() -> 0.5), 2, SupervisorConfig.DEFAULT_LOOP_WINDOW, SupervisorConfig.DEFAULT_TIMEOUTS_BEFORE_QR,
        SupervisorConfig.DEFAULT_ACTIVITY_WRITE_EVERY, SupervisorConfig.DEFAULT_PHONE_OFFLINE_WARN_AFTER);
    AccountSupervisor supervisor = start(AccountStatus.PENDING, config);
    for (int round = 1; round <= 3; round++) {
      long registrations = admin.stats().path("registrations").asLong();
      if (round > 1) {
        supervisor.reconnectNow();
        await(() -> registrations(registrations), "a new registration (a new QR) when asked");
      }
      Account waiting = awaitAccount(a -> a.status() == AccountStatus.NEEDS_QR && a.qr() == null
          && CloseReason.QR_REFS_EXHAUSTED.code().equals(a.lastError()), "refs exhausted, round " + round);
      assertEquals(0, waiting.reconnectAttempts(), "no retry counted");
      assertNull(waiting.nextRetryAt(), "no retry scheduled");
      assertEquals(0, scheduler.pending(), "no timer left: the account waits");
      assertTrue(incidents.load(Incident.activeId(IncidentType.RECONNECT_LOOP.wireName(), accountId)).isEmpty(),
          "no reconnect-loop incident");
    }
  }

  @Test
  void stalledServer_connectTimesOutToDisconnected_thenRecovers() throws Exception {
    pair();
    restartSupervisor();
    proxy.stall(true);
    int stalledBefore = proxy.stalledConnections();
    AccountSupervisor second = start(AccountStatus.CONNECTED);
    await(() -> proxy.stalledConnections() > stalledBefore && second.status() == AccountStatus.CONNECTING,
        "a connect hanging on the stalled server");
    scheduler.advance(SupervisorConfig.DEFAULT_CONNECT_TIMEOUT.minusSeconds(1));
    assertEquals(AccountStatus.CONNECTING, second.status(), "not yet timed out");
    scheduler.advance(Duration.ofSeconds(1));
    Account down = awaitAccount(a -> a.status() == AccountStatus.DISCONNECTED, "DISCONNECTED at the connect timeout");
    assertEquals(CloseReason.TIMED_OUT.code(), down.lastError());
    assertEquals(1, down.reconnectAttempts());
    assertEquals(clock.instant().plusSeconds(1), down.nextRetryAt(), "first backoff step, jitter pinned to 0");
    awaitRetryScheduled();
    proxy.stall(false);
    scheduler.advance(Duration.ofSeconds(1));
    Account up = awaitAccount(a -> a.status() == AccountStatus.CONNECTED, "recovered");
    assertEquals(0, up.reconnectAttempts());
    assertNull(up.nextRetryAt());
    assertNull(up.qr());
  }

  @Test
  void unreadableSession_isRetriedWithBackoff_neverANewQr() throws Exception {
    pair();
    restartSupervisor();
    long registrations = admin.stats().path("registrations").asLong();
    DocumentReference creds = FIRESTORE.firestore().collection("wa_sessions").document(accountId);
    byte[] good = creds.get().get().getBlob("creds").toBytes();
    byte[] bad = good.clone();
    bad[bad.length - 1] ^= 1;
    creds.update("creds", Blob.fromBytes(bad)).get();

    start(AccountStatus.CONNECTED);
    Account first = awaitAccount(a -> a.status() == AccountStatus.DISCONNECTED && a.reconnectAttempts() == 1,
        "first failed restore");
    assertEquals(CloseReason.SESSION_UNREADABLE.code(), first.lastError());
    assertNull(first.qr());
    awaitRetryScheduled();
    scheduler.advance(Duration.ofSeconds(1));
    Account second = awaitAccount(a -> a.reconnectAttempts() == 2, "second failed restore");
    assertEquals(AccountStatus.DISCONNECTED, second.status());
    assertEquals(clock.instant().plusSeconds(2), second.nextRetryAt());
    assertNull(second.qr());

    creds.update("creds", Blob.fromBytes(good)).get();
    awaitRetryScheduled();
    scheduler.advance(Duration.ofSeconds(2));
    Account up = awaitAccount(a -> a.status() == AccountStatus.CONNECTED, "restored once readable");
    assertNull(up.qr());
    assertEquals(registrations, admin.stats().path("registrations").asLong(), "never registered a new device");
  }

  @Test
  void restartRequired_reconnectsAtOnce_withoutBackoff() throws Exception {
    String device = pair();
    long logins = admin.stats().path("logins").asLong();
    Instant faultAt = clock.advance(Duration.ofSeconds(1));
    assertEquals(1, admin.fault("stream-error", 515, device));
    awaitAccount(a -> a.status() == AccountStatus.CONNECTED && !a.connectedAt().isBefore(faultAt)
        && CloseReason.RESTART_REQUIRED.code().equals(a.lastDisconnectReason()), "reconnected after 515");
    await(() -> {
      try {
        return admin.stats().path("logins").asLong() > logins;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "a new login");
    Account reconnected = accounts.load(accountId).orElseThrow();
    assertEquals(0, reconnected.reconnectAttempts());
    assertNull(reconnected.nextRetryAt(), "no retry scheduled");
    assertEquals(reconnected.lastDisconnectAt(),
        reconnected.recentReconnects().get(reconnected.recentReconnects().size() - 1), "the 515 is counted");
    assertFalse(reconnected.lastDisconnectAt().isBefore(faultAt));
    // No connect timer is left either: past the connect timeout the connection is untouched.
    scheduler.advance(SupervisorConfig.DEFAULT_CONNECT_TIMEOUT.plusSeconds(1));
    Account later = accounts.load(accountId).orElseThrow();
    assertEquals(AccountStatus.CONNECTED, later.status());
    assertEquals(reconnected.connectedAt(), later.connectedAt());
    assertEquals(AccountStatus.CONNECTED, supervisors.get(supervisors.size() - 1).status());
  }

  @Test
  void connectionReplaced_stopsAndNeverFightsForTheSocket() throws Exception {
    String device = pair();
    AccountSupervisor supervisor = supervisors.get(supervisors.size() - 1);
    assertEquals(1, admin.fault("stream-error", 440, device));
    Account a = awaitAccount(x -> x.status() == AccountStatus.DISCONNECTED, "DISCONNECTED after 440");
    assertEquals(CloseReason.CONNECTION_REPLACED.code(), a.lastError());
    assertNull(a.nextRetryAt());
    await(supervisor::isHalted, "supervisor halted");
    assertEquals(0, scheduler.pending(), "no reconnect scheduled");
  }

  @Test
  void deletion_whileTheConnectionIsDown_connectsWithTheStoredSession_unlinksTheDevice_andDeletesTheSession()
      throws Exception {
    String device = pair();
    AccountSupervisor supervisor = supervisors.get(supervisors.size() - 1);
    assertEquals(1, admin.fault("drop", 0, device));
    awaitAccount(a -> a.status() == AccountStatus.DISCONNECTED && a.nextRetryAt() != null, "a retry scheduled");
    assertEquals(List.of(device), admin.devices(phone));

    assertTrue(supervisor.logout(true).get(60, TimeUnit.SECONDS), "unlinked through WhatsApp");
    assertTrue(admin.devices(phone).isEmpty(), "the phone no longer lists the device");
    assertFalse(sessions.containsCreds(accountId), "the session deleted");
    assertEquals(0, sessions.countKeys(accountId));
    assertTrue(supervisor.isHalted());
    assertTrue(supervisor.isDeleting());
  }

  @Test
  void deletion_takenOverWithWhatsAppUnreachable_endsAfterTheConnectTimeout_andStillDeletesTheSession()
      throws Exception {
    String device = pair();
    restartSupervisor();
    proxy.stall(true);
    int stalled = proxy.stalledConnections();
    AccountSupervisor taken = create(AccountStatus.CONNECTED, config);
    java.util.concurrent.CompletableFuture<Boolean> deleted = taken.logout(true);
    await(() -> proxy.stalledConnections() > stalled, "a connection to unlink with tried");
    await(() -> scheduler.pendingWithin(config.connectTimeout()) >= 1, "the deletion's deadline armed");
    assertFalse(deleted.isDone(), "waits for the connection until the connect timeout");
    scheduler.advance(config.connectTimeout());

    assertFalse(deleted.get(30, TimeUnit.SECONDS), "not unlinked");
    assertFalse(sessions.containsCreds(accountId), "the session deleted all the same");
    assertEquals(0, sessions.countKeys(accountId));
    assertEquals(List.of(device), admin.devices(phone), "the phone still lists the device");
    assertTrue(taken.isHalted());
  }

  @Test
  void statusWritesThatFail_areWrittenAgainAfterABackoffStep_notLeftBehindUntilTheNextMove() throws Exception {
    pair();
    restartSupervisor();
    Instant restartedAt = clock.instant();
    DocumentReference doc = FIRESTORE.firestore().collection("accounts").document(accountId);
    // A field that does not read: every owner write of this account fails with a typed error.
    doc.update("lastError", 42).get();
    AccountSupervisor second = start(AccountStatus.CONNECTED);
    // CONNECTED in memory and its write returned (failed): the hourly phone check is scheduled after it.
    await(() -> second.status() == AccountStatus.CONNECTED && scheduler.pendingWithin(Duration.ofHours(2)) >= 2,
        "connected, its status write failed");
    assertEquals(1, scheduler.pendingWithin(Duration.ofSeconds(1)), "one rewrite scheduled a backoff step away");
    assertEquals(42L, doc.get().get().get("lastError"), "nothing written meanwhile");

    doc.update("lastError", null).get();
    scheduler.advance(Duration.ofSeconds(1));
    Account a = awaitAccount(x -> x.status() == AccountStatus.CONNECTED && x.connectedAt() != null
        && !x.connectedAt().isBefore(restartedAt), "CONNECTED written by the rewrite");
    assertNull(a.lastError());
    assertNull(a.nextRetryAt());
    assertEquals(AccountStatus.CONNECTED, second.status());
  }

  @Test
  void aStatusWriteUnderWay_holdsNoWorker_andStatusShowsItUnwrittenUntilItLands() throws Exception {
    pair();
    restartSupervisor();
    Instant restartedAt = clock.instant();
    // The account document locked by an open transaction, as a killed process leaves one: the
    // CONNECTED write cannot land while it is held.
    DocumentReference doc = FIRESTORE.firestore().collection("accounts").document(accountId);
    io.wafleet.connector.testing.HeldLock lock = io.wafleet.connector.testing.HeldLock.on(FIRESTORE.firestore(), doc);
    AccountSupervisor second;
    try {
      second = start(AccountStatus.CONNECTED);
      await(() -> second.status() == AccountStatus.CONNECTED, "CONNECTED in memory");
      assertFalse(second.isStatusWritten(), "its write has not landed");
      // Both workers of the pool are free: two tasks that each wait for the other finish.
      java.util.concurrent.CountDownLatch both = new java.util.concurrent.CountDownLatch(2);
      List<java.util.concurrent.Future<Boolean>> tasks = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        tasks.add(pool.submit(() -> {
          both.countDown();
          return both.await(30, TimeUnit.SECONDS);
        }));
      }
      for (java.util.concurrent.Future<Boolean> task : tasks) {
        assertTrue(task.get(60, TimeUnit.SECONDS), "no worker waits for the status write");
      }
      assertEquals(AccountStatus.CONNECTED, second.status());
    } finally {
      lock.close();
    }
    // Landed once the lock is gone, or written again by the rewrite a backoff step later.
    await(() -> second.isStatusWritten() || scheduler.pendingWithin(Duration.ofSeconds(1)) > 0,
        "landed, or a rewrite scheduled");
    scheduler.advance(Duration.ofSeconds(1));
    awaitAccount(x -> x.status() == AccountStatus.CONNECTED && x.connectedAt() != null
        && !x.connectedAt().isBefore(restartedAt), "CONNECTED in the store");
    await(second::isStatusWritten, "the supervisor knows it is written");
  }

  @Test
  void ownershipTakenOver_sessionWriteIsFenced_andTheSocketClosesAtOnce() throws Exception {
    pair();
    AccountSupervisor supervisor = supervisors.get(supervisors.size() - 1);
    String sender = phone.substring(0, phone.length() - 4) + "9" + phone.substring(phone.length() - 3);
    admin.createPhone(sender);
    // Only this test's socket is open once earlier tests' closed sockets are gone on the server.
    await(() -> liveConnections() == 1, "this account's socket as the only live one");
    // Another instance claims the account (as LeaseStore.claim does: owner and a newer generation).
    FIRESTORE.firestore().collection("accounts").document(accountId)
        .update("owner", java.util.Map.of("instanceId", "inst-b", "generation", 2L)).get();
    admin.send(sender, phone + "@s.whatsapp.net", "hello"); // our device stores it: a fenced write
    await(supervisor::isHalted, "the supervisor halted on the fenced session write");
    await(() -> liveConnections() == 0, "the simulator sees the socket closed");
    Account a = accounts.load(accountId).orElseThrow();
    assertEquals(new Owner("inst-b", 2), a.owner());
    assertEquals(AccountStatus.CONNECTED, a.status(), "the fenced instance wrote nothing");
  }

  @Test
  void phoneUnseenPastTheThreshold_opensPhoneOffline_resolvedWhenThePhoneIsSeenAgain() throws Exception {
    Duration warnAfter = Duration.ofHours(3);
    config = new SupervisorConfig(SupervisorConfig.DEFAULT_CONNECT_TIMEOUT, Backoff.standard(() -> 0.5),
        SupervisorConfig.DEFAULT_LOOP_RETRIES, SupervisorConfig.DEFAULT_LOOP_WINDOW,
        SupervisorConfig.DEFAULT_TIMEOUTS_BEFORE_QR, SupervisorConfig.DEFAULT_ACTIVITY_WRITE_EVERY, warnAfter);
    Instant scannedAt = clock.instant();
    pair();
    awaitAccount(a -> scannedAt.equals(a.phoneLastSeenAt()), "the scan counted as the phone seen");
    String incidentId = Incident.activeId(IncidentType.PHONE_OFFLINE.wireName(), accountId);
    await(() -> scheduler.pendingWithin(AccountSupervisor.PHONE_CHECK_EVERY) == 1, "the first hourly check");
    for (int hour = 1; hour <= 3; hour++) {
      assertTrue(incidents.load(incidentId).isEmpty(), "no phone-offline incident after " + (hour - 1) + " h");
      scheduler.advance(AccountSupervisor.PHONE_CHECK_EVERY);
      if (hour < 3) {
        await(() -> scheduler.pendingWithin(AccountSupervisor.PHONE_CHECK_EVERY) == 1, "the next hourly check");
      }
    }
    Incident open = Awaitility.await("the phone-offline incident").atMost(WAIT)
        .until(() -> incidents.load(incidentId), java.util.Optional::isPresent).orElseThrow();
    assertEquals(accountId, open.subject());
    assertEquals(scannedAt.plus(warnAfter), open.openedAt());
    assertTrue(open.detail().contains(scannedAt.toString()), open.detail());

    clock.advance(Duration.ofMinutes(30));
    Instant seenAgain = clock.instant();
    String customer = customerPhone();
    admin.send(phone, customer + "@s.whatsapp.net", "back online"); // our device gets the phone's copy
    awaitAccount(a -> seenAgain.equals(a.phoneLastSeenAt()), "the phone seen again, written at once");
    await(() -> incidents.load(incidentId).isEmpty(), "phone-offline resolved");
    assertEquals(Duration.ofMinutes(30), resolvedIncident(IncidentType.PHONE_OFFLINE).timeToRecover().orElseThrow());
  }

  @Test
  void inboundMessages_writeTheirTimestamp_atMostOncePerMinute() throws Exception {
    pair(); // the scan's activity write: the next one waits a minute from here
    String customer = customerPhone();
    clock.advance(Duration.ofMinutes(2));
    Instant first = clock.instant();
    awaitStored(admin.send(customer, phone + "@s.whatsapp.net", "one"));
    awaitAccount(a -> first.equals(a.lastMessageAt()), "the first message after a quiet minute, written at once");
    clock.advance(Duration.ofSeconds(10));
    Instant second = clock.instant();
    awaitStored(admin.send(customer, phone + "@s.whatsapp.net", "two"));
    clock.advance(Duration.ofSeconds(5));
    awaitStored(admin.send(customer, phone + "@s.whatsapp.net", "three"));
    assertEquals(first, accounts.load(accountId).orElseThrow().lastMessageAt(), "held back within the minute");
    scheduler.advance(Duration.between(clock.instant(), first.plus(SupervisorConfig.DEFAULT_ACTIVITY_WRITE_EVERY)));
    Account written = awaitAccount(a -> a.lastMessageAt().isAfter(first), "the minute's newest, by its timer");
    assertEquals(second.plusSeconds(5), written.lastMessageAt());
    assertEquals(second.plusSeconds(5), written.lastEventAt());
  }

  // ---- helpers ----

  private String customerPhone() throws Exception {
    String customer = phone.substring(0, phone.length() - 4) + "8" + phone.substring(phone.length() - 3);
    admin.createPhone(customer);
    return customer;
  }

  /** Waits until the inbound writer stored the message with this WhatsApp id. */
  private void awaitStored(String waMessageId) {
    await(() -> {
      try {
        return FIRESTORE.firestore().collectionGroup("messages").get().get().getDocuments().stream()
            .anyMatch(d -> d.getId().equals(waMessageId));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "message " + waMessageId + " stored");
  }

  private static boolean registrations(long moreThan) {
    try {
      return admin.stats().path("registrations").asLong() > moreThan;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String loggedOutIncident() {
    return Incident.activeId(IncidentType.LOGGED_OUT.wireName(), accountId);
  }

  /** The one resolved incident of {@code type} about this test's account. */
  private Incident resolvedIncident(IncidentType type) {
    List<Incident> found = incidents.list(IncidentState.RESOLVED, 100).stream()
        .filter(i -> i.type().equals(type.wireName()) && i.subject().equals(accountId)).toList();
    assertEquals(1, found.size(), "one resolved " + type.wireName() + " incident: " + found);
    return found.get(0);
  }

  private byte[] storedCreds() throws Exception {
    return FIRESTORE.firestore().collection("wa_sessions").document(accountId).get().get().getBlob("creds").toBytes();
  }

  private static long liveConnections() {
    try {
      return admin.stats().path("connections").asLong();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Starts a supervisor on a fresh account, scans its QR with the simulated phone; returns the device JID. */
  private String pair() throws Exception {
    start(AccountStatus.PENDING);
    Account qr = awaitAccount(a -> a.status() == AccountStatus.NEEDS_QR && a.qr() != null, "a QR");
    assertTrue(qr.qr().expiresAt().isAfter(Instant.EPOCH));
    String device = admin.scan(phone, qr.qr().value()).deviceJid();
    awaitAccount(a -> a.status() == AccountStatus.CONNECTED, "CONNECTED after the scan");
    return device;
  }

  /**
   * The supervisor stores DISCONNECTED and then, on its own executor, schedules the retry: the
   * stored status can be visible before that, and time moved on too early would leave the retry
   * due after the moved clock, never to run.
   */
  private void awaitRetryScheduled() {
    await(() -> scheduler.pending() == 1, "the retry scheduled");
  }

  /** Ends the current supervisor as a dying process would (no status write) and moves time on. */
  private void restartSupervisor() throws Exception {
    supervisors.remove(supervisors.size() - 1).shutdown().get(30, TimeUnit.SECONDS);
    clock.advance(Duration.ofSeconds(5));
  }

  private AccountSupervisor start(AccountStatus stored) {
    return start(stored, config);
  }

  private AccountSupervisor start(AccountStatus stored, SupervisorConfig config) {
    AccountSupervisor s = create(stored, config);
    s.start();
    return s;
  }

  /** A supervisor not started: as one taken over for a deletion only. */
  private AccountSupervisor create(AccountStatus stored, SupervisorConfig config) {
    FleetContext ctx = new FleetContext(accounts, sessions, new OutboxDispatcher(
        new OutboxStore(FIRESTORE.firestore(), clock), new MessageStore(FIRESTORE.firestore(), clock), owner.instanceId(), scheduler, clock,
        new OutboxConfig(OutboxConfig.DEFAULT_MESSAGES_PER_MINUTE, OutboxConfig.DEFAULT_MAX_ATTEMPTS,
            Backoff.standard(() -> 0.5))), this::client, scheduler, pool, clock,
        new SecureRandom(), config, new IncidentStore(FIRESTORE.firestore(), clock));
    AccountSupervisor s = new AccountSupervisor(accountId, owner, stored, ctx);
    supervisors.add(s);
    return s;
  }

  private WaClient client(io.wafleet.client.auth.AuthState auth, io.wafleet.client.WaListener listener) {
    // The client's own deadline is far beyond the supervisor's: the supervisor decides timeouts.
    // 30 pre-keys instead of 812 keep the emulator's work (and its per-test reset) small.
    return WaClient.builder(auth).serverUri(proxy.wsUri()).certificateVerifier(simulator.trustedVerifier())
        .listener(listener).qrFirstTtl(qrTtl).qrNextTtl(qrTtl)
        .connectTimeout(Duration.ofMinutes(10)).initialPreKeyCount(30).build();
  }

  private Account awaitAccount(Predicate<Account> condition, String what) {
    return Waits.until(what, WAIT, () -> accounts.load(accountId).orElse(null), condition,
        a -> "status=" + a.status() + " lastError=" + a.lastError() + " attempts=" + a.reconnectAttempts());
  }

  private static void await(BooleanSupplier condition, String what) {
    Waits.until(what, WAIT, condition);
  }
}
