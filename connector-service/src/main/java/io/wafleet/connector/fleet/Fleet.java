package io.wafleet.connector.fleet;

import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.DesiredState;
import io.wafleet.common.model.Lease;
import io.wafleet.common.model.Owner;
import io.wafleet.common.store.ClaimResult;
import io.wafleet.common.store.LeaseStore;
import io.wafleet.common.store.StoreException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounts this instance holds: claims active accounts that have no live owner and runs one
 * {@link AccountSupervisor} per claimed account. Boot restore claims in id order, {@code claimBatch}
 * accounts per claim transaction ({@link LeaseStore#claimBatch}, which reads this instance's lease
 * once per batch and outside the transaction, so the lease renewal is never starved), with at most
 * {@code claimParallelism} transactions in flight and no per-account stagger; each supervisor then
 * connects on its own. Thread-safe.
 */
public final class Fleet {

  private static final Logger log = LoggerFactory.getLogger(Fleet.class);
  /** Accounts per claim transaction unless configured. */
  public static final int DEFAULT_CLAIM_BATCH = 25;

  private final FleetContext ctx;
  private final LeaseStore leases;
  private final String instanceId;
  private final int claimParallelism;
  private final int claimBatch;
  /** Single claims of a failed batch run at once, at most this many. */
  private static final int SINGLE_CLAIMS_AT_ONCE = 8;
  private final Map<String, AccountSupervisor> supervisors = new ConcurrentHashMap<>();
  private final Map<String, String> maskedPhones = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong claimTransactions = new java.util.concurrent.atomic.AtomicLong();
  private volatile boolean closed;

  /** With {@link #DEFAULT_CLAIM_BATCH} accounts per claim transaction. */
  public Fleet(FleetContext ctx, LeaseStore leases, String instanceId, int claimParallelism) {
    this(ctx, leases, instanceId, claimParallelism, DEFAULT_CLAIM_BATCH);
  }

  /**
   * @param claimParallelism claim transactions in flight at once
   * @param claimBatch accounts per claim transaction, 1 to {@link LeaseStore#MAX_BATCH}
   */
  public Fleet(FleetContext ctx, LeaseStore leases, String instanceId, int claimParallelism, int claimBatch) {
    this.ctx = Objects.requireNonNull(ctx, "ctx == null");
    this.leases = Objects.requireNonNull(leases, "leases == null");
    this.instanceId = Objects.requireNonNull(instanceId, "instanceId == null");
    if (claimParallelism < 1) {
      throw new IllegalArgumentException("claimParallelism < 1");
    }
    if (claimBatch < 1 || claimBatch > LeaseStore.MAX_BATCH) {
      throw new IllegalArgumentException("claimBatch not in 1.." + LeaseStore.MAX_BATCH);
    }
    this.claimParallelism = claimParallelism;
    this.claimBatch = claimBatch;
  }

  /**
   * Claims and starts every active account without a live owner; returns how many this call started.
   * Call it with this instance's lease live (a claim needs it).
   */
  public int restoreActive() throws InterruptedException {
    return claimActive(ctx.accounts().listDesired(DesiredState.ACTIVE), Integer.MAX_VALUE, leases.list());
  }

  /**
   * Claims and starts, in id order, the accounts of {@code active} this instance does not run yet,
   * until it holds {@code limit} accounts; returns how many this call started. Accounts owned by a
   * live peer are refused by the claim itself. Call it with this instance's lease live.
   */
  public int claimActive(List<Account> active, int limit) throws InterruptedException {
    return claimActive(active, limit, leases.list());
  }

  /**
   * As {@link #claimActive(List, int)}, with the instance leases as just read: only accounts that
   * the claim's own predicate ({@link LeaseStore#claimRefusal}) lets this instance take on that
   * snapshot get a transaction, so an account with a live owner costs no transaction (and no
   * contention with its owner's writes). The transaction still decides.
   */
  public int claimActive(List<Account> active, int limit, List<Lease> leaseSnapshot) throws InterruptedException {
    if (closed) {
      return 0;
    }
    Map<String, Lease> byId = new java.util.HashMap<>();
    leaseSnapshot.forEach(l -> byId.put(l.instanceId(), l));
    Lease mine = byId.get(instanceId);
    Instant now = ctx.clock().instant();
    if (mine == null || !mine.isLiveAt(now, java.time.Duration.ZERO)) {
      log.warn("claim pass skipped instance={}: this instance's lease is not live in the snapshot", instanceId);
      return 0;
    }
    List<Account> candidates = active.stream().filter(a -> !supervisors.containsKey(a.id()))
        .filter(a -> LeaseStore.claimRefusal(a.owner(), a.owner() == null ? null : byId.get(a.owner().instanceId()),
            mine, now, leases.skew()) == null)
        .sorted(java.util.Comparator.comparing(Account::id)).toList();
    int room = Math.max(0, limit - supervisors.size());
    if (candidates.isEmpty() || room == 0) {
      return 0;
    }
    ExecutorService claimers = Executors.newFixedThreadPool(claimParallelism, r -> {
      Thread t = new Thread(r, "fleet-claim");
      t.setDaemon(true);
      return t;
    });
    try {
      // At most claimParallelism batches in flight and never more than room successes: a batch
      // takes only as many accounts as room is left counting those in flight, and refused accounts
      // (a live peer holds them) free their room for the next batch, so the free accounts further
      // down the id order are still reached in the same pass.
      java.util.ArrayDeque<Future<Integer>> inFlight = new java.util.ArrayDeque<>();
      java.util.ArrayDeque<Integer> inFlightSizes = new java.util.ArrayDeque<>();
      java.util.Iterator<Account> next = candidates.iterator();
      int started = 0;
      int pending = 0;
      while (next.hasNext() || !inFlight.isEmpty()) {
        int take = Math.min(claimBatch, room - started - pending);
        if (next.hasNext() && inFlight.size() < claimParallelism && take > 0) {
          List<Account> batch = new ArrayList<>(take);
          while (batch.size() < take && next.hasNext()) {
            batch.add(next.next());
          }
          inFlight.add(claimers.submit(() -> claimAndStart(batch)));
          inFlightSizes.add(batch.size());
          pending += batch.size();
          continue;
        }
        if (inFlight.isEmpty()) {
          break;
        }
        pending -= inFlightSizes.poll();
        try {
          started += inFlight.poll().get();
        } catch (java.util.concurrent.ExecutionException e) {
          log.warn("claim batch failed error={}", e.getCause().toString());
        }
      }
      log.info("claim pass done instance={} active={} candidates={} limit={} started={} owned={}", instanceId,
          active.size(), candidates.size(), limit, started, supervisors.size());
      return started;
    } finally {
      claimers.shutdownNow();
    }
  }

  /**
   * Takes over the deletions an owner died before finishing: of {@code deleted} (accounts with
   * desired=DELETED), each one still owned by an instance that the claim's own predicate
   * ({@link LeaseStore#claimRefusal}) lets this instance take over on {@code leaseSnapshot} (its
   * lease ran out, or it was an earlier process under this id and reclaiming is allowed) is claimed
   * for deletion ({@link LeaseStore#claimForDeletion}: a generation bump fences the dead owner) and
   * gets a supervisor here, not started. Returns those supervisors, for {@link AccountDeletions} to
   * finish. No fair-share limit: each account is gone within a connect timeout.
   */
  public List<AccountSupervisor> adoptDeletions(List<Account> deleted, List<Lease> leaseSnapshot) {
    Map<String, Lease> byId = new java.util.HashMap<>();
    leaseSnapshot.forEach(l -> byId.put(l.instanceId(), l));
    Lease mine = byId.get(instanceId);
    Instant now = ctx.clock().instant();
    if (closed || mine == null || !mine.isLiveAt(now, java.time.Duration.ZERO)) {
      return List.of();
    }
    List<AccountSupervisor> adopted = new ArrayList<>();
    for (Account account : deleted) {
      Owner dead = account.owner();
      if (dead == null || supervisors.containsKey(account.id())
          || LeaseStore.claimRefusal(dead, byId.get(dead.instanceId()), mine, now, leases.skew()) != null) {
        continue;
      }
      ClaimResult claim;
      try {
        claimTransactions.incrementAndGet();
        claim = leases.claimForDeletion(account.id(), instanceId);
      } catch (StoreException e) {
        log.warn("claim for deletion failed account={} error={}", account.id(), e.toString());
        continue;
      }
      if (!claim.claimed()) {
        log.debug("not claimed for deletion account={} why={}", account.id(), claim.refusal());
        continue;
      }
      AccountSupervisor supervisor = new AccountSupervisor(account.id(), claim.owner(), account.status(),
          account.phoneLastSeenAt(), ctx);
      supervisors.put(account.id(), supervisor);
      maskedPhones.put(account.id(), account.maskedPhone());
      log.info("deletion taken over account={} from={} generation={}: its owner died before finishing it",
          account.id(), dead.instanceId() + "@" + dead.generation(), claim.owner().generation());
      adopted.add(supervisor);
    }
    return adopted;
  }

  /** This instance's id. */
  public String instanceId() {
    return instanceId;
  }

  /** How many claim transactions this instance has run (each batch of up to {@code claimBatch} candidates costs one). */
  public long claimTransactions() {
    return claimTransactions.get();
  }

  /** How many accounts this instance holds. */
  public int owned() {
    return supervisors.size();
  }

  /** The supervisors by account id; a snapshot. */
  public Map<String, AccountSupervisor> supervisors() {
    return Map.copyOf(supervisors);
  }

  /** The supervisor of an account this instance runs, or null. */
  public AccountSupervisor supervisor(String accountId) {
    return supervisors.get(accountId);
  }

  /**
   * desired back to ACTIVE after a stop: a new supervisor under the same ownership (the account was
   * never given up), which restores the kept session and connects. False when the instance is closing.
   */
  public boolean resume(Account account, Owner owner) {
    if (closed) {
      return false;
    }
    AccountSupervisor supervisor = new AccountSupervisor(account.id(), owner, account.status(),
        account.phoneLastSeenAt(), ctx);
    supervisors.put(account.id(), supervisor);
    log.info("resumed account={} generation={}", account.id(), owner.generation());
    supervisor.start();
    return true;
  }

  /** A deleted account: this instance no longer runs it. */
  public void forget(String accountId) {
    supervisors.remove(accountId);
    maskedPhones.remove(accountId);
  }

  /** The account's phone number, masked, as it was when claimed; for the status page. */
  public String maskedPhone(String accountId) {
    return maskedPhones.getOrDefault(accountId, "");
  }

  /**
   * Shutdown (SIGTERM): claims nothing more, closes every socket and gives every account up
   * ({@code LeaseStore.releaseAccount}) so a peer can claim it at once instead of waiting for this
   * lease to run out. Completes when every account was released or the release failed (logged).
   * An account being deleted stays owned: unowned, nobody would finish its deletion, owned by this
   * released lease a peer takes the deletion over at once ({@link #adoptDeletions}).
   */
  public CompletableFuture<Void> releaseAll(Executor pool) {
    closed = true;
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (AccountSupervisor s : supervisors.values()) {
      if (s.isDeleting()) {
        log.info("shutdown during a deletion account={}: kept owned for a peer to finish", s.accountId());
        done.add(s.shutdown());
        continue;
      }
      done.add(s.shutdown().thenRunAsync(() -> {
        try {
          leases.releaseAccount(s.accountId(), s.owner());
        } catch (StoreException e) {
          log.warn("release failed account={} error={}", s.accountId(), e.toString());
        }
      }, pool));
    }
    supervisors.clear();
    return CompletableFuture.allOf(done.toArray(new CompletableFuture[0]));
  }

  /**
   * The lease is lost: close every socket at once, write nothing (another instance may own the
   * accounts already). Safe to call from any thread.
   */
  public CompletableFuture<Void> onLeaseLost() {
    closed = true;
    log.error("lease lost instance={}: closing {} sockets", instanceId, supervisors.size());
    return shutdownAll();
  }

  /** Closes every socket quietly (process end); completes when every supervisor has stopped. */
  public CompletableFuture<Void> shutdownAll() {
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (AccountSupervisor s : supervisors.values()) {
      done.add(s.shutdown());
    }
    supervisors.clear();
    return CompletableFuture.allOf(done.toArray(new CompletableFuture[0]));
  }

  /** Claims {@code batch} in one transaction and starts a supervisor per account claimed; returns how many. */
  private int claimAndStart(List<Account> batch) {
    if (closed) {
      return 0;
    }
    Map<String, ClaimResult> claims;
    try {
      claimTransactions.incrementAndGet();
      // The supervisor's first move (CONNECTING) rides in the claim's write: one transaction less
      // per account, which on a restore of 1,000 accounts is a third of the Firestore work.
      claims = leases.claimBatch(batch.stream().map(Account::id).toList(), instanceId,
          b -> b.status(AccountStatus.CONNECTING).nextRetryAt(null));
    } catch (StoreException e) {
      if (batch.size() == 1) {
        log.warn("claim failed account={} error={}: the next pass tries again", batch.get(0).id(), e.toString());
        return 0;
      }
      // A batch commits as a whole, so one account whose document stays locked (a transaction a
      // killed process left open) would hold back all the others until the store expires that lock:
      // about a minute on the emulator, seen on a restart right after a kill during a write burst.
      // The single claims run side by side: each locked one waits out its lock timeouts, and in a
      // row they held the unlocked accounts behind them for as long (a restart right after a kill:
      // 13 locked accounts of 25, about 4.5 s each, 60 s before the rest were claimed).
      log.warn("claim batch failed accounts={} first={} error={}: claiming them one by one", batch.size(),
          batch.get(0).id(), e.toString());
      ExecutorService singles = Executors.newFixedThreadPool(Math.min(batch.size(), SINGLE_CLAIMS_AT_ONCE), r -> {
        Thread t = new Thread(r, "fleet-claim-single");
        t.setDaemon(true);
        return t;
      });
      try {
        List<Future<Integer>> claimed = new ArrayList<>(batch.size());
        for (Account account : batch) {
          claimed.add(singles.submit(() -> claimAndStart(List.of(account))));
        }
        int started = 0;
        for (Future<Integer> f : claimed) {
          try {
            started += f.get();
          } catch (java.util.concurrent.ExecutionException failed) {
            log.warn("claim failed error={}: the next pass tries again", failed.getCause().toString());
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return started;
          }
        }
        return started;
      } finally {
        singles.shutdown();
      }
    }
    int started = 0;
    for (Account account : batch) {
      ClaimResult claim = claims.get(account.id());
      if (claim == null || !claim.claimed()) {
        log.debug("not claimed account={} why={}", account.id(), claim == null ? "absent" : claim.refusal());
        continue;
      }
      AccountSupervisor supervisor = new AccountSupervisor(account.id(), claim.owner(), AccountStatus.CONNECTING,
          account.phoneLastSeenAt(), ctx);
      supervisors.put(account.id(), supervisor);
      maskedPhones.put(account.id(), account.maskedPhone());
      log.info("claimed account={} generation={} from={} to={}", account.id(), claim.owner().generation(),
          account.status(), AccountStatus.CONNECTING);
      supervisor.start();
      started++;
    }
    return started;
  }
}
