package io.wafleet.client.internal;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: at most one task of this
 * serial executor runs at any moment, and each task sees everything the previous one did (the
 * hand-over goes through this object's lock). After {@link #shutdown()} it refuses new tasks,
 * finishes the queued ones and then counts as terminated. Thread-safe; the lock is never held
 * while a task runs or while the shared executor is called.
 */
final class SerialExecutor implements Executor {

  private final Executor shared;
  private final Queue<Runnable> queue = new ArrayDeque<>();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private boolean running;
  private boolean shutdown;

  SerialExecutor(Executor shared) {
    this.shared = shared;
  }

  /** @throws RejectedExecutionException after {@link #shutdown()} */
  @Override
  public void execute(Runnable task) {
    boolean start;
    synchronized (this) {
      if (shutdown) {
        throw new RejectedExecutionException("serial executor shut down");
      }
      queue.add(task);
      start = !running;
      running = true;
    }
    if (start) {
      schedule();
    }
  }

  /** Accepts no more tasks; the queued ones still run. */
  void shutdown() {
    boolean idle;
    synchronized (this) {
      shutdown = true;
      idle = !running;
    }
    if (idle) {
      terminated.countDown();
    }
  }

  boolean awaitTermination(long millis) throws InterruptedException {
    return terminated.await(millis, TimeUnit.MILLISECONDS);
  }

  private void schedule() {
    try {
      shared.execute(this::drain);
    } catch (RejectedExecutionException e) {
      // The caller's executor was shut down under us: nothing can run any more.
      synchronized (this) {
        queue.clear();
        running = false;
        shutdown = true;
      }
      terminated.countDown();
      throw e;
    }
  }

  /** Runs one task, then hands the rest back to the shared executor so workers stay fair. */
  private void drain() {
    Runnable task;
    synchronized (this) {
      task = queue.poll();
    }
    try {
      if (task != null) {
        task.run();
      }
    } finally {
      boolean more;
      boolean done;
      synchronized (this) {
        more = !queue.isEmpty();
        running = more;
        done = !more && shutdown;
      }
      if (done) {
        terminated.countDown();
      } else if (more) {
        schedule();
      }
    }
  }
}
