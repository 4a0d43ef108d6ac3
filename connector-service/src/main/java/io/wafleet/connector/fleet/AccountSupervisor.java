package io.wafleet.connector.fleet;

import io.wafleet.client.WaClient;
import io.wafleet.client.WaListener;
import io.wafleet.client.event.Connected;
import io.wafleet.client.event.Disconnected;
import io.wafleet.client.event.LoggedOut;
import io.wafleet.client.event.MessageReceived;
import io.wafleet.client.event.PairSuccess;
import io.wafleet.client.event.PairingCodeFailed;
import io.wafleet.client.event.QrCodeUpdated;
import io.wafleet.client.event.ReceiptReceived;
import io.wafleet.client.event.WaEvent;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.IncidentType;
import io.wafleet.common.model.Owner;
import io.wafleet.common.model.QrCode;
import io.wafleet.common.store.FencingException;
import io.wafleet.common.store.StoreException;
import io.wafleet.connector.auth.FirestoreAuthState;
import io.wafleet.connector.auth.SessionCompleteness;
import io.wafleet.connector.auth.SessionUnavailableException;
import io.wafleet.connector.messages.InboundWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one account connected while this instance owns it (docs/architecture.md, "Account
 * supervisor"): restores the session, connects, times out a connect that hangs, reconnects with
 * backoff, re-pairs after a logout, and writes every status move through
 * {@code AccountStore.updateAsOwner}, grouped with other accounts' writes by {@link AccountWrites}
 * (moves checked by {@link StatusTransitions}).
 *
 * <p>Threads: all state lives on the account's {@link SerialExecutor}. wa-client's listener and the
 * scheduler's tasks only hand events to it; the supervisor calls into wa-client and Firestore from
 * there, never holding a lock. Public methods are thread-safe and return at once.
 */
public final class AccountSupervisor {

  private static final Logger log = LoggerFactory.getLogger(AccountSupervisor.class);
  /** How often a connected account checks how long its phone has been unseen. */
  static final Duration PHONE_CHECK_EVERY = Duration.ofHours(1);
  /** The detail of a logout the API asked for: an operator's act, not an incident. */
  private static final String LOGOUT_REQUESTED = "logout requested through the API";

  private final String accountId;
  private final Owner owner;
  private final FleetContext ctx;
  private final SerialExecutor serial;
  private final Attempts attempts = new Attempts();
  /**
   * The reconnects counted for the loop incident. Each one is also written to the account's
   * {@code recentReconnects} ({@code Account.Builder.reconnectAt}) in the status write it already
   * makes, where the monitors count them per hour.
   */
  private final ReconnectWindow reconnects;
  private final AccountIncidents incidents;
  /** True until the first CONNECTED of this supervisor, and while a reconnect-loop incident is open. */
  private boolean loopIncidentMayBeOpen = true;
  /** Consecutive connect timeouts of the restored (paired) session. */
  private int restoredTimeouts;
  /** A QR is offered beside the stored session after repeated timeouts; the session stays stored. */
  private boolean qrFallback;
  private final ActivityTimestamps activity;
  /** When the phone was last seen active (stored, or this supervisor's start when never seen). */
  private Instant phoneSeenAt;
  /** True until the phone is first seen by this supervisor, and while a phone-offline incident is open. */
  private boolean phoneIncidentMayBeOpen = true;
  private Scheduler.Cancellable phoneCheck;
  private volatile AccountStatus status;
  private volatile Instant statusSince;
  private volatile boolean halted;
  private volatile boolean deleting;
  private FirestoreAuthState auth;
  /** Set once the account is being deleted ({@link #logout} for deletion); completes when it is. */
  private CompletableFuture<Boolean> deletion;
  /** True once the unlink request went to WhatsApp over an open connection. */
  private boolean unlinkSent;
  private InboundWriter inbound;
  private final PairingCodes pairingCodes;
  /**
   * The fields of status writes that failed, applied again (before its own) by the next status
   * write, or by the rewrite scheduled after a failure: a CONNECTED that did not land would
   * otherwise show the account as connecting until its next status move, hours later.
   */
  private UnaryOperator<Account.Builder> unwritten;
  private Scheduler.Cancellable rewrite;
  private int rewriteFailures;
  /**
   * A status write is under way. One at a time per account, so they land in order; a move made
   * meanwhile waits in {@link #unwritten} and goes with the next write, under the status of then.
   */
  private boolean writeInFlight;
  /** True while no status write is under way or waiting (read by /status from other threads). */
  private volatile boolean statusWritten = true;
  /** Completed once no status write is under way ({@link #stop}'s caller waits for its write). */
  private final java.util.List<CompletableFuture<Void>> landingWaiters = new java.util.ArrayList<>();

  public AccountSupervisor(String accountId, Owner owner, AccountStatus storedStatus, FleetContext ctx) {
    this(accountId, owner, storedStatus, null, ctx);
  }

  /**
   * @param phoneLastSeenAt the account's stored {@code phoneLastSeenAt}, or null (never seen: the
   *     phone-offline clock starts with this supervisor)
   */
  public AccountSupervisor(String accountId, Owner owner, AccountStatus storedStatus, Instant phoneLastSeenAt,
      FleetContext ctx) {
    this.accountId = Objects.requireNonNull(accountId, "accountId == null");
    this.owner = Objects.requireNonNull(owner, "owner == null");
    this.status = Objects.requireNonNull(storedStatus, "storedStatus == null");
    this.ctx = Objects.requireNonNull(ctx, "ctx == null");
    this.serial = new SerialExecutor(ctx.pool(), "account-" + accountId);
    this.statusSince = ctx.clock().instant();
    this.inbound = newInboundWriter();
    this.reconnects = new ReconnectWindow(ctx.config().loopRetries(), ctx.config().loopWindow());
    this.incidents = new AccountIncidents(ctx.incidents(), accountId);
    this.activity = new ActivityTimestamps(ctx.config().activityWriteEvery(), ctx.clock(), ctx.scheduler(), serial,
        this::writeActivity);
    this.phoneSeenAt = phoneLastSeenAt != null ? phoneLastSeenAt : ctx.clock().instant();
    this.pairingCodes = new PairingCodes(accountId, serial, this::writeFields, attempts::liveClient);
  }

  private InboundWriter newInboundWriter() {
    return new InboundWriter(accountId, owner, ctx.outbox().messages(), ctx.outbox().store(),
        ctx.scheduler(), serial, ctx.config().backoff(), ctx.clock());
  }

  /** Restores the session and connects (or starts a registration when none is stored). */
  public void start() {
    serial.execute(() -> connect(AccountStatus.CONNECTING));
  }

  /** Operator stop (desired=STOPPED): closes the socket, keeps the session, writes STOPPED. */
  public CompletableFuture<Void> stop() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    serial.execute(() -> {
      try {
        halt("stopped by operator");
        write(AccountStatus.STOPPED, b -> b.qr(null).nextRetryAt(null));
        landed().whenComplete((ignored, error) -> done.complete(null));
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    return done;
  }

  /** Process shutdown: closes the socket quietly and writes nothing; the next owner continues. */
  public CompletableFuture<Void> shutdown() {
    return onSerial(() -> halt("shutdown"));
  }

  /**
   * API LOGOUT: unlinks the device through WhatsApp; the logout that follows drops the session and,
   * unless {@code forDeletion}, registers a new device so a QR is ready. With {@code forDeletion} the
   * supervisor halts once the session is deleted and the returned future completes then. A deletion
   * with no open connection first connects with the stored paired session (an attempt under way, or
   * a new one when none runs and the supervisor is not halted) and unlinks once it opens; when no
   * connection opens within the connect timeout, or there is no paired session to connect with, the
   * session is deleted without unlinking. The future's value is true when the unlink request went to
   * WhatsApp over an open connection (the phone no longer lists the device), false otherwise.
   */
  public CompletableFuture<Boolean> logout(boolean forDeletion) {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    if (forDeletion) {
      deleting = true;
    }
    serial.execute(() -> {
      if (halted && !forDeletion) {
        done.complete(false);
        return;
      }
      if (forDeletion) {
        deletion = done;
      }
      WaClient client = attempts.liveClient();
      if (client != null && client.state() == io.wafleet.client.ConnectionState.OPEN
          && auth != null && auth.credentials().isPaired()) {
        if (sendLogout(client)) {
          if (!forDeletion) {
            done.complete(true);
          }
          return;
        }
      } else if (forDeletion && !halted) {
        // Armed first, so it is in place before any event of the connection; idle once finished.
        ctx.scheduler().schedule(ctx.config().connectTimeout(), () -> serial.execute(this::onUnlinkDeadline));
        if (connectToUnlink()) {
          return;
        }
      }
      WaClient ended = attempts.end();
      if (ended != null) {
        ended.close();
      }
      if (forDeletion) {
        finishDeletion();
      } else {
        onLoggedOut(CloseReason.LOGGED_OUT, LOGOUT_REQUESTED);
        done.complete(false);
      }
    });
    return done;
  }

  /** A waiting account (QR refs ran out, or a retry is scheduled) connects now. */
  public void reconnectNow() {
    serial.execute(() -> {
      if (!halted && !attempts.isLive()) {
        connect(status == AccountStatus.LOGGED_OUT ? AccountStatus.LOGGED_OUT : AccountStatus.CONNECTING);
      }
    });
  }

  /**
   * API PAIRING_CODE: a code for {@code phone} on the registration socket, written to the account
   * ({@link PairingCodes}); a waiting registration connects now.
   */
  public void requestPairingCode(String phone) {
    serial.execute(() -> {
      if (halted) {
        return;
      }
      if (auth != null && auth.credentials().isPaired()) {
        writeFields(b -> b.lastError(PairingCodes.ALREADY_PAIRED));
        return;
      }
      pairingCodes.request(phone);
      if (!attempts.isLive()) {
        connect(status == AccountStatus.LOGGED_OUT ? AccountStatus.LOGGED_OUT : AccountStatus.CONNECTING);
      }
    });
  }

  public String accountId() {
    return accountId;
  }

  /** The status last written (or being written); for the status page. */
  public AccountStatus status() {
    return status;
  }

  /** The ownership this supervisor runs under (claim generation). */
  public Owner owner() {
    return owner;
  }

  /** When {@link #status()} last changed in this supervisor (its start, for the first status). */
  public Instant statusSince() {
    return statusSince;
  }

  /** True once this account's deletion began ({@link #logout} for deletion): it must never be given up unowned. */
  public boolean isDeleting() {
    return deleting;
  }

  /** True once the supervisor stopped for good (operator stop, shutdown, lost ownership, 440). */
  public boolean isHalted() {
    return halted;
  }

  // ---- on the serial executor ----

  private void connect(AccountStatus connectingStatus) {
    if (halted) {
      return;
    }
    attempts.cancelRetry();
    if (status != connectingStatus) {
      write(connectingStatus, b -> b.nextRetryAt(null));
      if (halted) {
        return;
      }
    }
    if (auth == null && !restoreSession()) {
      return;
    }
    int attempt = attempts.next();
    pairingCodes.onNewAttempt();
    WaClient client = ctx.clients().create(auth, listenerFor(attempt));
    attempts.begin(client, ctx.scheduler().schedule(ctx.config().connectTimeout(),
        () -> serial.execute(() -> onConnectTimeout(attempt))));
    log.info("connect attempt account={} attempt={} paired={}", accountId, attempt, auth.credentials().isPaired());
    client.connect();
  }

  /** Loads the stored session into {@link #auth}; false when the attempt ended (retry scheduled). */
  private boolean restoreSession() {
    Optional<FirestoreAuthState> restored;
    try {
      restored = FirestoreAuthState.restore(ctx.sessions(), accountId, owner, this::onFenced);
    } catch (SessionUnavailableException e) {
      CloseReason reason = e.kind() == SessionUnavailableException.Kind.STORE_UNREACHABLE
          ? CloseReason.SESSION_STORE_UNAVAILABLE : CloseReason.SESSION_UNREADABLE;
      log.warn("session restore failed account={} cause={} detail={}", accountId, reason.code(), e.getMessage());
      retryLater(reason, reason.code());
      return false;
    }
    if (restored.isEmpty()) {
      log.info("no stored session account={}: registering a new device", accountId);
      auth = fresh();
      return true;
    }
    List<String> missing = SessionCompleteness.missingForLogin(restored.get().credentials());
    boolean paired = restored.get().credentials().isPaired();
    if (paired && !missing.isEmpty()) {
      String detail = CloseReason.SESSION_INCOMPLETE.code() + ": missing " + String.join(",", missing);
      log.warn("stored session incomplete account={} missing={}: offering a QR, keeping the old session",
          accountId, missing);
      write(status, b -> b.lastError(detail));
      auth = fresh();
      return !halted;
    }
    auth = restored.get();
    return true;
  }

  private void onEvent(int attempt, WaEvent event) {
    if (halted || attempt != attempts.current()) {
      return;
    }
    if (deletion != null) {
      onEventWhileDeleting(event);
      return;
    }
    if (event instanceof QrCodeUpdated qr) {
      attempts.cancelTimeout();
      AccountStatus next = status == AccountStatus.LOGGED_OUT ? AccountStatus.LOGGED_OUT : AccountStatus.NEEDS_QR;
      write(next, b -> b.qr(new QrCode(qr.qr(), qr.expiresAt())));
      pairingCodes.onQrShown(attempts.client());
    } else if (event instanceof PairingCodeFailed failed) {
      pairingCodes.onFailed(failed);
    } else if (event instanceof PairSuccess paired) {
      log.info("paired account={} device={}", accountId, paired.deviceJid().masked());
      qrFallback = false;
      restoredTimeouts = 0;
      write(AccountStatus.CONNECTING, b -> b.qr(null).lastError(null).pairingCode(null)
          .pairingCodeExpiresAt(null));
      incidents.resolve(IncidentType.LOGGED_OUT, "paired again");
      onPhoneSeen(); // the phone just scanned the QR
    } else if (event instanceof Connected) {
      attempts.cancelTimeout();
      attempts.resetFailures();
      restoredTimeouts = 0;
      write(AccountStatus.CONNECTED, b -> b.qr(null).lastError(null).reconnectAttempts(0).nextRetryAt(null)
          .connectedAt(ctx.clock().instant()).lastEventAt(ctx.clock().instant()));
      if (status == AccountStatus.CONNECTED && !halted) {
        ctx.outbox().attach(accountId, owner, attempts.client(), serial);
        schedulePhoneCheck();
        if (loopIncidentMayBeOpen) {
          // Connected again: a reconnect loop (opened here or by an earlier owner) is over.
          incidents.resolve(IncidentType.RECONNECT_LOOP, "connected");
          loopIncidentMayBeOpen = false;
        }
      }
    } else if (event instanceof Disconnected gone) {
      attempts.end();
      onClosed(CloseReason.of(gone.reason(), gone.rawCode()), gone.rawCode(), gone.detail());
    } else if (event instanceof MessageReceived received) {
      inbound.onMessage(attempts.client(), received);
      if (received.message().fromMe() && received.message().sender().deviceId() == 0) {
        onPhoneSeen(); // a device-sent copy of what the phone itself sent
      } else {
        activity.message(ctx.clock().instant());
      }
    } else if (event instanceof ReceiptReceived receipt) {
      inbound.onReceipt(receipt);
      if (fromOwnPhone(receipt.from())) {
        onPhoneSeen();
      } else {
        activity.event(ctx.clock().instant());
      }
    } else if (event instanceof LoggedOut out) {
      attempts.end();
      onLoggedOut(CloseReason.of(out.reason(), out.reason().code()), out.detail());
    }
  }

  private void onClosed(CloseReason reason, int rawCode, String detail) {
    String code = reason.codeFor(rawCode);
    boolean pairing = status == AccountStatus.NEEDS_QR
        || (status == AccountStatus.LOGGED_OUT && !auth.credentials().isPaired());
    if (pairing && reason == CloseReason.TIMED_OUT && qrFallback) {
      // Nobody scanned the QR offered beside the stored session: not a failure; the stored session
      // (kept) is tried again, as if from the start.
      log.info("qr refs exhausted account={}: trying the stored session again", accountId);
      leaveQrFallback();
      write(AccountStatus.CONNECTING, b -> b.qr(null).lastError(CloseReason.QR_REFS_EXHAUSTED.code())
          .nextRetryAt(null));
      connect(AccountStatus.CONNECTING);
      return;
    }
    if (pairing && reason == CloseReason.TIMED_OUT) {
      // Nobody scanned: not a failure. No retry counted; the account waits until asked.
      log.info("qr refs exhausted account={}: waiting for a reconnect request", accountId);
      write(status, b -> b.qr(null).lastError(CloseReason.QR_REFS_EXHAUSTED.code()).nextRetryAt(null)
          .pairingCode(null).pairingCodeExpiresAt(null));
      return;
    }
    log.info("connection ended account={} cause={} action={} detail={}", accountId, code, reason.action(), detail);
    if (reason == CloseReason.RESTART_REQUIRED) {
      if (reconnects.record(ctx.clock().instant())) {
        hardReset(code);
        return;
      }
      write(AccountStatus.CONNECTING, b -> b.lastDisconnectReason(code).reconnectAt(ctx.clock().instant()));
      connect(AccountStatus.CONNECTING);
    } else if (reason.action() == OperatorAction.RETRY) {
      retryLater(reason, code);
    } else {
      halt("cause=" + code);
      write(AccountStatus.DISCONNECTED, b -> b.lastError(code).lastDisconnectReason(code)
          .lastDisconnectAt(ctx.clock().instant()).nextRetryAt(null).qr(null));
      if (reason == CloseReason.CONNECTION_REPLACED) {
        rereadOwnership();
      }
    }
  }

  /**
   * Being deleted: only the connection matters. Once it opens the device is unlinked; however it
   * ends (the logout's own close, or a failure), the deletion finishes. Messages are not stored.
   */
  private void onEventWhileDeleting(WaEvent event) {
    if (event instanceof Connected) {
      attempts.cancelTimeout();
      if (!sendLogout(attempts.client())) {
        attempts.end().close();
        finishDeletion();
      }
    } else if (event instanceof Disconnected || event instanceof LoggedOut) {
      attempts.end();
      finishDeletion();
    }
  }

  /** Sends WhatsApp the unlink request on an open connection; false when it could not be sent. */
  private boolean sendLogout(WaClient client) {
    try {
      client.logout();
      unlinkSent = true;
      log.info("unlinking the device through WhatsApp account={}", accountId);
      return true;
    } catch (RuntimeException e) {
      log.info("logout without an open connection account={} detail={}", accountId, e.getMessage());
      return false;
    }
  }

  /**
   * A deletion with no open connection: keeps an attempt under way with the paired session, or
   * connects once with the stored one, to unlink the device when it opens (connect timer off: the
   * deletion's own deadline ends it). False when there is no paired session to connect with.
   */
  private boolean connectToUnlink() {
    attempts.cancelRetry();
    if (attempts.isLive()) {
      return auth != null && auth.credentials().isPaired();
    }
    Optional<FirestoreAuthState> stored;
    try {
      stored = FirestoreAuthState.restore(ctx.sessions(), accountId, owner, this::onFenced);
    } catch (SessionUnavailableException e) {
      log.warn("session restore for the unlink failed account={} detail={}", accountId, e.getMessage());
      return false;
    }
    if (stored.isEmpty() || !stored.get().credentials().isPaired()
        || !SessionCompleteness.missingForLogin(stored.get().credentials()).isEmpty()) {
      log.info("no paired session to unlink the device with account={}", accountId);
      return false;
    }
    auth = stored.get();
    int attempt = attempts.next();
    WaClient client = ctx.clients().create(auth, listenerFor(attempt));
    attempts.begin(client, null);
    log.info("connecting to unlink the device account={} attempt={}", accountId, attempt);
    client.connect();
    return true;
  }

  /** The connect timeout of a deletion's unlink: no connection opened, so the deletion goes on without. */
  private void onUnlinkDeadline() {
    if (deletion == null || deletion.isDone() || unlinkSent) {
      return;
    }
    if (halted) {
      // Ownership lost meanwhile: the new owner finishes; nothing here may delete anything.
      deletion.complete(false);
      return;
    }
    log.warn("no connection within {} to unlink the device account={}", ctx.config().connectTimeout(), accountId);
    WaClient ended = attempts.end();
    if (ended != null) {
      ended.close();
    }
    finishDeletion();
  }

  /** The end of a deletion, with or without the unlink: halts and deletes the session. */
  private void finishDeletion() {
    if (deletion.isDone()) {
      return;
    }
    halt("account deleted");
    try {
      ctx.sessions().deleteAll(accountId);
    } catch (StoreException e) {
      log.warn("could not delete the session of a deleted account account={} error={}", accountId, e.toString());
    }
    deletion.complete(unlinkSent);
  }

  private void onLoggedOut(CloseReason reason, String detail) {
    log.warn("logged out account={} cause={} action={} detail={}", accountId, reason.code(), reason.action(), detail);
    Instant loggedOutAt = ctx.clock().instant();
    write(AccountStatus.LOGGED_OUT, b -> b.lastError(reason.code()).lastDisconnectReason(reason.code())
        .lastDisconnectAt(loggedOutAt).connectedAt(null).nextRetryAt(null).qr(null));
    if (halted) {
      return;
    }
    if (!LOGOUT_REQUESTED.equals(detail)) {
      incidents.open(IncidentType.LOGGED_OUT, "cause=" + reason.code() + " action=" + reason.action().name()
          .toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ": a fresh QR is on the account", loggedOutAt);
    }
    qrFallback = false;
    restoredTimeouts = 0;
    try {
      // Dead credentials: drop them and their keys, so the new device starts clean (owner checked above).
      ctx.sessions().deleteAll(accountId);
    } catch (StoreException e) {
      log.warn("could not delete the dead session account={} error={}", accountId, e.toString());
    }
    auth = fresh();
    connect(AccountStatus.LOGGED_OUT);
  }

  private void onConnectTimeout(int attempt) {
    // The timer hands over to the serial executor: when it fires while this attempt's Connected (or
    // QR) waits in the queue ahead of it, that event has disarmed it by now. Without this check a
    // restore of 1,000 accounts on a slow store closed 887 healthy connections as timed out.
    if (halted || attempt != attempts.current() || !attempts.isLive() || !attempts.timeoutArmed()) {
      return;
    }
    if (deletion != null) {
      onUnlinkDeadline();
      return;
    }
    log.warn("connect timed out account={} attempt={} timeout={}", accountId, attempt, ctx.config().connectTimeout());
    attempts.end().close();
    if (qrFallback) {
      // Not even a QR came: the next attempt tries the stored session again.
      leaveQrFallback();
    } else if (auth != null && auth.credentials().isPaired()
        && ++restoredTimeouts >= ctx.config().timeoutsBeforeQr()) {
      log.warn("restored session timed out {} times in a row account={}: offering a QR, keeping the stored session",
          restoredTimeouts, accountId);
      qrFallback = true;
      auth = fresh();
    }
    retryLater(CloseReason.TIMED_OUT, CloseReason.TIMED_OUT.code());
  }

  /** Back to the stored session: the next attempt restores it from Firestore. */
  private void leaveQrFallback() {
    qrFallback = false;
    restoredTimeouts = 0;
    auth = null;
  }

  private void retryLater(CloseReason reason, String code) {
    if (reconnects.record(ctx.clock().instant())) {
      hardReset(code);
      return;
    }
    int failures = attempts.countFailure();
    Duration delay = ctx.config().backoff().delay(failures);
    Instant retryAt = ctx.clock().instant().plus(delay);
    write(AccountStatus.DISCONNECTED, b -> b.lastError(code).lastDisconnectReason(code)
        .reconnectAt(ctx.clock().instant()).reconnectAttempts(failures).nextRetryAt(retryAt));
    if (halted) {
      return;
    }
    log.info("reconnect scheduled account={} delay={} attempt={} cause={}", accountId, delay, failures, code);
    attempts.scheduleRetry(ctx.scheduler().schedule(delay,
        () -> serial.execute(() -> connect(AccountStatus.CONNECTING))));
  }

  /**
   * A reconnect loop ({@code loopRetries} reconnects within {@code loopWindow}): opens the
   * {@code reconnect-loop} incident and resets this account's supervision as a new supervisor would
   * start it (socket closed, session and keys re-read from Firestore, inbound writer, backoff and
   * loop count new), after one pause of the longest backoff step. The process and the other
   * accounts are not touched.
   */
  private void hardReset(String code) {
    Instant now = ctx.clock().instant();
    int count = reconnects.count();
    log.warn("reconnect loop account={} reconnects={} window={} cause={}: hard reset of the supervisor", accountId,
        count, ctx.config().loopWindow(), code);
    incidents.open(IncidentType.RECONNECT_LOOP, count + " reconnects within " + ctx.config().loopWindow().toMinutes()
        + " min; last cause=" + code, now);
    loopIncidentMayBeOpen = true;
    WaClient client = attempts.end();
    if (client != null) {
      client.close();
    }
    attempts.cancelRetry();
    attempts.resetFailures();
    reconnects.clear();
    ctx.outbox().detach(accountId, serial);
    inbound.stop();
    inbound = newInboundWriter();
    auth = null;
    qrFallback = false;
    restoredTimeouts = 0;
    Duration pause = ctx.config().backoff().delay(Integer.MAX_VALUE);
    Instant retryAt = now.plus(pause);
    write(AccountStatus.DISCONNECTED, b -> b.lastError(code).lastDisconnectReason(code).reconnectAt(now)
        .reconnectAttempts(0).nextRetryAt(retryAt));
    if (halted) {
      return;
    }
    attempts.scheduleRetry(ctx.scheduler().schedule(pause,
        () -> serial.execute(() -> connect(AccountStatus.CONNECTING))));
  }

  private void onFenced(FencingException e) {
    serial.execute(() -> {
      if (!halted) {
        log.warn("ownership lost account={} cause={} detail={}", accountId, CloseReason.OWNERSHIP_LOST.code(),
            e.getMessage());
        halt("cause=" + CloseReason.OWNERSHIP_LOST.code());
      }
    });
  }

  private void rereadOwnership() {
    try {
      Owner current = ctx.accounts().load(accountId).map(Account::owner).orElse(null);
      log.warn("connection replaced account={} owner={} thisOwner={}: not reconnecting", accountId,
          current == null ? "nobody" : current.instanceId() + "@" + current.generation(), owner.instanceId());
    } catch (StoreException e) {
      log.warn("could not re-read ownership account={} error={}", accountId, e.toString());
    }
  }

  /** The phone (main device) of this account was active: tracked, written (coalesced), warning ended. */
  private void onPhoneSeen() {
    Instant now = ctx.clock().instant();
    phoneSeenAt = now;
    activity.phoneSeen(now);
    if (phoneIncidentMayBeOpen) {
      incidents.resolve(IncidentType.PHONE_OFFLINE, "phone seen");
      phoneIncidentMayBeOpen = false;
    }
  }

  private boolean fromOwnPhone(io.wafleet.client.model.Jid from) {
    if (auth == null || from.deviceId() != 0) {
      return false;
    }
    io.wafleet.client.model.Jid me = auth.credentials().me();
    io.wafleet.client.model.Jid lid = auth.credentials().lid();
    return (me != null && me.user().equals(from.user())) || (lid != null && lid.user().equals(from.user()));
  }

  private void schedulePhoneCheck() {
    if (phoneCheck == null && !halted) {
      phoneCheck = ctx.scheduler().schedule(PHONE_CHECK_EVERY, () -> serial.execute(this::checkPhone));
    }
  }

  /**
   * Hourly while connected: a phone unseen for {@code phoneOfflineWarnAfter} opens the
   * {@code phone-offline} incident (WhatsApp logs a companion out after about 14 days without it).
   */
  private void checkPhone() {
    phoneCheck = null;
    if (halted) {
      return;
    }
    Instant warnAt = phoneSeenAt.plus(ctx.config().phoneOfflineWarnAfter());
    if (!ctx.clock().instant().isBefore(warnAt)) {
      log.warn("phone offline account={} lastSeen={}", accountId, phoneSeenAt);
      if (incidents.open(IncidentType.PHONE_OFFLINE, "phone last seen " + phoneSeenAt
          + "; WhatsApp logs this device out about 14 days after that", warnAt)) {
        phoneIncidentMayBeOpen = true;
      }
    }
    if (status == AccountStatus.CONNECTED) {
      schedulePhoneCheck();
    }
  }

  /** One coalesced activity write (owner-fenced; a refusal halts). */
  private void writeActivity(ActivityTimestamps.Activity a) {
    if (halted) {
      return;
    }
    try {
      ctx.writes().updateAsOwner(accountId, owner, acc -> {
        Account.Builder b = acc.toBuilder();
        if (a.lastEventAt() != null) {
          b.lastEventAt(a.lastEventAt());
        }
        if (a.lastMessageAt() != null) {
          b.lastMessageAt(a.lastMessageAt());
        }
        if (a.phoneLastSeenAt() != null) {
          b.phoneLastSeenAt(a.phoneLastSeenAt());
        }
        return b.build();
      });
    } catch (FencingException e) {
      log.warn("ownership lost account={} cause={} detail={}", accountId, CloseReason.OWNERSHIP_LOST.code(),
          e.getMessage());
      halt("cause=" + CloseReason.OWNERSHIP_LOST.code());
    } catch (StoreException e) {
      log.warn("activity write failed account={} error={}", accountId, e.toString());
    }
  }

  /** Closes the socket at once and stops all timers; the supervisor does nothing more. */
  private void halt(String why) {
    halted = true;
    activity.stop();
    if (rewrite != null) {
      rewrite.cancel();
      rewrite = null;
    }
    if (phoneCheck != null) {
      phoneCheck.cancel();
      phoneCheck = null;
    }
    inbound.stop();
    ctx.outbox().detach(accountId, serial);
    attempts.cancelRetry();
    WaClient client = attempts.end();
    log.info("supervisor halted account={} why={}", accountId, why);
    if (client != null) {
      client.close();
    }
  }

  /** Writes a status move with its fields through the owner-fenced update; a refusal halts. */
  private void write(AccountStatus next, UnaryOperator<Account.Builder> fields) {
    StatusTransitions.require(status, next);
    AccountStatus previous = status;
    status = next;
    if (previous != next) {
      statusSince = ctx.clock().instant();
      log.info("account status account={} from={} to={}", accountId, previous, next);
    }
    if (previous == AccountStatus.CONNECTED && next != AccountStatus.CONNECTED) {
      ctx.outbox().detach(accountId, serial);
    }
    persist(next, fields);
  }

  /**
   * Stores {@code next} with {@code fields}, after the fields of earlier writes that failed or
   * waited. Returns at once: the outcome comes back on the serial executor ({@link #onWritten}), so
   * no worker waits for the store while the account's events queue behind it.
   */
  private void persist(AccountStatus next, UnaryOperator<Account.Builder> fields) {
    UnaryOperator<Account.Builder> carried = unwritten;
    UnaryOperator<Account.Builder> all = carried == null ? fields : b -> fields.apply(carried.apply(b));
    statusWritten = false;
    if (writeInFlight) {
      unwritten = all;
      return;
    }
    unwritten = null;
    writeInFlight = true;
    ctx.writes().submit(accountId, owner, a -> all.apply(a.toBuilder().status(next)).build())
        .whenComplete((written, error) -> serial.execute(() -> onWritten(next, all, error)));
  }

  /** On the serial executor: the outcome of a status write {@link #persist} made. */
  private void onWritten(AccountStatus next, UnaryOperator<Account.Builder> all, Throwable error) {
    writeInFlight = false;
    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause() : error;
    if (cause == null) {
      rewriteFailures = 0;
      if (unwritten != null) {
        persist(status, UnaryOperator.identity());
      }
    } else if (cause instanceof FencingException e) {
      unwritten = null;
      log.warn("ownership lost account={} cause={} detail={}", accountId, CloseReason.OWNERSHIP_LOST.code(),
          e.getMessage());
      halt("cause=" + CloseReason.OWNERSHIP_LOST.code());
    } else {
      // Kept in memory, before the moves made meanwhile, and written again after a backoff step (or
      // by the next move, whichever comes first). The socket is not at fault.
      UnaryOperator<Account.Builder> later = unwritten;
      unwritten = later == null ? all : b -> later.apply(all.apply(b));
      log.warn("status write failed account={} status={} error={}", accountId, next, cause.toString());
      scheduleRewrite();
    }
    if (!writeInFlight) {
      statusWritten = unwritten == null;
      landingWaiters.forEach(w -> w.complete(null));
      landingWaiters.clear();
    }
  }

  /** On the serial executor: completes once no status write is under way (landed or failed). */
  private CompletableFuture<Void> landed() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (writeInFlight) {
      landingWaiters.add(done);
    } else {
      done.complete(null);
    }
    return done;
  }

  /** True when every status move of this supervisor is in the store (none under way, none failed). */
  public boolean isStatusWritten() {
    return statusWritten;
  }

  private void scheduleRewrite() {
    if (rewrite != null || halted) {
      return;
    }
    rewriteFailures++;
    rewrite = ctx.scheduler().schedule(ctx.config().backoff().delay(rewriteFailures), () -> serial.execute(() -> {
      rewrite = null;
      if (!halted && unwritten != null) {
        persist(status, UnaryOperator.identity());
      }
    }));
  }

  /** Writes account fields without a status move (pairing codes), owner-fenced; a refusal halts. */
  private void writeFields(UnaryOperator<Account.Builder> fields) {
    try {
      ctx.writes().updateAsOwner(accountId, owner, a -> fields.apply(a.toBuilder()).build());
    } catch (FencingException e) {
      log.warn("ownership lost account={} cause={} detail={}", accountId, CloseReason.OWNERSHIP_LOST.code(),
          e.getMessage());
      halt("cause=" + CloseReason.OWNERSHIP_LOST.code());
    } catch (StoreException e) {
      log.warn("account write failed account={} error={}", accountId, e.toString());
    }
  }

  private FirestoreAuthState fresh() {
    return FirestoreAuthState.fresh(ctx.sessions(), accountId, owner, this::onFenced, ctx.random());
  }

  private WaListener listenerFor(int attempt) {
    return event -> serial.execute(() -> onEvent(attempt, event));
  }

  private CompletableFuture<Void> onSerial(Runnable task) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    serial.execute(() -> {
      try {
        task.run();
        done.complete(null);
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    return done;
  }
}
