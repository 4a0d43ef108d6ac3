package io.wafleet.simulator.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.ConnectionState;
import io.wafleet.simulator.WaSimulator;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A fleet of clients built with the default builder in one JVM: more than okhttp's default 64
 * concurrent calls all connect, and closing them leaves no thread of theirs and no leaked okhttp
 * connection behind.
 */
class ClientResourcesIT {

  private static final int CLIENTS = 100;
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  @Timeout(300)
  void hundredDefaultClients_allConnect_closeLeavesNoThreadAndNoLeak() throws Exception {
    LeakRecorder leaks = new LeakRecorder();
    Logger okhttpLogger = Logger.getLogger("okhttp3.OkHttpClient");
    okhttpLogger.addHandler(leaks);
    try (WaSimulator sim = ClientSupport.startSimulator()) {
      SimulatorAdminClient admin = new SimulatorAdminClient(sim.adminUri());
      Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
      try (ClientFleet fleet = ClientFleet.paired(sim, admin, CLIENTS, "4071", WAIT)) {
        fleet.connectAll();
        long connected = fleet.members().stream()
            .filter(m -> m.client().state() == ConnectionState.OPEN).count();
        assertEquals(CLIENTS, connected, "clients open");
      }
      // Idle socket threads end a little after the close: wait a bounded time for them.
      Awaitility.await("the clients' threads ended").atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            List<String> left = clientThreadsLeft(before);
            assertTrue(left.isEmpty(), "threads the clients started and left running: " + left);
          });
      // okhttp reports a leaked connection when its pool is pruned after the call was collected.
      System.gc();
      try (ClientFleet probe = ClientFleet.paired(sim, admin, 1, "4072", WAIT)) {
        probe.connectAll();
      }
      assertTrue(leaks.messages().isEmpty(), "okhttp logged: " + leaks.messages());
    } finally {
      okhttpLogger.removeHandler(leaks);
    }
  }

  /**
   * The threads started since {@code before} that are still alive and belong to no process-wide
   * pool: the shared workers ({@code wa-worker-N}, at most one per core), the shared timer
   * ({@code wa-timer}) and okhttp's own task runner stay by design (daemon threads, their count
   * independent of the number of clients).
   */
  private static List<String> clientThreadsLeft(Set<Thread> before) {
    List<Thread> started = Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive).filter(t -> !before.contains(t)).toList();
    long workers = started.stream().filter(t -> t.getName().startsWith("wa-worker-")).count();
    assertTrue(workers <= Runtime.getRuntime().availableProcessors(), "workers: " + workers);
    return started.stream().map(Thread::getName)
        .filter(n -> n.startsWith("wa-") || n.startsWith("OkHttp"))
        // The in-process simulator starts its own threads lazily; they are not the clients'.
        .filter(n -> !n.startsWith("wa-simulator-"))
        .filter(n -> !n.startsWith("wa-worker-") && !n.equals("wa-timer")
            && !n.equals("OkHttp TaskRunner"))
        .collect(Collectors.toList());
  }

  /** Collects what okhttp logs at WARNING or above (the leak report among it). */
  private static final class LeakRecorder extends Handler {
    private final List<String> messages = new ArrayList<>();

    @Override
    public synchronized void publish(LogRecord record) {
      if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
        messages.add(record.getMessage());
      }
    }

    synchronized List<String> messages() {
      return List.copyOf(messages);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  }
}
