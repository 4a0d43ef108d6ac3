package io.wafleet.connector.fleet;

import com.google.cloud.firestore.ListenerRegistration;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountCommand;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.DesiredState;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.StoreException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts, as the owner, on what the API writes to an owned account (docs/architecture.md, "API
 * commands"): {@code desired=STOPPED} closes the socket and keeps the session, back to
 * {@code ACTIVE} resumes, {@code DELETED} logs the device out, deletes the session and then the
 * account ({@link AccountDeletions}); the one-shot {@code command} is cleared (owner-fenced) and then carried out:
 * RECONNECT connects a waiting account now, LOGOUT unlinks the device and offers a fresh QR, and
 * PAIRING_CODE has the registration socket request a code for {@code pairingPhone} and write it to the
 * account ({@link PairingCodes}).
 *
 * <p>An account owned under this id without a supervisor here (an earlier process under the same id
 * owned it) is left alone; if it is being deleted, the claim loop takes the deletion over once
 * allowed ({@link Fleet#adoptDeletions}).
 *
 * <p>Threads: Firestore's listener thread only hands the owned accounts to this watcher's own thread.
 */
public final class CommandWatcher implements AutoCloseable {

  /** lastError for a PAIRING_CODE command without a {@code pairingPhone}. */
  public static final String PAIRING_CODE_NO_PHONE = "pairing-code-no-phone";

  private static final Logger log = LoggerFactory.getLogger(CommandWatcher.class);

  private final Fleet fleet;
  private final AccountStore accounts;
  private final AccountDeletions deletions;
  private final String instanceId;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "commands");
    t.setDaemon(true);
    return t;
  });
  private volatile ListenerRegistration registration;

  public CommandWatcher(Fleet fleet, AccountStore accounts, AccountDeletions deletions, String instanceId) {
    this.fleet = Objects.requireNonNull(fleet, "fleet == null");
    this.accounts = Objects.requireNonNull(accounts, "accounts == null");
    this.deletions = Objects.requireNonNull(deletions, "deletions == null");
    this.instanceId = Objects.requireNonNull(instanceId, "instanceId == null");
  }

  public void start() {
    registration = accounts.listenOwnedBy(instanceId, owned -> {
      try {
        thread.execute(() -> owned.forEach(this::apply));
      } catch (RejectedExecutionException e) {
        // closing
      }
    }, e -> log.warn("owned-accounts listener error={}", e.toString()));
  }

  @Override
  public void close() {
    ListenerRegistration r = registration;
    if (r != null) {
      r.remove();
    }
    thread.shutdownNow();
  }

  private void apply(Account account) {
    AccountSupervisor supervisor = fleet.supervisor(account.id());
    if (supervisor == null || !supervisor.owner().equals(account.owner())) {
      return;
    }
    try {
      if (account.desired() == DesiredState.DELETED) {
        deletions.finish(supervisor);
      } else if (account.desired() == DesiredState.STOPPED) {
        if (!supervisor.isHalted()) {
          log.info("desired STOPPED account={}: closing the socket, keeping the session", account.id());
          supervisor.stop();
        }
      } else if (supervisor.isHalted() && supervisor.status() == AccountStatus.STOPPED
          && account.status() == AccountStatus.STOPPED) {
        log.info("desired ACTIVE again account={}: resuming", account.id());
        fleet.resume(account, supervisor.owner());
      } else if (account.command() != null) {
        command(account, supervisor, account.command());
      }
    } catch (StoreException e) {
      log.warn("command handling failed account={} error={}", account.id(), e.toString());
    }
  }

  private void command(Account account, AccountSupervisor supervisor, AccountCommand command) {
    boolean noPhone = command.kind() == AccountCommand.Kind.PAIRING_CODE && account.pairingPhone() == null;
    // Cleared first, so a repeated snapshot never runs it twice; a newer command is left alone.
    accounts.updateAsOwner(account.id(), supervisor.owner(), a -> {
      if (!command.equals(a.command())) {
        return a;
      }
      Account.Builder b = a.toBuilder().command(null);
      return (noPhone ? b.lastError(PAIRING_CODE_NO_PHONE) : b).build();
    });
    log.info("command account={} kind={}", account.id(), command.kind());
    switch (command.kind()) {
      case RECONNECT -> supervisor.reconnectNow();
      case LOGOUT -> supervisor.logout(false);
      case PAIRING_CODE -> {
        if (!noPhone) {
          supervisor.requestPairingCode(account.pairingPhone());
        }
      }
    }
  }
}
