package io.wafleet.simulator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.net.URI;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Lifecycle of the embedded simulator: ports, URIs, path check, and close leaving no threads. */
class WaSimulatorIT {

  @Test
  void start_bindsFreePortsAndClose_leavesNoThreads() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    WaSimulator sim = WaSimulator.start(SimulatorConfig.builder().build());
    assertTrue(sim.wsPort() > 0);
    assertTrue(sim.adminPort() > 0);
    assertEquals(URI.create("ws://127.0.0.1:" + sim.wsPort() + "/ws/chat"), sim.wsUri());
    assertEquals(200, new SimulatorAdminClient(sim.adminUri()).get("stats").status());
    TestCreds creds = new TestCreds();
    try (TestWaClient client = TestWaClient.connect(sim.wsUri(), creds, creds.registrationPayload())) {
      assertEquals("iq", client.next().tag());
    }
    sim.close();
    await("no simulator thread left after close").atMost(TestWaClient.WAIT)
        .until(() -> Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> !before.contains(thread) && thread.isAlive())
            .map(Thread::getName)
            .filter(name -> name.startsWith("wa-simulator") || name.startsWith("WebSocket"))
            .collect(Collectors.toSet()), Set::isEmpty);
  }

  @Test
  void otherPath_isRefused() throws Exception {
    try (WaSimulator sim = WaSimulator.start(SimulatorConfig.builder().build())) {
      URI other = URI.create("ws://127.0.0.1:" + sim.wsPort() + "/other");
      assertThrows(IllegalStateException.class, () -> TestWaClient.open(other).close());
    }
  }

  @Test
  void config_rejectsBadValues() {
    assertThrows(IllegalArgumentException.class, () -> SimulatorConfig.builder().wsPort(70000).build());
    assertThrows(IllegalArgumentException.class, () -> SimulatorConfig.builder().refCount(0).build());
    assertThrows(IllegalArgumentException.class,
        () -> SimulatorConfig.builder().postHandshakeDelay(java.time.Duration.ofMillis(-1)).build());
    assertFalse(SimulatorConfig.builder().build().postHandshakeDelay().isZero());
  }
}
