package io.wafleet.connector.fleet;

import io.wafleet.common.model.Account;
import io.wafleet.common.model.Owner;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.AccountStore.OwnerUpdate;
import io.wafleet.common.store.AccountStore.OwnerUpdateOutcome;
import io.wafleet.common.store.StoreException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner's account writes (status moves, activity, pairing fields), grouped: writes that arrive
 * while a commit is under way go together into the next one ({@code AccountStore.updateAllAsOwner}:
 * read, then one batched write with each document's update time as precondition, no transaction
 * and so no lock left behind by a killed process), each still checked against its own account's
 * owner. A restore of 1,000 accounts writes 1,000 {@code CONNECTED} moves within seconds; one
 * transaction each made the store the bottleneck (docs/benchmarks.md, the restore path).
 *
 * <p>Threads: {@link #submit} never blocks: the commits run on the committer (at most
 * {@code concurrentCommits} at once, each taking up to {@code maxPerCommit} of the writes queued so
 * far), and each write's future completes there, so a caller hands the outcome to its own executor.
 * Callers that waited for their commit held a worker each: at 1,000 accounts the 32 workers all
 * waited, the groups stayed small and the {@code CONNECTED} moves queued behind them. The lock
 * guards only the queue; no Firestore call is made while holding it. A change may run on another
 * thread and more than once (a lost race reads again): it must depend only on the account and the
 * values it captured.
 */
public final class AccountWrites {

  private static final Logger log = LoggerFactory.getLogger(AccountWrites.class);
  /** Writes per commit: far below Firestore's 500 writes per transaction, and a bounded retry cost. */
  public static final int DEFAULT_MAX_PER_COMMIT = 50;
  /** Commits under way at once: a commit stuck on a locked document does not hold every other write back. */
  public static final int DEFAULT_CONCURRENT_COMMITS = 2;

  private final AccountStore store;
  private final int maxPerCommit;
  private final int concurrentCommits;
  private final Executor committer;
  private final Object lock = new Object();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private int committing;
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong writes = new AtomicLong();

  /** Default settings; commits on threads of its own ("account-writes", kept only while there is work). */
  public AccountWrites(AccountStore store) {
    this(store, DEFAULT_MAX_PER_COMMIT, DEFAULT_CONCURRENT_COMMITS);
  }

  public AccountWrites(AccountStore store, int maxPerCommit, int concurrentCommits) {
    this(store, maxPerCommit, concurrentCommits, Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "account-writes");
      t.setDaemon(true);
      return t;
    }));
  }

  /** @param committer runs the commits; it must not run them on the submitting thread */
  public AccountWrites(AccountStore store, int maxPerCommit, int concurrentCommits, Executor committer) {
    this.store = Objects.requireNonNull(store, "store == null");
    if (maxPerCommit < 1 || maxPerCommit > AccountStore.MAX_UPDATES_PER_COMMIT) {
      throw new IllegalArgumentException("maxPerCommit must be 1.." + AccountStore.MAX_UPDATES_PER_COMMIT
          + ", got " + maxPerCommit);
    }
    if (concurrentCommits < 1) {
      throw new IllegalArgumentException("concurrentCommits must be >= 1, got " + concurrentCommits);
    }
    this.maxPerCommit = maxPerCommit;
    this.concurrentCommits = concurrentCommits;
    this.committer = Objects.requireNonNull(committer, "committer == null");
  }

  /**
   * Queues an owner write and returns at once. The future completes on the committer with the
   * account as written, or with {@code AccountStore.updateAsOwner}'s exceptions:
   * {@code FencingException}, {@code NotFoundStoreException}, {@code StoreException}
   * ({@code ContentionException} after lost races).
   */
  public CompletableFuture<Account> submit(String accountId, Owner owner, UnaryOperator<Account> change) {
    Pending mine = new Pending(new OwnerUpdate(accountId, owner, change));
    boolean start;
    synchronized (lock) {
      queue.add(mine);
      start = committing < concurrentCommits;
      if (start) {
        committing++;
      }
    }
    if (start) {
      try {
        committer.execute(this::drain);
      } catch (RejectedExecutionException e) {
        synchronized (lock) {
          committing--;
        }
        mine.finish(new OwnerUpdateOutcome(null, new StoreException("account writes are closed", e)));
      }
    }
    return mine.future;
  }

  /** {@link #submit}, waiting for the outcome: {@code AccountStore.updateAsOwner}'s contract. */
  public Account updateAsOwner(String accountId, Owner owner, UnaryOperator<Account> change) {
    try {
      return submit(accountId, owner, change).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** Commits made so far. */
  public long commits() {
    return commits.get();
  }

  /** Writes committed or refused so far. */
  public long writes() {
    return writes.get();
  }

  /** Writes waiting for a commit to take them (tests). */
  int queued() {
    synchronized (lock) {
      return queue.size();
    }
  }

  /** On the committer: commits what is queued, a group at a time, until nothing is left. */
  private void drain() {
    boolean done = false;
    try {
      while (true) {
        List<Pending> batch = new ArrayList<>();
        synchronized (lock) {
          while (batch.size() < maxPerCommit && !queue.isEmpty()) {
            batch.add(queue.poll());
          }
          if (batch.isEmpty()) {
            committing--;
            done = true;
            return;
          }
        }
        commit(batch);
      }
    } finally {
      if (!done) {
        // Only an Error gets here: the slot is given back so later writes still find a committer.
        synchronized (lock) {
          committing--;
        }
      }
    }
  }

  private void commit(List<Pending> batch) {
    writes.addAndGet(batch.size());
    boolean handedOn = false;
    try {
      if (batch.size() == 1) {
        batch.get(0).finish(commitAlone(batch.get(0).update));
        return;
      }
      commits.incrementAndGet();
      List<OwnerUpdateOutcome> outcomes = store.updateAllAsOwner(batch.stream().map(p -> p.update).toList());
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).finish(outcomes.get(i));
      }
    } catch (StoreException e) {
      // One account's document can fail the whole commit (a transaction a killed process left open
      // holds its lock): each write is committed on its own, side by side, so only that account's waits.
      log.warn("grouped account write failed writes={} error={}: writing each on its own", batch.size(), e.toString());
      handedOn = true;
      for (Pending p : batch) {
        try {
          committer.execute(() -> p.finish(commitAlone(p.update)));
        } catch (RejectedExecutionException closed) {
          p.finish(new OwnerUpdateOutcome(null, e));
        }
      }
    } catch (RuntimeException e) {
      for (Pending p : batch) {
        p.finish(new OwnerUpdateOutcome(null, e));
      }
    } finally {
      if (!handedOn) {
        for (Pending p : batch) {
          p.finish(new OwnerUpdateOutcome(null, new StoreException("account write abandoned", null)));
        }
      }
    }
  }

  /** One write in a commit of its own. */
  private OwnerUpdateOutcome commitAlone(OwnerUpdate update) {
    commits.incrementAndGet();
    try {
      return store.updateAllAsOwner(List.of(update)).get(0);
    } catch (RuntimeException e) {
      return new OwnerUpdateOutcome(null, e);
    }
  }

  /** One write and the future its submitter holds. */
  private static final class Pending {
    final OwnerUpdate update;
    final CompletableFuture<Account> future = new CompletableFuture<>();

    Pending(OwnerUpdate update) {
      this.update = update;
    }

    /** Completes the future unless it is complete already. */
    void finish(OwnerUpdateOutcome outcome) {
      if (future.isDone()) {
        return;
      }
      try {
        future.complete(outcome.orThrow());
      } catch (RuntimeException e) {
        future.completeExceptionally(e);
      }
    }
  }
}
