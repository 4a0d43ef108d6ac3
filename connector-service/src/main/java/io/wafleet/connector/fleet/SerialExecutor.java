package io.wafleet.connector.fleet;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one account's tasks one at a time, in submission order, on a pool shared by the fleet, so
 * an account costs no thread of its own. A task that throws is logged and does not stop the queue.
 * Thread-safe; {@link #execute} never blocks and never runs the task on the caller's thread, so a
 * library callback (wa-client's event thread, a Firestore listener) may call it and return at once.
 */
public final class SerialExecutor implements Executor {

  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

  private final Executor pool;
  private final String name;
  private final Queue<Runnable> queue = new ArrayDeque<>();
  private boolean running;

  public SerialExecutor(Executor pool, String name) {
    this.pool = Objects.requireNonNull(pool, "pool == null");
    this.name = Objects.requireNonNull(name, "name == null");
  }

  @Override
  public void execute(Runnable task) {
    Objects.requireNonNull(task, "task == null");
    boolean start;
    synchronized (queue) {
      queue.add(task);
      start = !running;
      running = true;
    }
    if (start) {
      try {
        pool.execute(this::drain);
      } catch (RejectedExecutionException e) {
        // The pool is shutting down with the process: drop the queue, accept later tasks again.
        synchronized (queue) {
          queue.clear();
          running = false;
        }
        log.warn("account task dropped executor={}: pool shut down", name);
      }
    }
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (queue) {
        next = queue.poll();
        if (next == null) {
          running = false;
          return;
        }
      }
      try {
        next.run();
      } catch (RuntimeException e) {
        log.error("account task failed executor={} error={}", name, e.toString(), e);
      }
    }
  }
}
