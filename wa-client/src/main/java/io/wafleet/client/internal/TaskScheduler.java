package io.wafleet.client.internal;

import java.time.Duration;

/**
 * Runs a task later on the connection's inbound thread. The seam through which tests drive
 * timeouts without waiting.
 */
public interface TaskScheduler {

  /** A handle that cancels the task if it has not started. */
  interface Cancellable {
    void cancel();
  }

  Cancellable schedule(Runnable task, Duration delay);
}
