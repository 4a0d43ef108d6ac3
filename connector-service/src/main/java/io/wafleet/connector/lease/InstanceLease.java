package io.wafleet.connector.lease;

import io.wafleet.common.model.Lease;
import io.wafleet.common.store.LeaseStore;
import io.wafleet.connector.fleet.Scheduler;
import io.wafleet.connector.fleet.SerialExecutor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
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
 * <p>Thread-safe. Renewals run on a serial executor over the given pool; the scheduler only hands
 * them over.
 */
public final class InstanceLease {

  private static final Logger log = LoggerFactory.getLogger(InstanceLease.class);

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

  public InstanceLease(LeaseStore leases, LeaseConfig config, Scheduler scheduler, Executor pool, Clock clock,
      IntSupplier accountsOwned, Runnable onLost) {
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
    Lease lease = beat();
    log.info("lease acquired instance={} until={} generation={}", config.instanceId(), lease.leaseUntil(),
        lease.generation());
    scheduleNext();
    return lease;
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
    ended = true;
    cancelTimers();
    leases.release(config.instanceId());
    log.info("lease released instance={}", config.instanceId());
  }

  private void renew() {
    if (ended) {
      return;
    }
    try {
      beat();
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
    Lease lease = leases.renew(config.instanceId(), config.ttl(), config.version(), accountsOwned.getAsInt(),
        runtime.totalMemory() - runtime.freeMemory());
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
