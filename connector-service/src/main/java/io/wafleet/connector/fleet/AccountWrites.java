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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner's account writes (status moves, activity, pairing fields), grouped: writes that arrive
 * while a commit is under way go together into the next one ({@code AccountStore.updateAllAsOwner}:
 * read, then one batched write with each document's update time as precondition, no transaction
 * and so no lock left behind by a killed process), each still checked against its own account's
 * owner. A restore of 1,000 accounts writes 1,000
 * {@code CONNECTED} moves within seconds; one transaction each made the store the bottleneck
 * (docs/benchmarks.md, the restore path).
 *
 * <p>Threads: a caller blocks until its write is committed or refused, as with
 * {@code updateAsOwner}. No thread of its own: a caller that finds fewer than
 * {@code concurrentCommits} commits under way commits on its own thread, taking the writes queued
 * so far; when done it hands the lead to the oldest caller still waiting. The lock guards only the
 * queue; no Firestore call is made while holding it. A change may run on another caller's
 * thread and more than once (a lost race reads again): it must depend only on the account and
 * the values it captured.
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
  private final Object lock = new Object();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private int leaders;
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong writes = new AtomicLong();
  /** The outcome of a write whose grouped commit failed: its caller writes it on its own. */
  private static final OwnerUpdateOutcome RETRY_ALONE =
      new OwnerUpdateOutcome(null, new StoreException("grouped commit failed", null));

  public AccountWrites(AccountStore store) {
    this(store, DEFAULT_MAX_PER_COMMIT, DEFAULT_CONCURRENT_COMMITS);
  }

  public AccountWrites(AccountStore store, int maxPerCommit, int concurrentCommits) {
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
  }

  /**
   * {@code AccountStore.updateAsOwner}'s contract, grouped with concurrent callers' writes: the
   * account as written, or {@code FencingException} / {@code NotFoundStoreException} /
   * {@code StoreException} ({@code ContentionException} after lost races).
   */
  public Account updateAsOwner(String accountId, Owner owner, UnaryOperator<Account> change) {
    Pending mine = new Pending(new OwnerUpdate(accountId, owner, change));
    boolean lead;
    synchronized (lock) {
      lead = leaders < concurrentCommits;
      if (lead) {
        leaders++;
      } else {
        queue.add(mine);
      }
    }
    if (lead || mine.awaitOutcomeOrLead()) {
      leadFrom(mine);
    }
    OwnerUpdateOutcome outcome = mine.outcome();
    if (outcome == RETRY_ALONE) {
      outcome = commitAlone(mine.update);
    }
    return outcome.orThrow();
  }

  /** Commits made so far. */
  public long commits() {
    return commits.get();
  }

  /** Writes committed or refused so far. */
  public long writes() {
    return writes.get();
  }

  /** Callers waiting for a commit to take their write (tests). */
  int queued() {
    synchronized (lock) {
      return queue.size();
    }
  }

  /** Commits {@code head} with what is queued, then hands the lead on (or gives it up when nobody waits). */
  private void leadFrom(Pending head) {
    List<Pending> batch = new ArrayList<>();
    batch.add(head);
    synchronized (lock) {
      while (batch.size() < maxPerCommit && !queue.isEmpty()) {
        batch.add(queue.poll());
      }
    }
    try {
      commit(batch);
    } finally {
      Pending next;
      synchronized (lock) {
        next = queue.poll();
        if (next == null) {
          leaders--;
        }
      }
      if (next != null) {
        next.promote();
      }
    }
  }

  private void commit(List<Pending> batch) {
    writes.addAndGet(batch.size());
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
      // holds its lock): each caller writes its own on its own, so only that account's write waits.
      log.warn("grouped account write failed writes={} error={}: writing each on its own", batch.size(), e.toString());
      for (Pending p : batch) {
        p.finish(RETRY_ALONE);
      }
    } catch (RuntimeException e) {
      for (Pending p : batch) {
        p.finish(new OwnerUpdateOutcome(null, e));
      }
    } finally {
      for (Pending p : batch) {
        p.finish(new OwnerUpdateOutcome(null, new StoreException("account write abandoned", null)));
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

  /** One caller's write; its monitor is held only to wait for and hand over the outcome or the lead. */
  private static final class Pending {
    final OwnerUpdate update;
    private OwnerUpdateOutcome outcome;
    private boolean promoted;

    Pending(OwnerUpdate update) {
      this.update = update;
    }

    /** Sets the outcome unless one is set already. */
    synchronized void finish(OwnerUpdateOutcome o) {
      if (outcome == null) {
        outcome = o;
        notifyAll();
      }
    }

    synchronized void promote() {
      promoted = true;
      notifyAll();
    }

    synchronized OwnerUpdateOutcome outcome() {
      return outcome;
    }

    /**
     * Waits until a commit decided this write (false) or this caller must lead the next commit
     * (true). Not interruptible: a lead handed over must be taken, or the queue would stall; an
     * interrupt is kept for the caller.
     */
    synchronized boolean awaitOutcomeOrLead() {
      boolean interrupted = false;
      while (outcome == null && !promoted) {
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      return outcome == null;
    }
  }
}
