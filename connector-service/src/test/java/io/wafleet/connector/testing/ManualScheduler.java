package io.wafleet.connector.testing;

import io.wafleet.common.testing.ManualClock;
import io.wafleet.connector.fleet.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link Scheduler} on a {@link ManualClock}: tasks run only when the test moves time past their
 * due instant with {@link #advance}, on the test's thread, in due order. Thread-safe.
 */
public final class ManualScheduler implements Scheduler {

  private record Task(Instant due, long seq, Runnable run) {}

  private final ManualClock clock;
  private final List<Task> tasks = new ArrayList<>();
  private long seq;

  public ManualScheduler(ManualClock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable run) {
    Task task = new Task(clock.instant().plus(delay), seq++, run);
    tasks.add(task);
    return () -> {
      synchronized (ManualScheduler.this) {
        tasks.remove(task);
      }
    };
  }

  /** Moves the clock by {@code step} and runs every task due by then. */
  public void advance(Duration step) {
    Instant target = clock.instant().plus(step);
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.stream().filter(t -> !t.due().isAfter(target))
            .min(Comparator.comparing(Task::due).thenComparingLong(Task::seq)).orElse(null);
        if (next != null) {
          tasks.remove(next);
        }
      }
      if (next == null) {
        break;
      }
      if (next.due().isAfter(clock.instant())) {
        clock.set(next.due());
      }
      next.run().run();
    }
    clock.set(target);
  }

  /** How many waiting tasks are due within {@code horizon} from now. */
  public synchronized int pendingWithin(Duration horizon) {
    Instant limit = clock.instant().plus(horizon);
    return (int) tasks.stream().filter(t -> !t.due().isAfter(limit)).count();
  }

  /** How many tasks wait (timeouts and retries not yet due or cancelled). */
  public synchronized int pending() {
    return tasks.size();
  }
}
