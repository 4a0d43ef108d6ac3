package io.wafleet.simulator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.wafleet.client.binary.Node;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Both sides close at once, many times, under load: the peer drops its socket while the server
 * closes it (a connection it fails, a fault, a stream error). The server's close goes through
 * Java-WebSocket's {@code WebSocketImpl} monitor while the library's selector holds that monitor to
 * report the peer's close; a simulator that held a lock of its own across either call deadlocked
 * here and stopped serving every socket (docs/testing.md, "Reliability"). After each storm there is
 * no deadlocked thread, every close was handled, and a new socket is served.
 */
class CloseRaceIT {

  /** Connections per storm; enough that the old lock order deadlocked within one run. */
  private static final int ROUNDS = 120;
  private static final int PARALLEL = 4;
  private static final int FAULT_ROUNDS = 10;
  private static final int FAULT_CONNECTIONS = 16;
  private static final Duration WAIT = Duration.ofSeconds(20);

  private WaSimulator sim;
  private SimulatorAdminClient admin;
  private ExecutorService peers;

  @BeforeEach
  void start() {
    sim = WaSimulator.start(SimulatorFixture.fastConfig());
    admin = new SimulatorAdminClient(sim.adminUri());
    peers = Executors.newFixedThreadPool(PARALLEL);
  }

  @AfterEach
  void stop() {
    peers.shutdownNow();
    sim.close();
  }

  @Test
  void peerDropsWhileServerFailsTheConnection_noDeadlock() throws Exception {
    List<Callable<Void>> storm = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      int round = i;
      storm.add(() -> {
        TestCreds creds = new TestCreds();
        TestWaClient client = TestWaClient.connect(sim.wsUri(), creds, creds.registrationPayload());
        client.next(); // pair-device: the post-handshake gate is open, frames are handled at once
        if (round % 2 == 0) {
          client.sendEncrypted(new byte[] {(byte) 0xF8, 0x01}); // malformed node: server drops it
        } else {
          client.sendText("not binary"); // text message: server drops it
        }
        if (round % 3 == 0) {
          client.close(); // a close frame
        } else {
          client.drop(); // no close frame: the selector reads EOF
        }
        return null;
      });
    }
    runAll(storm);
    assertServerStillServes();
  }

  @Test
  void peersDropWhileServerClosesThemWithAStreamError_noDeadlock() throws Exception {
    for (int round = 0; round < FAULT_ROUNDS; round++) {
      List<TestWaClient> clients = new ArrayList<>();
      for (int i = 0; i < FAULT_CONNECTIONS; i++) {
        TestCreds creds = new TestCreds();
        TestWaClient client = TestWaClient.connect(sim.wsUri(), creds, creds.registrationPayload());
        client.next();
        clients.add(client);
      }
      List<Callable<Void>> storm = new ArrayList<>();
      String kind = round % 2 == 0 ? "stream-error" : "drop";
      storm.add(() -> {
        assertEquals(202, admin.post("faults", Map.of("kind", kind, "code", 515)).status());
        return null;
      });
      for (TestWaClient client : clients) {
        storm.add(() -> {
          client.drop();
          return null;
        });
      }
      runAll(storm);
    }
    assertServerStillServes();
  }

  private void runAll(List<Callable<Void>> tasks) throws Exception {
    List<Future<Void>> done = peers.invokeAll(tasks, WAIT.toSeconds(), TimeUnit.SECONDS);
    for (Future<Void> future : done) {
      assertNull(deadlocks(), "deadlocked threads");
      future.get(0, TimeUnit.SECONDS);
    }
  }

  /** No deadlocked thread; every close handled; a fresh socket gets its handshake and refs. */
  private void assertServerStillServes() throws Exception {
    assertNull(deadlocks(), "deadlocked threads");
    try {
      await("every close handled (no live connection)").atMost(WAIT)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> admin.get("stats").body().get("connections").asLong(), live -> live == 0);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "; deadlocks: " + deadlocks(), e);
    }
    TestCreds creds = new TestCreds();
    try (TestWaClient fresh = TestWaClient.connect(sim.wsUri(), creds, creds.registrationPayload())) {
      Node pairDevice = fresh.next();
      assertEquals("pair-device", pairDevice.children().get(0).tag());
      assertEquals("result", fresh.ping().attr("type"));
    }
  }

  /** Java-level deadlocks as a readable dump, or null. */
  private static String deadlocks() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[] ids = threads.findDeadlockedThreads();
    if (ids == null) {
      return null;
    }
    return Arrays.stream(threads.getThreadInfo(ids, true, true)).map(ThreadInfo::toString)
        .collect(Collectors.joining());
  }
}
