package io.wafleet.client.internal;

import io.wafleet.client.model.DisconnectReason;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's inbound executor (its "inbound thread"): every protocol step runs here, one at
 * a time and in submission order, on a worker of the shared executor (a {@link SerialExecutor}),
 * so a step never overlaps another step of the same connection. A step that throws closes the
 * connection with BAD_SESSION. Tasks submitted after close are dropped. Thread-safe.
 */
final class InboundThread implements Executor {

  private static final Logger log = LoggerFactory.getLogger(InboundThread.class);

  private final SerialExecutor thread;
  private final ConnectionLifecycle lifecycle;

  InboundThread(Executor shared, ConnectionLifecycle lifecycle) {
    this.thread = new SerialExecutor(shared);
    this.lifecycle = lifecycle;
  }

  /** {@link #submit}, ignoring whether the task was queued. */
  @Override
  public void execute(Runnable task) {
    submit(task);
  }

  /** Queues {@code task}; false once the thread is shut down. */
  boolean submit(Runnable task) {
    try {
      thread.execute(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          log.warn("connection task failed error={}", e.toString(), e);
          lifecycle.terminate(DisconnectReason.BAD_SESSION, DisconnectReason.BAD_SESSION.code(),
              "internal error: " + e);
        }
      });
      return true;
    } catch (RejectedExecutionException e) {
      log.trace("task after close ignored");
      return false;
    }
  }

  /** Lets queued tasks finish and accepts no more. */
  void shutdown() {
    thread.shutdown();
  }

  boolean awaitTermination(long millis) throws InterruptedException {
    return thread.awaitTermination(millis);
  }
}
