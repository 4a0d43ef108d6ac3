package io.wafleet.simulator.bench;

import io.wafleet.simulator.SimulatorConfig;
import io.wafleet.simulator.WaSimulator;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import io.wafleet.simulator.client.ClientFleet;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./wafleet bench clients [count]}: pairs {@code count} clients (default 1,000) with one
 * in-process simulator, one after the other, then connects them all at once with the default
 * builder (shared okhttp client, executor and scheduler) and measures what the connected
 * accounts cost: live threads, heap after a full GC and the process's RSS, each as the growth
 * from "all paired, none connected" to "all connected" (70 s after the last Connected, once
 * threads started for the burst of handshakes have ended; {@code WAFLEET_BENCH_SETTLE_SECONDS}
 * changes the wait, and okhttp's TaskRunner threads are printed every 10 s meanwhile, so the
 * keepalive's effect on them shows), divided by the count; and the time from
 * the first connect() to the last Connected. The simulator runs in this JVM, so its per-connection
 * state is included in the heap and RSS figures; its threads (named {@code wa-simulator-*} and
 * Java-WebSocket's {@code WebSocket*}; its connection pool grows while all connections are busy at
 * once and idle threads end after 60 s) are counted apart from the clients'. The last line is
 * machine-readable; {@code threads_per_account} counts the client side only.
 */
public final class ClientsBench {

  private static final Duration WAIT = Duration.ofMinutes(2);
  private static final Duration DEFAULT_SETTLE = Duration.ofSeconds(70);
  private static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);
  private static final Duration HANDSHAKE_THREADS_GONE = Duration.ofSeconds(65);

  private ClientsBench() {
  }

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1: " + count);
    }
    Duration settle = settle(System.getenv("WAFLEET_BENCH_SETTLE_SECONDS"));
    try (WaSimulator sim = WaSimulator.start(SimulatorConfig.builder().build())) {
      SimulatorAdminClient admin = new SimulatorAdminClient(sim.adminUri());
      System.out.printf(Locale.ROOT, "pairing %d clients one by one...%n", count);
      try (ClientFleet fleet = ClientFleet.paired(sim, admin, count, "4079", WAIT)) {
        Sample before = Sample.take();
        long start = System.nanoTime();
        fleet.connectAll();
        double connectSeconds = (System.nanoTime() - start) / 1e9;
        Sample burst = Sample.take();
        System.out.printf(Locale.ROOT, "right after the last Connected: %d threads (%.3f per account), by name: %s%n",
            burst.threads, (burst.threads - burst.simulatorThreads - before.threads + before.simulatorThreads)
                / (double) count, threadsByName());
        // okhttp's TaskRunner and the simulator's connection pool start threads while a thousand
        // handshakes run at once and end them after 60 s idle: the steady cost is measured after that.
        // okhttp runs every WebSocket write as a task on its process-wide TaskRunner, whose pool
        // grows while writes are ready at once and ends a thread after 60 s idle: sampled every
        // 5 s during the wait (cheaply, no stack traces), so the keepalive's effect shows; the
        // samples after the first 65 s (the handshakes' threads have ended) are summarized.
        List<Long> steady = new ArrayList<>();
        StringBuilder series = new StringBuilder();
        long settleStart = System.nanoTime();
        for (long waited = 0; waited < settle.toMillis(); ) {
          long step = Math.min(SAMPLE_EVERY.toMillis(), settle.toMillis() - waited);
          Thread.sleep(step);
          waited += step;
          long taskRunner = taskRunnerThreads();
          long at = (System.nanoTime() - settleStart) / 1_000_000_000L;
          series.append(series.length() == 0 ? "" : " ").append(at).append("s=").append(taskRunner);
          if (at >= HANDSHAKE_THREADS_GONE.toSeconds()) {
            steady.add(taskRunner);
          }
        }
        System.out.println("OkHttp TaskRunner threads after the last Connected: " + series);
        Sample after = Sample.take();
        long open = fleet.members().stream()
            .filter(m -> m.client().state() == io.wafleet.client.ConnectionState.OPEN).count();
        if (open != count) {
          throw new IllegalStateException(open + " of " + count + " clients still open after "
              + settle.toSeconds() + " s: the steady figures would not be per connected account");
        }
        double threads = ((after.threads - after.simulatorThreads)
            - (before.threads - before.simulatorThreads)) / (double) count;
        double simulatorThreads = (after.simulatorThreads - before.simulatorThreads) / (double) count;
        double heapKb = (after.heapBytes - before.heapBytes) / 1024.0 / count;
        double rssKb = (after.rssKb - before.rssKb) / (double) count;
        System.out.printf(Locale.ROOT, "connected %d accounts in %.2f s%n", count, connectSeconds);
        System.out.printf(Locale.ROOT, "threads: %d -> %d, of which the in-process simulator's %d -> %d"
            + " (clients: %.3f per account; simulator: %.3f per account)%n", before.threads, after.threads,
            before.simulatorThreads, after.simulatorThreads, threads, simulatorThreads);
        System.out.println("threads by name, " + settle.toSeconds() + " s later, all " + open + " still open: " + threadsByName());
        System.out.printf(Locale.ROOT, "heap after GC: %d KB -> %d KB (%.1f KB per account)%n",
            before.heapBytes / 1024, after.heapBytes / 1024, heapKb);
        System.out.printf(Locale.ROOT, "RSS: %d KB -> %d KB (%.1f KB per account)%n",
            before.rssKb, after.rssKb, rssKb);
        Collections.sort(steady);
        long steadyMedian = steady.isEmpty() ? -1 : steady.get(steady.size() / 2);
        long steadyMax = steady.isEmpty() ? -1 : steady.get(steady.size() - 1);
        System.out.printf(Locale.ROOT, "OkHttp TaskRunner threads from %d s on: median %d, max %d"
            + " (%d samples; -1: the wait was too short)%n", HANDSHAKE_THREADS_GONE.toSeconds(),
            steadyMedian, steadyMax, steady.size());
        System.out.printf(Locale.ROOT,
            "clients count=%d threads_per_account=%.3f simulator_threads_per_account=%.3f"
                + " heap_kb_per_account=%.1f rss_kb_per_account=%.1f connect_all_s=%.2f"
                + " taskrunner_steady_median=%d taskrunner_steady_max=%d%n",
            count, threads, simulatorThreads, heapKb, rssKb, connectSeconds, steadyMedian, steadyMax);
      }
    }
  }

  private static Duration settle(String env) {
    if (env == null || env.isBlank()) {
      return DEFAULT_SETTLE;
    }
    int seconds;
    try {
      seconds = Integer.parseInt(env.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("WAFLEET_BENCH_SETTLE_SECONDS must be a whole number: " + env);
    }
    if (seconds < 1 || seconds > 3600) {
      throw new IllegalArgumentException("WAFLEET_BENCH_SETTLE_SECONDS must be between 1 and 3600: " + env);
    }
    return Duration.ofSeconds(seconds);
  }

  /**
   * okhttp's TaskRunner threads: idle ones are named {@code OkHttp TaskRunner}, one running a
   * WebSocket's task carries the task's name ({@code OkHttp WebSocket …}) meanwhile.
   */
  private static long taskRunnerThreads() {
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Thread[] threads = new Thread[root.activeCount() * 2 + 16];
    int n = root.enumerate(threads, true);
    long count = 0;
    for (int i = 0; i < n; i++) {
      String name = threads[i].getName();
      if (name.startsWith("OkHttp TaskRunner") || name.startsWith("OkHttp WebSocket")) {
        count++;
      }
    }
    return count;
  }

  /** Live threads grouped by name with digits dropped ("wa-socket-17" counts as "wa-socket-"). */
  private static java.util.Map<String, Long> threadsByName() {
    return Thread.getAllStackTraces().keySet().stream().collect(java.util.stream.Collectors.groupingBy(
        t -> t.getName().replaceAll("[0-9]+", ""), java.util.TreeMap::new, java.util.stream.Collectors.counting()));
  }

  private record Sample(int threads, int simulatorThreads, long heapBytes, long rssKb) {
    static Sample take() throws IOException, InterruptedException {
      MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
      for (int i = 0; i < 3; i++) {
        System.gc();
        Thread.sleep(200);
      }
      int threads = 0;
      int simulator = 0;
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        threads++;
        if (t.getName().startsWith("wa-simulator") || t.getName().startsWith("WebSocket")) {
          simulator++;
        }
      }
      return new Sample(threads, simulator, memory.getHeapMemoryUsage().getUsed(), readRssKb());
    }

    private static long readRssKb() throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      throw new IOException("no VmRSS in /proc/self/status");
    }
  }
}
