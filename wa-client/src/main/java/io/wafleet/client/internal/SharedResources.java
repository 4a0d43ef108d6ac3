package io.wafleet.client.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * The process-wide defaults that every client built without its own okhttp client, executor or
 * scheduler shares. All their threads are daemon threads, so they never keep a JVM alive, and
 * each is created on first use only.
 *
 * <ul>
 *   <li>{@link #okHttpClient()}: a dispatcher without okhttp's limits of 64 calls (5 per host):
 *       a WebSocket holds its call, and its socket-reader thread, for its whole life, so those
 *       limits would stall the 65th account. Socket-reader threads ({@code wa-socket-N}) end a
 *       few seconds after their socket; idle pooled connections are kept for at most a second
 *       (a WhatsApp WebSocket is never reused anyway).</li>
 *   <li>{@link #executor()}: the workers ({@code wa-worker-N}, one per core) that run every
 *       connection's inbound steps and listener calls, each connection strictly in order through
 *       its own {@link SerialExecutor}s.</li>
 *   <li>{@link #scheduler()}: one timer thread ({@code wa-timer}) for all connections; a timer
 *       only hands its task to the connection's inbound executor.</li>
 * </ul>
 */
public final class SharedResources {

  /** How long an idle socket-reader thread of the default dispatcher waits for new work. */
  static final long SOCKET_THREAD_KEEP_ALIVE_SECONDS = 2;

  private SharedResources() {
  }

  public static OkHttpClient okHttpClient() {
    return HttpHolder.CLIENT;
  }

  public static ExecutorService executor() {
    return ExecutorHolder.EXECUTOR;
  }

  public static ScheduledExecutorService scheduler() {
    return SchedulerHolder.SCHEDULER;
  }

  static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger sequence = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + sequence.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  private static final class HttpHolder {
    static final OkHttpClient CLIENT = build();

    private static OkHttpClient build() {
      ThreadPoolExecutor socketThreads = new ThreadPoolExecutor(0, Integer.MAX_VALUE,
          SOCKET_THREAD_KEEP_ALIVE_SECONDS, TimeUnit.SECONDS, new SynchronousQueue<>(),
          daemonThreads("wa-socket-"));
      Dispatcher dispatcher = new Dispatcher(socketThreads);
      dispatcher.setMaxRequests(Integer.MAX_VALUE);
      dispatcher.setMaxRequestsPerHost(Integer.MAX_VALUE);
      return new OkHttpClient.Builder()
          .dispatcher(dispatcher)
          .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS))
          .build();
    }
  }

  private static final class ExecutorHolder {
    static final ExecutorService EXECUTOR = Executors.newFixedThreadPool(
        Runtime.getRuntime().availableProcessors(), daemonThreads("wa-worker-"));
  }

  private static final class SchedulerHolder {
    static final ScheduledExecutorService SCHEDULER = build();

    private static ScheduledExecutorService build() {
      ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
          runnable -> {
            Thread thread = new Thread(runnable, "wa-timer");
            thread.setDaemon(true);
            return thread;
          });
      // Cancelled keepalive and deadline timers would otherwise stay queued until they are due.
      scheduler.setRemoveOnCancelPolicy(true);
      return scheduler;
    }
  }
}
