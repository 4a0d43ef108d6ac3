package io.wafleet.connector.fleet;

import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.LeaseStore;
import io.wafleet.common.store.StoreException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes the deletion of an account this instance owns, the one place that does, whether the
 * API asked this instance as the owner ({@link CommandWatcher}) or this instance took the deletion
 * over from an owner that died before finishing it ({@link Fleet#adoptDeletions}): the supervisor
 * unlinks the device through WhatsApp if a connection opens and deletes the session
 * ({@link AccountSupervisor#logout}); then the account is given up and deleted. A device that could
 * not be unlinked is logged: the phone may still list it. Each account is finished once at a time.
 *
 * <p>Threads: {@link #finish} returns at once; the store calls run on this class's own thread.
 */
public final class AccountDeletions implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AccountDeletions.class);

  private final Fleet fleet;
  private final AccountStore accounts;
  private final LeaseStore leases;
  private final Set<String> deleting = ConcurrentHashMap.newKeySet();
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "deletions");
    t.setDaemon(true);
    return t;
  });

  public AccountDeletions(Fleet fleet, AccountStore accounts, LeaseStore leases) {
    this.fleet = Objects.requireNonNull(fleet, "fleet == null");
    this.accounts = Objects.requireNonNull(accounts, "accounts == null");
    this.leases = Objects.requireNonNull(leases, "leases == null");
  }

  /** Finishes the deletion of the account {@code supervisor} runs; a call while one is under way does nothing. */
  public void finish(AccountSupervisor supervisor) {
    String id = supervisor.accountId();
    if (!deleting.add(id)) {
      return;
    }
    log.info("desired DELETED account={} generation={}: logging the device out, then deleting", id,
        supervisor.owner().generation());
    try {
      supervisor.logout(true).whenCompleteAsync((unlinked, error) -> afterLogout(supervisor, unlinked), thread);
    } catch (RejectedExecutionException e) {
      deleting.remove(id); // closing: the next owner finishes it
    }
  }

  private void afterLogout(AccountSupervisor supervisor, Boolean unlinked) {
    String id = supervisor.accountId();
    try {
      leases.releaseAccount(id, supervisor.owner());
      boolean gone = accounts.deleteIfStillMarked(id);
      log.info("account deleted account={} gone={} unlinked={}", id, gone, Boolean.TRUE.equals(unlinked));
      if (gone && !Boolean.TRUE.equals(unlinked)) {
        log.warn("device not unlinked account={}: no connection to unlink it with (no paired session, or none"
            + " opened within the connect timeout); the phone may still list it under Linked devices: remove it"
            + " there", id);
      }
    } catch (StoreException e) {
      log.warn("finishing a deletion failed account={} error={}", id, e.toString());
    } finally {
      fleet.forget(id);
      deleting.remove(id);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
