package io.wafleet.client.internal;

import io.wafleet.client.WaListener;
import io.wafleet.client.event.WaEvent;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to the listener, one at a time and in emission order, on a worker of the shared
 * executor (a {@link SerialExecutor} per connection, separate from the inbound one, so a slow
 * listener never holds up protocol steps of its connection). A listener exception is logged and
 * swallowed. Thread-safe.
 */
final class EventSink implements EventEmitter {

  private static final Logger log = LoggerFactory.getLogger(EventSink.class);

  private final WaListener listener;
  private final SerialExecutor thread;

  EventSink(WaListener listener, Executor shared) {
    this.listener = listener;
    this.thread = new SerialExecutor(shared);
  }

  @Override
  public void emit(WaEvent event) {
    log.debug("event emitted type={}", event.getClass().getSimpleName());
    try {
      thread.execute(() -> deliver(event));
    } catch (RejectedExecutionException e) {
      log.debug("event dropped after close type={}", event.getClass().getSimpleName());
    }
  }

  /** Delivers what is queued, then lets the thread end. */
  void shutdown() {
    thread.shutdown();
  }

  boolean awaitTermination(long millis) throws InterruptedException {
    return thread.awaitTermination(millis);
  }

  private void deliver(WaEvent event) {
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      log.warn("listener threw type={} error={}", event.getClass().getSimpleName(), e.toString());
    }
  }
}
