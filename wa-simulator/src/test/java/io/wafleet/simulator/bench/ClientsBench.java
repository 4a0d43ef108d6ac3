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
import java.util.Locale;

/**
 * {@code ./wafleet bench clients [count]}: pairs {@code count} clients (default 1,000) with one
 * in-process simulator, one after the other, then connects them all at once with the default
 * builder (shared okhttp client, executor and scheduler) and measures what the connected
 * accounts cost: live threads, heap after a full GC and the process's RSS, each as the growth
 * from "all paired, none connected" to "all connected", divided by the count; and the time from
 * the first connect() to the last Connected. The simulator runs in this JVM, so its per-connection
 * state is included in the heap and RSS figures (it starts no thread per connection). The last
 * line is machine-readable.
 */
public final class ClientsBench {

  private static final Duration WAIT = Duration.ofMinutes(2);

  private ClientsBench() {
  }

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1: " + count);
    }
    try (WaSimulator sim = WaSimulator.start(SimulatorConfig.builder().build())) {
      SimulatorAdminClient admin = new SimulatorAdminClient(sim.adminUri());
      System.out.printf(Locale.ROOT, "pairing %d clients one by one...%n", count);
      try (ClientFleet fleet = ClientFleet.paired(sim, admin, count, "4079", WAIT)) {
        Sample before = Sample.take();
        long start = System.nanoTime();
        fleet.connectAll();
        double connectSeconds = (System.nanoTime() - start) / 1e9;
        Sample after = Sample.take();
        double threads = (after.threads - before.threads) / (double) count;
        double heapKb = (after.heapBytes - before.heapBytes) / 1024.0 / count;
        double rssKb = (after.rssKb - before.rssKb) / (double) count;
        System.out.printf(Locale.ROOT, "connected %d accounts in %.2f s%n", count, connectSeconds);
        System.out.printf(Locale.ROOT, "threads: %d -> %d (%.3f per account)%n", before.threads,
            after.threads, threads);
        System.out.printf(Locale.ROOT, "heap after GC: %d KB -> %d KB (%.1f KB per account)%n",
            before.heapBytes / 1024, after.heapBytes / 1024, heapKb);
        System.out.printf(Locale.ROOT, "RSS: %d KB -> %d KB (%.1f KB per account)%n",
            before.rssKb, after.rssKb, rssKb);
        System.out.printf(Locale.ROOT,
            "clients count=%d threads_per_account=%.3f heap_kb_per_account=%.1f"
                + " rss_kb_per_account=%.1f connect_all_s=%.2f%n",
            count, threads, heapKb, rssKb, connectSeconds);
      }
    }
  }

  private record Sample(int threads, long heapBytes, long rssKb) {
    static Sample take() throws IOException, InterruptedException {
      MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
      for (int i = 0; i < 3; i++) {
        System.gc();
        Thread.sleep(200);
      }
      return new Sample(Thread.activeCount(), memory.getHeapMemoryUsage().getUsed(), readRssKb());
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
