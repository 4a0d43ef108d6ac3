package io.wafleet.connector.lease;

import com.google.cloud.firestore.ListenerRegistration;
import io.wafleet.common.model.Lease;
import io.wafleet.common.store.LeaseReplacedException;
import io.wafleet.common.store.LeaseStore;
import io.wafleet.common.store.LeaseTakeOver;
import java.security.SecureRandom;
import io.wafleet.connector.fleet.Scheduler;
import io.wafleet.connector.fleet.SerialExecutor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's lease, {@code connectors/{instanceId}}: renewed in a transaction every
 * {@code renewEvery} with a liveness beat (accounts owned, heap in use, version). One document per
 * instance, so ownership costs writes in proportion to instances, not accounts.
 *
 * <p>When renewals fail for so long that the lease would run out before the next one, the lease is
 * declared lost <em>before</em> it expires: {@code onLost} runs once (the fleet closes every socket at
 * once), so no account is ever held by two instances — peers wait until {@code leaseUntil} plus
 * their skew margin before claiming. A renewal that does not fail but does not land either (a
 * Firestore call that hangs or keeps retrying, a starved worker pool) is caught by a deadline armed
 * at every successful renewal for {@code leaseUntil - renewEvery}: it runs on the scheduler's
 * thread, not behind the stuck renewal, and declares the lease lost unless a renewal moved
 * {@code leaseUntil} on meanwhile.
 *
 * <p>Each process holds the lease under its own random {@code incarnation}. A process starting under
 * an instance id that is already leased takes the lease over ({@link LeaseStore#takeOver}); the
 * earlier process, if it still runs, sees the new incarnation (a listener on its lease document, and
 * at its next renewal at the latest) and stops as on a lost lease. The new process may take back
 * the accounts still owned under this id at once when the earlier process is known to be gone (its
 * {@link HostLock} is free), else as soon as that lock comes free, and at the latest when the
 * earlier lease plus skew has run out: {@link #reclaimAllowed()} completes then.
 *
 * <p>Thread-safe. Renewals run on a serial executor over the given pool; the scheduler only hands
 * them over.
 */
public final class InstanceLease implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(InstanceLease.class);
  /** How often a process waiting for an earlier one on this host checks its lock. */
  private static final Duration LOCK_POLL = Duration.ofMillis(100);

  private final LeaseStore leases;
  private final LeaseConfig config;
  private final Scheduler scheduler;
  private final SerialExecutor serial;
  private final Clock clock;
  private final IntSupplier accountsOwned;
  private final Runnable onLost;
  private volatile Instant leaseUntil = Instant.MIN;
  private volatile boolean ended;
  private Scheduler.Cancellable next;
  private Scheduler.Cancellable deadline;
  private final java.util.concurrent.atomic.AtomicBoolean lost = new java.util.concurrent.atomic.AtomicBoolean();
  private final String incarnation;
  private final HostLock hostLock;
  private final CompletableFuture<Void> reclaim = new CompletableFuture<>();
  private volatile ListenerRegistration listener;

  /** A lease with a random incarnation and no host lock (tests that run instances in one JVM). */
  public InstanceLease(LeaseStore leases, LeaseConfig config, Scheduler scheduler, Executor pool, Clock clock,
      IntSupplier accountsOwned, Runnable onLost) {
    this(leases, config, scheduler, pool, clock, accountsOwned, onLost, newIncarnation(), HostLock.none());
  }

  /**
   * @param incarnation this process's random id, written into the lease
   * @param hostLock the lock telling whether an earlier process under this id still runs on this host
   */
  public InstanceLease(LeaseStore leases, LeaseConfig config, Scheduler scheduler, Executor pool, Clock clock,
      IntSupplier accountsOwned, Runnable onLost, String incarnation, HostLock hostLock) {
    this.incarnation = Objects.requireNonNull(incarnation, "incarnation == null");
    this.hostLock = Objects.requireNonNull(hostLock, "hostLock == null");
    this.leases = Objects.requireNonNull(leases, "leases == null");
    this.config = Objects.requireNonNull(config, "config == null");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler == null");
    this.serial = new SerialExecutor(Objects.requireNonNull(pool, "pool == null"), "lease");
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.accountsOwned = Objects.requireNonNull(accountsOwned, "accountsOwned == null");
    this.onLost = Objects.requireNonNull(onLost, "onLost == null");
  }

  /**
   * Takes (or extends) the lease now, on the caller's thread, and schedules the renewals.
   *
   * @throws io.wafleet.common.store.StoreException if Firestore cannot be written: do not start
   */
  public Lease acquire() {
    boolean lockHeld = hostLock.tryAcquire();
    Runtime runtime = Runtime.getRuntime();
    LeaseTakeOver taken = leases.takeOver(config.instanceId(), incarnation, hostLock.holder(), lockHeld,
        config.ttl(), config.version(), accountsOwned.getAsInt(), runtime.totalMemory() - runtime.freeMemory());
    Lease lease = taken.lease();
    leaseUntil = lease.leaseUntil();
    armDeadline();
    Lease previous = taken.previous();
    log.info("lease acquired instance={} incarnation={} until={} generation={} replaced={} reclaim_after={}",
        config.instanceId(), incarnation, lease.leaseUntil(), lease.generation(),
        previous == null ? "none" : previous.incarnation(), lease.reclaimAfter());
    listener = leases.listen(config.instanceId(), doc -> serial.execute(() -> onLeaseDocument(doc)),
        e -> log.warn("lease listener error instance={} error={}", config.instanceId(), e.toString()));
    if (taken.reclaimAtOnce()) {
      reclaim.complete(null);
    } else {
      awaitReclaim(lease.reclaimAfter(), previous != null && previous.holder().equals(hostLock.holder()));
    }
    scheduleNext();
    return lease;
  }

  /** This process's incarnation, as written into the lease. */
  public String incarnation() {
    return incarnation;
  }

  /**
   * Completes when accounts still owned under this id by an earlier process may be claimed: at once,
   * when the earlier process's host lock came free, or when its lease plus skew ran out.
   */
  public CompletableFuture<Void> reclaimAllowed() {
    return reclaim;
  }

  /** True while this instance may hold sockets: renewed, not lost, not released. */
  public boolean isLive() {
    return !ended && clock.instant().isBefore(leaseUntil);
  }

  public Instant leaseUntil() {
    return leaseUntil;
  }

  /** Stops renewing and deletes the lease so peers may adopt the accounts at once (shutdown). */
  public void release() {
    boolean wasLost = lost.get();
    ended = true;
    cancelTimers();
    removeListener();
    if (!wasLost) {
      leases.release(config.instanceId(), incarnation);
    }
    hostLock.close();
    log.info("lease released instance={}", config.instanceId());
  }

  /**
   * Stops renewing and listening without touching the stored lease, as if the process had died
   * (in-process tests and embeddings; a process ends instead). The lease runs out by itself.
   */
  @Override
  public void close() {
    ended = true;
    cancelTimers();
    removeListener();
  }

  /** Waits for the earlier process's host lock (when it was on this host) or for {@code reclaimAfter}. */
  private void awaitReclaim(Instant reclaimAfter, boolean earlierOnThisHost) {
    if (ended || reclaim.isDone()) {
      return;
    }
    try {
      if (earlierOnThisHost && hostLock.tryAcquire()) {
        if (leases.allowReclaim(config.instanceId(), incarnation)) {
          log.info("earlier process under instance={} is gone (its lock came free): reclaiming its accounts",
              config.instanceId());
          reclaim.complete(null);
        }
        return;
      }
    } catch (RuntimeException e) {
      log.warn("reclaim check failed instance={} error={}: retrying", config.instanceId(), e.toString());
    }
    Instant now = clock.instant();
    if (!now.isBefore(reclaimAfter)) {
      reclaim.complete(null);
      return;
    }
    Duration untilDeadline = Duration.between(now, reclaimAfter);
    Duration wait = earlierOnThisHost && LOCK_POLL.compareTo(untilDeadline) < 0 ? LOCK_POLL : untilDeadline;
    scheduler.schedule(wait, () -> serial.execute(() -> awaitReclaim(reclaimAfter, earlierOnThisHost)));
  }

  /** On the serial executor: another incarnation in the lease means a new process took this id over. */
  private void onLeaseDocument(Optional<Lease> doc) {
    if (!ended && doc.isPresent() && !doc.get().incarnation().equals(incarnation)) {
      declareReplaced(doc.get().incarnation());
    }
  }

  /**
   * A new process took this instance id over. The lease listener or a renewal may see it first
   * (whichever Firestore answers first); both say it the same way.
   */
  private void declareReplaced(String by) {
    declareLost("replaced by a new process under the same instance id (incarnation " + by + ")");
  }

  private void removeListener() {
    ListenerRegistration r = listener;
    if (r != null) {
      r.remove();
    }
  }

  /** A random incarnation for a new process. */
  public static String newIncarnation() {
    byte[] bytes = new byte[8];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private void renew() {
    if (ended) {
      return;
    }
    try {
      beat();
    } catch (LeaseReplacedException e) {
      declareReplaced(e.replacedBy());
      return;
    } catch (RuntimeException e) {
      Instant now = clock.instant();
      if (!now.plus(config.renewEvery()).isBefore(leaseUntil)) {
        declareLost(e.toString());
        return;
      }
      log.warn("lease renewal failed instance={} until={} error={}: retrying", config.instanceId(), leaseUntil,
          e.toString());
    }
    scheduleNext();
  }

  private Lease beat() {
    Runtime runtime = Runtime.getRuntime();
    long began = System.nanoTime();
    Lease lease = leases.renew(config.instanceId(), incarnation, config.ttl(), config.version(),
        accountsOwned.getAsInt(), runtime.totalMemory() - runtime.freeMemory());
    long tookMs = (System.nanoTime() - began) / 1_000_000;
    if (tookMs * 2 > config.renewEvery().toMillis()) {
      // Half the period gone in one renewal: Firestore (or this process) is slow enough to matter.
      log.warn("lease renewal slow instance={} took_ms={} until={}", config.instanceId(), tookMs, lease.leaseUntil());
    }
    leaseUntil = lease.leaseUntil();
    armDeadline();
    return lease;
  }

  /** After a successful renewal: the moment by which the next one must have landed. */
  private synchronized void armDeadline() {
    if (ended) {
      return;
    }
    if (deadline != null) {
      deadline.cancel();
    }
    Duration left = Duration.between(clock.instant(), leaseUntil.minus(config.renewEvery()));
    deadline = scheduler.schedule(left.isNegative() ? Duration.ZERO : left, this::onDeadline);
  }

  /** On the scheduler's thread: no renewal landed in time (a newer one would have re-armed it). */
  private void onDeadline() {
    if (ended || clock.instant().plus(config.renewEvery()).isBefore(leaseUntil)) {
      return;
    }
    declareLost("no renewal landed before " + leaseUntil.minus(config.renewEvery()));
  }

  private void declareLost(String why) {
    if (!lost.compareAndSet(false, true)) {
      return;
    }
    ended = true;
    cancelTimers();
    removeListener();
    log.error("lease lost instance={} until={} error={}: closing every socket", config.instanceId(), leaseUntil,
        why);
    onLost.run();
  }

  private synchronized void cancelTimers() {
    if (next != null) {
      next.cancel();
    }
    if (deadline != null) {
      deadline.cancel();
    }
  }

  private synchronized void scheduleNext() {
    if (!ended) {
      next = scheduler.schedule(config.renewEvery(), () -> serial.execute(this::renew));
    }
  }
}
