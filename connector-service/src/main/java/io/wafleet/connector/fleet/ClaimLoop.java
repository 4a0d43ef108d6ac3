package io.wafleet.connector.fleet;

import com.google.cloud.firestore.ListenerRegistration;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.DesiredState;
import io.wafleet.common.model.Lease;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.LeaseStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims accounts while the instance runs: a snapshot listener on active accounts (an account created
 * through the API gets a supervisor, hence a QR) plus a pass every {@code every} (a dead peer's
 * accounts, once its lease has run out). Each pass claims up to this instance's fair share:
 * {@code ceil(active / live instances) + slack}, never more than {@code maxAccounts}. Each pass also
 * takes over the deletions whose owner died before finishing them (a second listener, on deleted
 * accounts; {@link Fleet#adoptDeletions}) and has {@link AccountDeletions} finish them.
 *
 * <p>Threads: Firestore's listener thread only stores the latest list and wakes the loop; every pass
 * runs on the loop's own thread, one at a time, and requests arriving during a pass coalesce into one.
 */
public final class ClaimLoop implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ClaimLoop.class);

  private final Fleet fleet;
  private final AccountDeletions deletions;
  private final AccountStore accounts;
  private final LeaseStore leases;
  private final Scheduler scheduler;
  private final Clock clock;
  private final Duration every;
  private final int maxAccounts;
  private final int slack;
  private final ExecutorService loop = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "claim-loop");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean passQueued = new AtomicBoolean();
  private volatile List<Account> latest;
  private volatile List<Account> latestDeleted;
  private volatile boolean closed;
  private volatile ListenerRegistration registration;
  private volatile ListenerRegistration deletedRegistration;

  public ClaimLoop(Fleet fleet, AccountDeletions deletions, AccountStore accounts, LeaseStore leases,
      Scheduler scheduler, Clock clock, Duration every, int maxAccounts, int slack) {
    this.fleet = Objects.requireNonNull(fleet, "fleet == null");
    this.deletions = Objects.requireNonNull(deletions, "deletions == null");
    this.accounts = Objects.requireNonNull(accounts, "accounts == null");
    this.leases = Objects.requireNonNull(leases, "leases == null");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.every = Objects.requireNonNull(every, "every == null");
    if (maxAccounts < 1 || slack < 0) {
      throw new IllegalArgumentException("maxAccounts < 1 or slack < 0");
    }
    this.maxAccounts = maxAccounts;
    this.slack = slack;
  }

  /** The most accounts one instance should hold with {@code active} accounts over {@code liveInstances}. */
  public static int fairShare(int active, int liveInstances, int slack, int maxAccounts) {
    int instances = Math.max(1, liveInstances);
    long share = instances == 1 ? maxAccounts : (long) Math.ceil((double) active / instances) + slack;
    return (int) Math.min(share, maxAccounts);
  }

  /**
   * The instances sharing the accounts: this one plus every peer whose lease is live by the claims'
   * own rule (its {@code leaseUntil} plus the skew margin). A peer just past its {@code leaseUntil}
   * still counts: its accounts cannot be claimed yet, so this instance's share must not grow yet.
   */
  static int liveInstances(List<Lease> leases, String self, Instant now, Duration skew) {
    java.util.Set<String> live = new java.util.HashSet<>();
    live.add(self);
    leases.stream().filter(l -> l.isLiveAt(now, skew)).forEach(l -> live.add(l.instanceId()));
    return live.size();
  }

  /** Starts listening and the periodic pass; a snapshot with an unowned active account triggers a pass at once. */
  public void start() {
    registration = accounts.listen(DesiredState.ACTIVE, list -> {
      latest = list;
      // Only an account nobody owns (new, or given up) is claimable at once; one whose owner died
      // waits for that lease to run out, which the periodic pass sees. Every status write of every
      // account fires this listener: a pass (and its lease read) for each would be a store read per
      // write, thousands during a restore.
      if (list.stream().anyMatch(a -> a.owner() == null)) {
        requestPass();
      }
    }, e -> log.warn("account listener error={}", e.toString()));
    deletedRegistration = accounts.listen(DesiredState.DELETED, list -> {
      latestDeleted = list;
      requestPass();
    }, e -> log.warn("deleted-account listener error={}", e.toString()));
    schedulePeriodic();
  }

  /** Stops claiming (shutdown): the listener goes, no pass starts after this returns. */
  @Override
  public void close() {
    closed = true;
    for (ListenerRegistration r : new ListenerRegistration[] {registration, deletedRegistration}) {
      if (r != null) {
        r.remove();
      }
    }
    loop.shutdownNow();
  }

  private void schedulePeriodic() {
    if (!closed) {
      scheduler.schedule(every, () -> {
        requestPass();
        schedulePeriodic();
      });
    }
  }

  /** Asks for a pass now (e.g. accounts an earlier process under this id held may be claimed back). */
  public void wake() {
    requestPass();
  }

  private void requestPass() {
    if (closed || !passQueued.compareAndSet(false, true)) {
      return;
    }
    try {
      loop.execute(this::pass);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      passQueued.set(false);
    }
  }

  private void pass() {
    passQueued.set(false);
    List<Account> active = latest;
    List<Account> deleted = latestDeleted;
    if (closed || (active == null && deleted == null)) {
      return;
    }
    try {
      Instant now = clock.instant();
      List<Lease> snapshot = leases.list();
      if (deleted != null && !deleted.isEmpty()) {
        fleet.adoptDeletions(deleted, snapshot).forEach(deletions::finish);
      }
      if (active != null) {
        int limit = fairShare(active.size(), liveInstances(snapshot, fleet.instanceId(), now, leases.skew()), slack,
            maxAccounts);
        fleet.claimActive(active, limit, snapshot);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("claim pass failed error={}", e.toString());
    }
  }
}
