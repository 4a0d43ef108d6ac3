package io.wafleet.simulator.client;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.wafleet.client.WaListener;
import io.wafleet.client.event.Disconnected;
import io.wafleet.client.event.LoggedOut;
import io.wafleet.client.event.WaEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Records a client's events for tests (okhttp's WebSocketRecorder style). {@link #await} takes
 * events in order and fails on a terminal event of another type. Thread-safe.
 */
final class EventRecorder implements WaListener {

  private final BlockingQueue<WaEvent> events = new LinkedBlockingQueue<>();
  private final List<WaEvent> all = new ArrayList<>();

  @Override
  public void onEvent(WaEvent event) {
    synchronized (all) {
      all.add(event);
    }
    events.add(event);
  }

  /** The next event of that type; earlier non-terminal events are skipped and returned by {@link #skipped}. */
  <T extends WaEvent> T await(Class<T> type, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      WaEvent event = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
      if (event == null) {
        fail("no " + type.getSimpleName() + " within " + timeout.toMillis() + " ms; events so far: "
            + history());
      }
      if (type.isInstance(event)) {
        return type.cast(event);
      }
      if (event instanceof Disconnected || event instanceof LoggedOut) {
        fail("expected " + type.getSimpleName() + " but the connection ended: " + event
            + "; events so far: " + history());
      }
    }
  }

  /** Fails if any event arrives within {@code quiet}. */
  void assertNoMoreEvents(Duration quiet) throws InterruptedException {
    WaEvent event = events.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
    assertNull(event, "unexpected event " + event);
  }

  /** Every event recorded so far, in order. */
  List<WaEvent> history() {
    synchronized (all) {
      return List.copyOf(all);
    }
  }

  /** How many recorded events are of that type. */
  long count(Class<? extends WaEvent> type) {
    return history().stream().filter(type::isInstance).count();
  }
}
