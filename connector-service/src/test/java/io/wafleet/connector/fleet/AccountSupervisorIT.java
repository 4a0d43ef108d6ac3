package io.wafleet.connector.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.firestore.Blob;
import com.google.cloud.firestore.DocumentReference;
import io.wafleet.client.WaClient;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.Owner;
import io.wafleet.common.store.AccountStore;
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
  private SessionStore sessions;
  private String accountId;
  private String phone;
  private Owner owner;

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
    admin.scan(phone, out.qr().value());
    Account again = awaitAccount(a -> a.status() == AccountStatus.CONNECTED, "paired again");
    assertNull(again.qr());
    assertNull(again.lastError());
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
    assertEquals(0, scheduler.pending(), "no retry timer, no connect timer left");
    assertEquals(0, accounts.load(accountId).orElseThrow().reconnectAttempts());
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

  // ---- helpers ----

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
    SupervisorConfig config = new SupervisorConfig(SupervisorConfig.DEFAULT_CONNECT_TIMEOUT,
        Backoff.standard(() -> 0.5));
    FleetContext ctx = new FleetContext(accounts, sessions, new OutboxDispatcher(
        new OutboxStore(FIRESTORE.firestore(), clock), new MessageStore(FIRESTORE.firestore(), clock), scheduler, clock,
        new OutboxConfig(OutboxConfig.DEFAULT_MESSAGES_PER_MINUTE, OutboxConfig.DEFAULT_MAX_ATTEMPTS,
            Backoff.standard(() -> 0.5))), this::client, scheduler, pool, clock,
        new SecureRandom(), config);
    AccountSupervisor s = new AccountSupervisor(accountId, owner, stored, ctx);
    supervisors.add(s);
    s.start();
    return s;
  }

  private WaClient client(io.wafleet.client.auth.AuthState auth, io.wafleet.client.WaListener listener) {
    // The client's own deadline is far beyond the supervisor's: the supervisor decides timeouts.
    // 30 pre-keys instead of 812 keep the emulator's work (and its per-test reset) small.
    return WaClient.builder(auth).serverUri(proxy.wsUri()).certificateVerifier(simulator.trustedVerifier())
        .listener(listener)
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
