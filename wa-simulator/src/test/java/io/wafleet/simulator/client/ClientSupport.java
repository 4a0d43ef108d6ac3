package io.wafleet.simulator.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.wafleet.client.WaClient;
import io.wafleet.client.auth.AuthState;
import io.wafleet.client.event.Connected;
import io.wafleet.client.event.Disconnected;
import io.wafleet.client.event.PairSuccess;
import io.wafleet.client.event.QrCodeUpdated;
import io.wafleet.client.model.DisconnectReason;
import io.wafleet.simulator.SimulatorConfig;
import io.wafleet.simulator.WaSimulator;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.time.Duration;
import java.util.List;

/** Shared steps of the client ITs: clients with test timings, pairing, the reconnect-on-515 pattern. */
final class ClientSupport {

  static final Duration WAIT = Duration.ofSeconds(20);

  private ClientSupport() {
  }

  static WaSimulator startSimulator() {
    return WaSimulator.start(SimulatorConfig.builder().postHandshakeDelay(Duration.ofMillis(20)).build());
  }

  /**
   * A client builder for tests against {@code sim}, trusting its root key: short connect/query/login
   * timeouts (below {@link #WAIT}, so a stuck login ends as a typed Disconnected the test reports);
   * production keepalive unless changed.
   */
  static WaClient.Builder client(AuthState auth, WaSimulator sim, EventRecorder events) {
    return WaClient.builder(auth).serverUri(sim.wsUri()).listener(events)
        .certificateVerifier(sim.trustedVerifier())
        .connectTimeout(Duration.ofSeconds(5)).queryTimeout(Duration.ofSeconds(5))
        .loginTimeout(Duration.ofSeconds(10));
  }

  /**
   * Pairs {@code auth} as a new device of {@code phone} through the admin scan; returns after the
   * RESTART_REQUIRED that follows pairing. Returns the PairSuccess.
   */
  static PairSuccess pair(WaClient client, EventRecorder events, SimulatorAdminClient admin, String phone)
      throws Exception {
    client.connect();
    QrCodeUpdated qr = events.await(QrCodeUpdated.class, WAIT);
    SimulatorAdminClient.LinkedDevice scan = admin.scan(phone, qr.qr());
    PairSuccess paired = events.await(PairSuccess.class, WAIT);
    assertEquals(scan.deviceJid(), paired.deviceJid().toString());
    Disconnected restart = events.await(Disconnected.class, WAIT);
    assertEquals(DisconnectReason.RESTART_REQUIRED, restart.reason(), restart.toString());
    return paired;
  }

  /**
   * The "reconnect on 515" pattern the connector will own: connect, and while the connection
   * ends with RESTART_REQUIRED, connect again; returns the Connected event. Any other end fails the
   * test at once: a test of the simulator never retries a failed connect.
   */
  static Connected connectUntilOpen(WaClient client, EventRecorder events, int maxAttempts)
      throws Exception {
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      client.connect();
      long before = events.history().size();
      while (true) {
        var event = events.await(io.wafleet.client.event.WaEvent.class, WAIT);
        if (event instanceof Connected connected) {
          return connected;
        }
        if (event instanceof Disconnected d && d.reason() == DisconnectReason.RESTART_REQUIRED) {
          break;
        }
        if (event instanceof Disconnected || event instanceof io.wafleet.client.event.LoggedOut) {
          fail("connection ended: " + event + " after " + (events.history().size() - before));
        }
      }
    }
    throw new AssertionError("not open after " + maxAttempts + " attempts");
  }

  /**
   * Waits (bounded) until no socket thread of the default okhttp client is left: each closed
   * client's socket thread ends a moment after its socket. (Protocol steps, listener calls and
   * timers run on process-wide shared pools, which stay.)
   */
  static void assertNoClientThreads() throws InterruptedException {
    // Socket threads end a short while after their socket (the shared okhttp client's idle timeout).
    await("no wa-client socket thread left").atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
            .map(Thread::getName)
            .filter(n -> n.startsWith("wa-socket-"))
            .toList(), List::isEmpty);
  }
}
