package io.wafleet.client.internal;

import io.wafleet.client.WaListener;
import io.wafleet.client.event.WaEvent;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to the listener, in order, on one dedicated thread per connection. A listener
 * exception is logged and swallowed. Thread-safe.
 */
final class EventSink implements EventEmitter {

  private static final Logger log = LoggerFactory.getLogger(EventSink.class);

  private final WaListener listener;
  private final ExecutorService thread;

  EventSink(WaListener listener, String name) {
    this.listener = listener;
    this.thread = Executors.newSingleThreadExecutor(r -> daemon(r, "wa-events-" + name));
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
    return thread.awaitTermination(millis, TimeUnit.MILLISECONDS);
  }

  private void deliver(WaEvent event) {
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      log.warn("listener threw type={} error={}", event.getClass().getSimpleName(), e.toString());
    }
  }

  static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }
}
