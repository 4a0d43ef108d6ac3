package io.wafleet.client.internal;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A connection's timers: each fires on the inbound executor. Backed by a scheduler shared with
 * other connections (the injected one, or {@link SharedResources#scheduler()}), never shut down
 * here; {@link #shutdown()} cancels this connection's pending timers. Thread-safe.
 */
final class Timers implements TaskScheduler {

  private final ScheduledExecutorService scheduler;
  private final Executor inbound;
  private final Set<ScheduledFuture<?>> live = ConcurrentHashMap.newKeySet();

  Timers(ScheduledExecutorService shared, Executor inbound) {
    this.scheduler = shared;
    this.inbound = inbound;
  }

  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    ScheduledFuture<?>[] holder = new ScheduledFuture<?>[1];
    try {
      holder[0] = scheduler.schedule(() -> {
        live.remove(holder[0]);
        try {
          inbound.execute(task);
        } catch (RejectedExecutionException e) {
          // the connection closed meanwhile
        }
      }, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return () -> { };
    }
    live.add(holder[0]);
    return () -> {
      live.remove(holder[0]);
      holder[0].cancel(false);
    };
  }

  /** Cancels every pending timer of this connection. */
  void shutdown() {
    for (ScheduledFuture<?> future : live) {
      future.cancel(false);
    }
    live.clear();
  }
}
