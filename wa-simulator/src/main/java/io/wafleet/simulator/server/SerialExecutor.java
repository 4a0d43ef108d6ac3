package io.wafleet.simulator.server;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one connection's tasks one at a time, in submission order, on a shared pool: at most one
 * pool thread works for a connection at any moment, and no thread belongs to a connection. Lock-free
 * (a concurrent queue and one flag), so any thread may submit, including Java-WebSocket's selector
 * and decoder threads, without ever waiting.
 *
 * <p>After {@value #BATCH} tasks the executor yields its pool thread and queues itself again, so one
 * busy connection cannot keep the others waiting.
 */
final class SerialExecutor implements Executor {

  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);
  private static final int BATCH = 64;

  private final Executor pool;
  private final String name;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private volatile Thread runner;

  SerialExecutor(Executor pool, String name) {
    this.pool = pool;
    this.name = name;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    schedule();
  }

  /** True on the pool thread while it runs this executor's tasks. */
  boolean isCurrent() {
    return runner == Thread.currentThread();
  }

  private void schedule() {
    if (!scheduled.compareAndSet(false, true)) {
      return;
    }
    try {
      pool.execute(this::drain);
    } catch (RejectedExecutionException e) {
      // The simulator is stopping: the pool takes no more work, so these tasks never run.
      scheduled.set(false);
      int dropped = tasks.size();
      tasks.clear();
      log.debug("serial executor stopped executor={} droppedTasks={}", name, dropped);
    }
  }

  private void drain() {
    runner = Thread.currentThread();
    try {
      for (int i = 0; i < BATCH; i++) {
        Runnable task = tasks.poll();
        if (task == null) {
          break;
        }
        try {
          task.run();
        } catch (RuntimeException e) {
          log.warn("task failed executor={} error={}", name, e.toString(), e);
        }
      }
    } finally {
      runner = null;
      scheduled.set(false);
      if (!tasks.isEmpty()) {
        schedule();
      }
    }
  }
}
