package io.wafleet.client.internal;

import io.wafleet.client.model.DisconnectReason;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's single inbound thread: every protocol step runs here, in submission order. A
 * step that throws closes the connection with BAD_SESSION. Tasks submitted after close are
 * dropped. Thread-safe.
 */
final class InboundThread implements Executor {

  private static final Logger log = LoggerFactory.getLogger(InboundThread.class);

  private final ExecutorService thread;
  private final ConnectionLifecycle lifecycle;

  InboundThread(String name, ConnectionLifecycle lifecycle) {
    this.thread = Executors.newSingleThreadExecutor(r -> EventSink.daemon(r, "wa-inbound-" + name));
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
    return thread.awaitTermination(millis, TimeUnit.MILLISECONDS);
  }
}
