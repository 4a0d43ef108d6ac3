package io.wafleet.connector.fleet;

import java.time.Duration;

/**
 * Runs a task after a delay (connect timeouts, reconnect backoff). Injected so tests move time by
 * hand. Tasks must be quick: they hand work to the account's own executor. Implementations are
 * thread-safe.
 */
public interface Scheduler {

  /** Runs {@code task} once after {@code delay}, unless cancelled first. */
  Cancellable schedule(Duration delay, Runnable task);

  /** A scheduled task. */
  interface Cancellable {
    /** Stops the task if it has not started; harmless after it ran. */
    void cancel();
  }
}
